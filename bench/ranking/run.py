"""One simulated jam per task, spread over processes (one per core)."""
import time
from dataclasses import dataclass

import numpy as np

from bench.ranking import metrics, simulate, world as w

UPDOWN = ("net", "wilson", "best")
PAIRWISE = ("random", "adaptive")
METHODS = UPDOWN + PAIRWISE
BUDGETS = (1000, 2000, 4000, 8000)
HERDING = (0.0, 0.3, 0.6)
LABELS = {
    "net": "Net votes (up − down)",
    "wilson": "Wilson lower bound",
    "best": "Best (best_score)",
    "random": "Pairwise, random pairs",
    "adaptive": "Pairwise, adaptive pairs",
}
_METHOD_CODE = {m: k for k, m in enumerate(METHODS)}


@dataclass(frozen=True)
class Task:
    method: str
    budget: int
    seed: int
    herding: float | None  # None for pairwise: the screen shows no counts to herd on


def tasks_for(seeds, budgets=BUDGETS, herding=HERDING):
    """Every (method, budget, seed[, herding]) run; the slowest first, for even load."""
    todo = [Task(m, b, s, h) for m in UPDOWN for b in budgets for s in seeds for h in herding]
    todo += [Task(m, b, s, None) for m in PAIRWISE for b in budgets for s in seeds]
    cost = {"adaptive": 10.0, "random": 1.0}
    return sorted(todo, key=lambda t: -cost.get(t.method, 0.4) * t.budget)


def run_task(task):
    """Simulate one jam and score its final ranking."""
    started = time.perf_counter()
    world = w.make_world(task.seed, task.budget)
    herding_code = -1 if task.herding is None else int(round(task.herding * 100))
    rng = np.random.default_rng([task.seed, task.budget, _METHOD_CODE[task.method], herding_code + 1])
    skip_share = float("nan")
    if task.method in UPDOWN:
        order, exposure = simulate.simulate_updown(world, task.method, task.herding, rng)
    else:
        order, exposure, skip_share = simulate.simulate_pairwise(world, task.method, rng)
    return {
        "task": task,
        "precision": metrics.precision_at_k(order, world.quality),
        "tau": metrics.kendall_tau(order, world.quality),
        "late_recall": metrics.late_recall(order, world),
        "gini": metrics.gini(exposure),
        "skip_share": skip_share,
        "seconds": time.perf_counter() - started,
    }
