"""``python -m bench.ranking.harder``: the ranking in a world that does not match its model.

The main benchmark's voter is exactly the fitted model (Bradley–Terry, one shared taste). Here:

* **Probit (Thurstonian) noise**: each voter perceives each idea's utility with standard
  normal noise, so the left idea wins with probability ``Phi((u_left - u_right + 0.1) / sqrt(2))``,
  not a logistic.
* **10 % random clickers**: they pick left or right at random and never skip.
* **Two segments** (60 % / 40 %) that disagree on a fifth of the ideas (segment B's utility
  is the opposite of A's there); the truth is the population-weighted utility.
* **Arrivals over time**: 60 ideas when the jam opens, 40 during its first 70 %.
* **Herding**: a voter leans towards the idea the live leaderboard shows as stronger, by
  ``herding × (logit chance_left − logit chance_right)`` (pairwise) or on the visible net
  count (up/down), for herding 0, 0.3 and 0.6.
* **Skips**: "can't decide" with probability ``0.2·exp(−2|utility gap|)``.

Measured over ``--seeds`` jams (default 40) with standard errors, at 1,000 / 2,000 / 4,000 /
8,000 votes: precision@10, Kendall τ, the rank of the true best idea, and the coverage of 90 %
intervals of each idea's chance to beat a random other one (the truth: its chance under the
world's own answer model, clickers included). Net votes at 4,000 votes are the baseline.
Writes the section "## A harder world" of docs/RANKING.md (``--no-write`` prints only).
"""
import os

# One BLAS thread per process, set before numpy loads: the fits solve small systems.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import multiprocessing  # noqa: E402
import textwrap  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from bench.ranking import metrics
from bench.common.report import write_section

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCS = os.path.join(ROOT, "docs", "RANKING.md")
SECTION = "## A harder world"
N_IDEAS, N_EARLY, TOP = 100, 60, 10
SEGMENT_B, DISAGREE, CLICKERS = 0.4, 0.2, 0.10
VOTES_PER_PARTICIPANT = 8
BUDGETS = (1000, 2000, 4000, 8000)
HERDING = (0.0, 0.3, 0.6)
Z90 = 1.6448536269514722
SQRT2 = math.sqrt(2.0)
#: The fit is refreshed after every 4th participant (32 answers), as a server does every few
#: seconds in a busy jam.
REFIT_EVERY = 4


def _phi(x):
    if np.ndim(x) == 0:
        return 0.5 * (1.0 + math.erf(float(x) / math.sqrt(2.0)))
    return 0.5 * (1.0 + np.vectorize(math.erf)(np.asarray(x) / math.sqrt(2.0)))


def make_world(seed):
    rng = np.random.default_rng([seed, 77])
    quality = rng.standard_normal(N_IDEAS)
    utility_b = quality.copy()
    disagree = rng.random(N_IDEAS) < DISAGREE
    utility_b[disagree] = -quality[disagree]
    truth = (1 - SEGMENT_B) * quality + SEGMENT_B * utility_b
    arrival = np.concatenate([np.zeros(N_EARLY), np.sort(rng.uniform(0, 0.7, N_IDEAS - N_EARLY))])
    diff_a = quality[:, None] - quality[None, :]
    diff_b = utility_b[:, None] - utility_b[None, :]
    p = (1 - CLICKERS) * ((1 - SEGMENT_B) * _phi(diff_a / SQRT2) + SEGMENT_B * _phi(diff_b / SQRT2)) + CLICKERS * 0.5
    np.fill_diagonal(p, np.nan)
    true_chance = np.nanmean(p, axis=1)
    return {"utility": (quality, utility_b), "truth": truth, "arrival": arrival, "true_chance": true_chance}


