"""Scores of a final ranking against the ground truth."""
import numpy as np

from bench.ranking.world import TOP


def precision_at_k(order, quality, k=TOP):
    """Share of the shown top k that are in the true top k."""
    true_top = set(np.argsort(-quality)[:k].tolist())
    return len(true_top & set(np.asarray(order)[:k].tolist())) / k


def kendall_tau(order, quality):
    """Kendall's tau between the shown order (a total order) and the true qualities."""
    n = len(order)
    position = np.empty(n)
    position[np.asarray(order)] = np.arange(n)
    shown = -position  # higher = better
    i, j = np.triu_indices(n, k=1)
    agree = np.sign(shown[i] - shown[j]) * np.sign(quality[i] - quality[j])
    return float(agree.sum() / len(i))


def late_recall(order, world, k=TOP):
    """Share of the true top-k ideas that arrived late which are in the shown top k
    (``nan`` when no top idea arrived late in this jam)."""
    late = world.late_top
    if len(late) == 0:
        return float("nan")
    return len(set(late.tolist()) & set(np.asarray(order)[:k].tolist())) / len(late)


def gini(exposure):
    """Gini coefficient of how often each idea was shown (0 = equal, 1 = one idea only)."""
    x = np.sort(np.asarray(exposure, dtype=float))
    n = len(x)
    if x.sum() == 0:
        return 0.0
    return float((2 * np.arange(1, n + 1) - n - 1) @ x / (n * x.sum()))