def _logit(p):
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def simulate_pairwise(world, budget, herding, seed):
    from app.domain import ranking

    rng = np.random.default_rng([seed, budget, int(herding * 100), 1])
    people = np.sort(rng.uniform(0, 1, budget // VOTES_PER_PARTICIPANT))
    state = ranking.create_state(N_EARLY)
    arrived = N_EARLY
    chance = np.full(N_IDEAS, 0.5)
    for number, t in enumerate(people):
        while arrived < N_IDEAS and world["arrival"][arrived] <= t:
            ranking.add_items(state, 1)
            arrived += 1
        clicker = rng.random() < CLICKERS
        utility = world["utility"][1 if rng.random() < SEGMENT_B else 0]
        answered = set()
        for _ in range(VOTES_PER_PARTICIPANT):
            pair = ranking.select_pair(state, rng, exclude_pairs=answered)
            if pair is None:
                break
            left, right = pair
            answered.add(pair)
            gap = utility[left] - utility[right]
            if clicker:
                left_wins = rng.random() < 0.5
            else:
                if rng.random() < 0.2 * math.exp(-2 * abs(gap)):
                    ranking.record_skip(state, left, right)
                    continue
                lean = herding * (_logit(chance[left]) - _logit(chance[right]))
                left_wins = rng.random() < _phi((gap + 0.1) / SQRT2 + lean)
            ranking.record_comparison(state, *((left, right) if left_wins else (right, left)))
        if number % REFIT_EVERY:
            continue
        ranking.refit_state(state)
        if herding:
            chance[:state.n_items] = ranking.chance_to_beat_random(state.strengths, state.uncertainty)
    ranking.add_items(state, N_IDEAS - state.n_items)
    ranking.refit_state(state)
    order = ranking.rank_items(state.strengths, state.uncertainty)
    chance = ranking.chance_to_beat_random(state.strengths, state.uncertainty)
    low, high = ranking.chance_range(state.strengths, state.uncertainty, z=Z90)
    truth = world["true_chance"]
    covered = float(np.mean((truth >= np.minimum(low, chance)) & (truth <= np.maximum(high, chance))))
    return order, covered


def simulate_net(world, budget, herding, seed):
    """Up/down votes sorted by net votes, with the same voters (8 votes each on ideas picked
    with attention 0.9^position down the list)."""
    rng = np.random.default_rng([seed, budget, int(herding * 100), 2])
    people = np.sort(rng.uniform(0, 1, budget // VOTES_PER_PARTICIPANT))
    up, down = np.zeros(N_IDEAS), np.zeros(N_IDEAS)
    for t in people:
        visible = int(np.searchsorted(world["arrival"], t, side="right"))
        net = up[:visible] - down[:visible]
        order = np.lexsort((-np.arange(visible), -net))
        logw = np.arange(visible) * np.log(0.9) + rng.gumbel(size=visible)
        picks = order[np.argsort(-logw)[:VOTES_PER_PARTICIPANT]]
        utility = world["utility"][1 if rng.random() < SEGMENT_B else 0]
        if rng.random() < CLICKERS:
            ups = rng.random(len(picks)) < 0.5
        else:
            shown = up[picks] - down[picks]
            ups = rng.random(len(picks)) < _phi((0.6 + utility[picks]) / SQRT2
                                                 + herding * np.sign(shown) * np.log1p(np.abs(shown)))
        up[picks] += ups
        down[picks] += ~ups
    return np.lexsort((-np.arange(N_IDEAS), -(up - down))), float("nan")


def run_task(task):
    method, budget, herding, seed = task
    world = make_world(seed)
    simulate = simulate_pairwise if method == "adaptive" else simulate_net
    order, covered = simulate(world, budget, herding, seed)
    truth = world["truth"]
    best = int(np.argmax(truth))
    return {"task": task, "precision": metrics.precision_at_k(order, truth), "tau": metrics.kendall_tau(order, truth),
            "best_rank": int(np.flatnonzero(order == best)[0]) + 1, "coverage": covered}


def tasks(seeds):
    todo = [("adaptive", b, 0.0, s) for b in BUDGETS for s in seeds]
    todo += [("adaptive", 4000, h, s) for h in HERDING[1:] for s in seeds]
    todo += [("net", 4000, h, s) for h in HERDING for s in seeds]
    # seed by seed, so a run cut short still has whole seeds of every setting
    return sorted(todo, key=lambda t: (t[3], t[1]))


def summarise(results):
    groups = {}
    for r in results:
        method, budget, herding, _ = r["task"]
        groups.setdefault((method, budget, herding), []).append(r)
    # only seeds that finished every setting, so all rows compare the same jams
    complete = set.intersection(*({row["task"][3] for row in rows} for rows in groups.values()))
    groups = {key: [row for row in rows if row["task"][3] in complete] for key, rows in groups.items()}
    out = {}
    for key, rows in groups.items():
        stats = {}
        for metric in ("precision", "tau", "best_rank", "coverage"):
            values = np.array([row[metric] for row in rows], dtype=float)
            values = values[np.isfinite(values)]
            stats[metric] = (values.mean(), values.std(ddof=1) / math.sqrt(len(values))) if len(values) > 1 else (
                float("nan"), float("nan"))
        stats["n"] = len(rows)
        out[key] = stats
    return out


def report(summary, seeds, seconds):
    def cell(stats, metric, digits=2):
        mean, se = stats[metric]
        return f"{mean:.{digits}f} ± {se:.{digits}f}"

    lines = [SECTION, "",
             f"Generated by `python -m bench.ranking.harder` ({seeds} seeds per setting). "
             "Probit noise, 10 % random clickers, two segments disagreeing on a fifth of the ideas, "
             "60 ideas at the start and 40 arriving later, herding towards the live leaderboard, skips "
             "(see the module's docstring). Mean ± standard error over the seeds.", "",
             "| Method | Votes | Herding | precision@10 | Kendall τ | Rank of the true best | 90 % interval coverage |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for key in sorted(summary, key=lambda k: (k[0] != "adaptive", k[1], k[2])):
        stats = summary[key]
        method, budget, herding = key
        label = "Pairwise, adaptive pairs" if method == "adaptive" else "Net votes (up − down)"
        coverage = cell(stats, "coverage") if method == "adaptive" else "n/a"
        lines.append(f"| {label} | {budget:,} | {herding:g} | {cell(stats, 'precision')} | {cell(stats, 'tau')} "
                     f"| {cell(stats, 'best_rank', 1)} | {coverage} |")
    a = {b: summary[("adaptive", b, 0.0)] for b in BUDGETS}
    herd = [summary[("adaptive", 4000, h)]["precision"][0] for h in HERDING]
    net = [summary[("net", 4000, h)]["precision"][0] for h in HERDING]
    checks = [
        ("precision@10 at 4,000 votes ≥ 0.85", a[4000]["precision"][0], 0.85),
        ("Kendall τ at 4,000 votes ≥ 0.75", a[4000]["tau"][0], 0.75),
        ("precision@10 at 2,000 votes ≥ 0.75", a[2000]["precision"][0], 0.75),
    ]
    lines += ["", "The aims in this world:", ""]
    for label, value, aim in checks:
        lines.append(f"* {'MET' if value >= aim else 'MISSED'} — {label}: {value:.3f}")
    ratios = [p / q if q > 0 else float("inf") for p, q in zip(herd, net)]
    ratio = min(ratios)
    lines.append(f"* {'MET' if ratio >= 2 else 'MISSED'} — ≥ 2× net votes (precision@10 at 4,000 votes, at each "
                 f"herding level, the worst): {ratio:.2f}× (" + ", ".join(
                     f"{h:g}: {r:.2f}×" for h, r in zip(HERDING, ratios)) + ")")
    spread = max(herd) - min(herd)
    lines.append(f"* {'MET' if spread <= 0.05 else 'MISSED'} — precision@10 spread across herding 0–0.6 ≤ 0.05: "
                 f"{spread:.3f}")
    lines.append(f"* coverage of 90 % intervals at 4,000 votes: {a[4000]['coverage'][0]:.3f} (aim 0.85–0.95)")
    herd_cov = [summary[("adaptive", 4000, h)]["coverage"][0] for h in HERDING]
    lines += ["", "**What limits it, and what would change it.**", "",
              f"* **Kendall τ** ({a[4000]['tau'][0]:.2f} at 4,000 votes, {a[8000]['tau'][0]:.2f} at 8,000): the "
              "random clickers and the two segments' disagreement add noise no fit removes, and the adaptive "
              "policy spends most answers near the top, which τ weighs no more than the middle. More answers "
              "reach it (between 4,000 and 8,000 here): more comparisons per participant, or a longer jam.",
              "* **Twice net votes** is bounded by the ceiling: precision@10 cannot exceed 1, so where net votes "
              f"find {net[0]:.2f} of the top without herding, 2× would need {2 * net[0]:.2f}. With herding, "
              "net votes collapse and pairs stay several times better.",
              f"* **Herding** barely moves precision@10 but lowers τ and the intervals' coverage "
              f"({herd_cov[0]:.2f} → {herd_cov[1]:.2f} → {herd_cov[2]:.2f} for herding 0, 0.3, 0.6): answers that "
              "lean towards the shown leader look, to the model, like quality, so the intervals are too sure of "
              "the leaders. The compare page already shows no counts or chances; showing participants the "
              "pairwise leaderboard only after they have compared (or not at all while a jam runs) removes "
              "what herding acts on.",
              "* **Coverage without herding** is within the aim here (100 ideas: the exact Laplace "
              "intervals). Above 400 ideas the fit uses an approximate standard error (two terms of a "
              "Neumann series), which understates uncertainty on adaptive comparison graphs; calibrating "
              "it (e.g. a stochastic estimate of the covariance's diagonal from a few extra solves) is "
              "not done yet."]
    lines = [textwrap.fill(line, width=100, subsequent_indent="  " if line.startswith("* ") else "",
                           break_on_hyphens=False)
             if line and not line.startswith("|") else line for line in lines]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.ranking.harder", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=40)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--results", default=os.path.join(ROOT, "test-artifacts", "bench-ranking", "harder.jsonl"),
                        help="each finished jam is appended here as it ends")
    parser.add_argument("--report-only", action="store_true", help="summarise the results file as it is")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if not args.report_only:
        os.makedirs(os.path.dirname(args.results), exist_ok=True)
        with open(args.results, "w") as out, multiprocessing.get_context("fork").Pool(args.processes) as pool:
            for result in pool.imap_unordered(run_task, tasks(range(args.seeds)), chunksize=1):
                out.write(json.dumps(result) + "\n")
                out.flush()
    with open(args.results) as handle:
        results = [json.loads(line) for line in handle]
    for result in results:
        result["task"] = tuple(result["task"])
    summary = summarise(results)
    seeds = min(stats["n"] for stats in summary.values())
    section = report(summary, seeds, time.perf_counter() - started)
    print(section)
    if not args.no_write:
        write_section(DOCS, section)
        print("wrote the section to docs/RANKING.md")


if __name__ == "__main__":
    main()
