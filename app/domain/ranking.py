"""Ranking ideas: sorts for up/down votes, and Bradley–Terry scores for pairwise votes.

Everything here is a pure function of counts, comparisons and a random generator: no Flask,
no database. The caller maps idea ids to item indices 0..n-1 and back.

Two ways of voting feed it:

* **Up/down votes.** ``best_score`` (the "best" sort: a Wilson lower bound with one virtual
  up- and down-vote) and ``trending_score`` (recent activity, the same formula as
  ``app.domain.ideas.trending_increment``). ``wilson_lower_bound`` is the plain bound.
* **Pairwise votes.** A participant is shown two ideas and picks the better one or skips.
  ``RankingState`` holds the comparisons and the current fit; ``record_comparison``,
  ``record_skip``, ``add_items`` and ``refit_state`` keep it up to date; ``fit_bradley_terry``
  estimates each idea's strength (log scale) and its standard error; ``chance_to_beat_random``
  turns them into the number shown to participants; ``select_pair`` chooses the next pair to
  ask about (``select_random_pair`` is the non-adaptive baseline).

The model: idea *i* beats idea *j* with probability ``sigmoid(s_i - s_j)``. Every idea also
carries a weak prior, a virtual draw (half a win and half a loss per unit of
``prior_strength``) against an average idea of strength 0, so that ideas without
comparisons sit in the middle with a large uncertainty, ideas that won every comparison get
a large but finite strength, and ideas in separate, never-compared groups stay comparable.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache

import numpy as np

Z_95 = 1.959963984540054

#: The default prior: one virtual draw against an average idea (prior sd of a strength ~2).
PRIOR_STRENGTH = 1.0

#: "Best" sort: the z of its Wilson lower bound (one-sided 90 %; see ``best_score``).
BEST_Z = 1.2815515655446004

#: Same epoch as ``app.domain.ideas``: trending sums are comparable between the two modules.
TRENDING_EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)
TRENDING_TIMESCALE_HOURS = 6.0

# The probit approximation: E[sigmoid(x)] for x ~ N(m, v) is close to sigmoid(m / sqrt(1 + v*pi/8)).
_PROBIT = math.pi / 8.0
# Up to this many items the Newton steps and the standard errors use a dense solve.
DENSE_LIMIT = 400


# --------------------------------------------------------------------------- up/down sorts


def _as_result(value, like):
    """A Python float for scalar input, an array for array input."""
    return float(value) if np.ndim(like) == 0 else value


def wilson_lower_bound(up, down, z=Z_95):
    """The lower end of the Wilson score interval for an idea's share of up-votes.

    With ``z=1.96`` it is the share of up-votes we are 97.5 % sure the idea exceeds: more
    votes at the same ratio give a higher bound, and no votes at all give 0. Accepts numbers
    or numpy arrays (element-wise).
    """
    up = np.asarray(up, dtype=float)
    down = np.asarray(down, dtype=float)
    n = up + down
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(n > 0, up / np.where(n > 0, n, 1), 0.0)
        z2 = z * z
        safe_n = np.where(n > 0, n, 1)
        centre = p + z2 / (2 * safe_n)
        spread = z * np.sqrt(p * (1 - p) / safe_n + z2 / (4 * safe_n * safe_n))
        bound = (centre - spread) / (1 + z2 / safe_n)
    bound = np.where(n > 0, np.clip(bound, 0.0, 1.0), 0.0)
    return _as_result(bound, up)


def best_score(up, down):
    """The "best" sort: how high an idea's share of up-votes surely is, given how many votes
    it has — the lower end of a Wilson interval (``BEST_Z``: nine chances in ten the true
    share is above it), counted with one virtual up- and one virtual down-vote.

    It rewards the share *and* the amount of support: ▲18 ▼2 (0.74) is above ▲2 ▼0 (0.43),
    ▲16 ▼1 above ▲4 ▼0, and one down-vote among many up-votes costs little (▲20 ▼1 0.81,
    ▲20 ▼0 0.86). The virtual pair of votes keeps an idea nobody has voted on yet (0.16)
    above one that only has down-votes (▲0 ▼1 0.11) and below one up-vote (0.32), so a new
    idea is not buried under the disliked ones. It depends on the idea's own counts only —
    not on the campaign — so a vote re-scores one idea, never the whole campaign.
    docs/RANKING.md has the table of cases it is tested against.

    Accepts numbers (a Python float, the exact value the database keeps: the SQL function
    ``best_score`` of ``app.domain.sqlfunctions`` is this formula) or numpy arrays.
    """
    if np.ndim(up) == 0 and np.ndim(down) == 0:
        return _best_bound(float(up) + 1.0, float(down) + 1.0, math.sqrt)
    up_a = np.asarray(up, dtype=float) + 1.0
    down_a = np.asarray(down, dtype=float) + 1.0
    return _best_bound(up_a, down_a, np.sqrt)


def _best_bound(up, down, sqrt):
    """The Wilson lower bound for ``up`` of ``up + down`` (both positive), written once for
    floats and arrays so both give bit-identical results."""
    n = up + down
    p = up / n
    z2 = BEST_Z * BEST_Z
    centre = p + z2 / (2.0 * n)
    spread = BEST_Z * sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n))
    return (centre - spread) / (1.0 + z2 / n)


def trending_increment_at(weight, at, timescale_hours=TRENDING_TIMESCALE_HOURS):
    """The log-weight one activity of ``weight`` at time ``at`` adds to a trending sum.

    Identical to ``app.domain.ideas.trending_increment`` (which reads the timescale from the
    app's config): ``hours since the epoch / timescale + log(weight)``.
    """
    hours = (at - TRENDING_EPOCH).total_seconds() / 3600.0
    return hours / timescale_hours + math.log(weight)


def trending_score(activities, now=None, timescale_hours=TRENDING_TIMESCALE_HOURS):
    """An idea's trending score from its activities, each a ``(weight, at)`` pair.

    The score is ``log(sum(weight * exp((at - epoch) / timescale)))`` — the value
    ``app.domain.ideas`` keeps in ``Idea.trending`` by adding ``trending_increment`` in log
    space. Every idea decays at the same rate, so these sums already rank recent activity
    first. With ``now``, the epoch's offset is removed: the result is then
    ``log(sum(weight * exp(-(now - at) / timescale)))``, the activity "as of now" (an
    activity of weight 1 right now scores 0; one a timescale ago scores -1).
    No activity gives ``-inf``.
    """
    increments = [trending_increment_at(w, at, timescale_hours) for w, at in activities]
    if not increments:
        return float("-inf")
    top = max(increments)
    total = top + math.log(sum(math.exp(x - top) for x in increments))
    if now is not None:
        total -= (now - TRENDING_EPOCH).total_seconds() / 3600.0 / timescale_hours
    return total


# --------------------------------------------------------------------------- Bradley–Terry


@dataclass
class BradleyTerryFit:
    """Per-item strengths (log scale, 0 = an average item) and their standard errors."""

    strengths: np.ndarray
    uncertainty: np.ndarray
    iterations: int
    converged: bool


def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _aggregate_comparisons(n_items, comparisons):
    """Unique unordered pairs (i < j) with their number of comparisons and i's wins."""
    pairs = np.asarray(comparisons, dtype=np.int64).reshape(-1, 2)
    if pairs.size and (pairs.min() < 0 or pairs.max() >= n_items):
        raise ValueError("comparison refers to an item outside 0..n_items-1")
    if np.any(pairs[:, 0] == pairs[:, 1]):
        raise ValueError("an item cannot be compared with itself")
    winners, losers = pairs[:, 0], pairs[:, 1]
    low = np.minimum(winners, losers)
    high = np.maximum(winners, losers)
    keys, inverse = np.unique(low * n_items + high, return_inverse=True)
    counts = np.bincount(inverse, minlength=len(keys)).astype(float)
    low_wins = np.bincount(inverse, weights=(winners == low).astype(float), minlength=len(keys))
    return keys // n_items, keys % n_items, counts, low_wins


def _log_posterior(s, i, j, counts, wins_i, prior_strength):
    d = s[i] - s[j]
    # log sigmoid(x) = -logaddexp(0, -x)
    like = -(wins_i * np.logaddexp(0.0, -d) + (counts - wins_i) * np.logaddexp(0.0, d)).sum()
    prior = -0.5 * prior_strength * (np.logaddexp(0.0, -s) + np.logaddexp(0.0, s)).sum()
    return like + prior


def _gradient_and_curvature(s, i, j, counts, wins_i, prior_strength):
    """Gradient of the log posterior, the per-pair curvatures and the diagonal of -Hessian."""
    n = len(s)
    p = _sigmoid(s[i] - s[j])
    resid = wins_i - counts * p
    # bincount of no pairs at all is an integer array: keep everything in floats.
    grad = (np.bincount(i, resid, minlength=n) - np.bincount(j, resid, minlength=n)).astype(float)
    ps = _sigmoid(s)
    grad += 0.5 * prior_strength * (1.0 - 2.0 * ps)
    h = counts * p * (1.0 - p)
    diag = (np.bincount(i, h, minlength=n) + np.bincount(j, h, minlength=n)).astype(float)
    diag += prior_strength * ps * (1.0 - ps)
    return grad, h, diag


def _dense_hessian(n, i, j, h, diag):
    H = np.zeros((n, n))
    H[i, j] = -h  # pairs are unique, so plain assignment is enough
    H[j, i] = -h
    H[np.arange(n), np.arange(n)] = diag
    return H


def _solve_sparse(i, j, h, diag, rhs, tol=1e-10, max_steps=500):
    """Solve (-Hessian) x = rhs by conjugate gradients with a diagonal preconditioner."""

    def apply(v):
        d = h * (v[i] - v[j])
        n = len(v)
        # (D - A) v where the pair terms form a weighted graph Laplacian
        out = (diag - np.bincount(i, h, minlength=n) - np.bincount(j, h, minlength=n)) * v
        return out + np.bincount(i, d, minlength=n) - np.bincount(j, d, minlength=n)

    x = rhs / diag
    r = rhs - apply(x)
    z = r / diag
    p = z.copy()
    rz = r @ z
    limit = tol * max(np.linalg.norm(rhs), 1e-300)
    for _ in range(max_steps):
        if np.linalg.norm(r) <= limit:
            break
        ap = apply(p)
        alpha = rz / (p @ ap)
        x += alpha * p
        r -= alpha * ap
        z = r / diag
        rz_new = r @ z
        p = z + (rz_new / rz) * p
        rz = rz_new
    return x


def _standard_errors(n, i, j, h, diag, dense):
    """Standard errors from the observed information (the negative Hessian) at the fit,
    relative to the average item.

    The Laplace approximation's covariance is the inverse of that information. Part of it is
    a shift of *all* strengths together, which no comparison can observe and no ranking
    depends on (only the prior pins it); it is left out, so the errors describe where an
    item stands among the others. Dense (small campaigns): exactly, the diagonal of the
    centred covariance. Sparse: the first terms of the Neumann series of the inverse,
    ``1/D_i + sum_j (h_ij/D_i)^2 / D_j`` — each item's conditional variance plus its
    opponents' own uncertainty — which contains almost no common shift to begin with.
    """
    if dense:
        cov = np.linalg.inv(_dense_hessian(n, i, j, h, diag))
        row_mean = cov.mean(axis=1)
        var = np.diag(cov) - 2.0 * row_mean + row_mean.mean()
        return np.sqrt(np.clip(var, 1e-300, None))
    inv_d = 1.0 / diag
    var = inv_d.copy()
    var += np.bincount(i, (h * inv_d[i]) ** 2 * inv_d[j], minlength=n)
    var += np.bincount(j, (h * inv_d[j]) ** 2 * inv_d[i], minlength=n)
    return np.sqrt(var)


def fit_bradley_terry(n_items, comparisons, prior_strength=PRIOR_STRENGTH, *, initial=None,
                      max_iterations=100, tolerance=1e-8, dense_limit=DENSE_LIMIT):
    """Fit Bradley–Terry strengths to ``comparisons``, a sequence of ``(winner, loser)`` pairs.

    Returns a ``BradleyTerryFit``: the maximum a-posteriori strength of each of the
    ``n_items`` items (log scale: ``P(i beats j) = sigmoid(s_i - s_j)``) and its standard
    error, relative to the average item, from the observed Fisher information (a Laplace
    approximation; see ``_standard_errors``). The prior — a
    virtual draw worth ``prior_strength`` comparisons against an item of strength 0 — keeps
    every estimate finite: an item without comparisons gets strength 0 and the prior's
    standard error (about ``2/sqrt(prior_strength)``); an item that won everything gets a
    large but finite strength; separate groups of items stay on one scale.

    Damped Newton steps on the (concave) log posterior, warm-started from ``initial`` when
    given (a previous fit; items added since then start at 0), until half the Newton
    decrement (the predicted gain of the next step) is below ``tolerance``: a refit after a
    few new comparisons typically takes two steps. Each step is a dense solve up to
    ``dense_limit`` items and conjugate gradients on the sparse comparison graph beyond.
    """
    n = int(n_items)
    if n == 0:
        return BradleyTerryFit(np.zeros(0), np.zeros(0), 0, True)
    i, j, counts, wins_i = _aggregate_comparisons(n, comparisons)
    return fit_pairs(n, i, j, counts, wins_i, prior_strength, initial=initial,
                     max_iterations=max_iterations, tolerance=tolerance, dense_limit=dense_limit)


def fit_pairs(n_items, low, high, counts, low_wins, prior_strength=PRIOR_STRENGTH, *,
              initial=None, max_iterations=100, tolerance=1e-8, dense_limit=DENSE_LIMIT):
    """``fit_bradley_terry`` on comparisons already counted per unique pair: ``counts[k]``
    comparisons between items ``low[k]`` and ``high[k]`` (each pair listed once), of which
    ``low[k]`` won ``low_wins[k]``. This is what ``RankingState`` keeps."""
    if prior_strength <= 0:
        raise ValueError("prior_strength must be positive")
    n = int(n_items)
    if n == 0:
        return BradleyTerryFit(np.zeros(0), np.zeros(0), 0, True)
    i = np.asarray(low, dtype=np.int64)
    j = np.asarray(high, dtype=np.int64)
    counts = np.asarray(counts, dtype=float)
    wins_i = np.asarray(low_wins, dtype=float)
    s = np.zeros(n)
    if initial is not None:
        start = np.asarray(initial, dtype=float)[:n]
        s[:len(start)] = np.nan_to_num(start)
    dense = n <= dense_limit
    objective = None
    converged = False
    iterations = 0
    for iterations in range(1, max_iterations + 1):
        grad, h, diag = _gradient_and_curvature(s, i, j, counts, wins_i, prior_strength)
        if dense:
            step = np.linalg.solve(_dense_hessian(n, i, j, h, diag), grad)
        else:
            # Inexact Newton (Eisenstat–Walker): a loose solve far from the maximum, a tight one
            # near it — the same fit in a fraction of the conjugate-gradient steps.
            step = _solve_sparse(i, j, h, diag, grad, tol=min(1e-2, math.sqrt(np.linalg.norm(grad))))
        # Half the Newton decrement: how far the log posterior is from its maximum.
        if 0.5 * (grad @ step) < tolerance:
            s = s + step  # the last, tiny step: quadratic convergence makes it exact enough
            converged = True
            break
        biggest = np.abs(step).max()
        if biggest <= 0.5:  # near the maximum a full Newton step is safe: skip the search
            s = s + step
            objective = None
            continue
        if biggest > 3.0:  # a far-off start: keep Newton's direction, shorten the step
            step *= 3.0 / biggest
        if objective is None:
            objective = _log_posterior(s, i, j, counts, wins_i, prior_strength)
        t = 1.0
        while True:  # backtrack until the log posterior does not fall
            candidate = s + t * step
            value = _log_posterior(candidate, i, j, counts, wins_i, prior_strength)
            if value >= objective - 1e-12 or t < 1e-3:
                break
            t *= 0.5
        s, objective = candidate, value
    # Curvature from the last iteration: the final step is far below any standard error.
    return BradleyTerryFit(s, _standard_errors(n, i, j, h, diag, dense), iterations, converged)


#: Up to this many items "chance to beat" is summed over every pair (exact, O(n^2)); beyond,
#: over a grid (O(n + grid), see ``_grid_sums``), which differs by under 1e-4 (benchmarked).
EXACT_CHANCE_LIMIT = 3000
_GRID_X = 384  # strength nodes
_GRID_V = 12  # uncertainty nodes


def chance_to_beat_random(strengths, uncertainty=None, block=256, exact_limit=EXACT_CHANCE_LIMIT):
    """For each item, the probability that it beats an item chosen at random from the others.

    This is the number shown to participants ("62 % chance to beat a random idea"). The
    uncertainty of both items is integrated out with the probit approximation,
    ``E[sigmoid(x)] ~ sigmoid(mean / sqrt(1 + pi/8 * variance))``, so an idea we know little
    about is pulled towards 50 %. With equal uncertainties the result is ordered exactly like
    the strengths. One item alone gets 0.5. Up to ``exact_limit`` items: every pair, in
    blocks of ``block`` rows; beyond, on a grid in linear time (``_grid_sums``).
    """
    s = np.asarray(strengths, dtype=float)
    n = len(s)
    if n == 0:
        return np.zeros(0)
    if n == 1:
        return np.full(1, 0.5)
    var = np.zeros(n) if uncertainty is None else np.asarray(uncertainty, dtype=float) ** 2
    if n > exact_limit:
        return (_grid_sums(s, _PROBIT * var, s, _PROBIT * var) - 0.5) / (n - 1)
    # float32 blocks: five times faster than float64, and exact to far below a percent.
    s32 = s.astype(np.float32)
    v32 = (_PROBIT * var).astype(np.float32)
    out = np.empty(n)
    for start in range(0, n, block):
        rows = slice(start, min(n, start + block))
        diff = s32[rows, None] - s32[None, :]
        scale = np.sqrt(1.0 + v32[rows, None] + v32[None, :])
        p = 0.5 * (1.0 + np.tanh(0.5 * diff / scale))
        # remove each row's comparison with itself (sigmoid(0) = 0.5)
        out[rows] = (p.sum(axis=1, dtype=np.float64) - 0.5) / (n - 1)
    return out


def _linear_weights(values, nodes):
    """For each value, its two neighbouring grid nodes and the weight of the upper one
    (values outside the grid are clamped to it)."""
    step = (nodes[-1] - nodes[0]) / (len(nodes) - 1) if nodes[-1] > nodes[0] else 1.0
    t = np.clip((values - nodes[0]) / step, 0.0, len(nodes) - 1.0)
    lower = np.minimum(t.astype(np.int64), len(nodes) - 2)
    return lower, t - lower


def _grid_sums(x, v, s, w):
    """``sum_j sigmoid((x_i - s_j) / sqrt(1 + v_i + w_j))`` for every i, in linear time.

    The opponents ``(s_j, w_j)`` are spread onto a regular grid of strengths and variances
    with linear (cloud-in-cell) weights, the sum is worked out exactly at every pair of grid
    nodes (a few small matrix products, independent of the number of items), and each item
    reads its value by bilinear interpolation at ``(x_i, v_i)``. Both steps are second-order
    accurate in the grid spacing; the sum is monotone in ``x`` at a fixed ``v``, so items of
    equal uncertainty keep the order of their strengths.
    """
    xs = np.linspace(min(x.min(), s.min()), max(x.max(), s.max()), _GRID_X)
    if xs[-1] == xs[0]:
        xs = xs[0] + np.linspace(-1.0, 1.0, _GRID_X)
    vs = np.linspace(0.0, max(v.max(), w.max(), 1e-12), _GRID_V)
    # the opponents on the grid
    si, st = _linear_weights(s, xs)
    wi, wt = _linear_weights(w, vs)
    cells = _GRID_V * _GRID_X
    hist = np.zeros(cells)
    for dv, weight_v in ((0, 1.0 - wt), (1, wt)):
        for dx, weight_x in ((0, 1.0 - st), (1, st)):
            hist += np.bincount((wi + dv) * _GRID_X + si + dx, weight_v * weight_x, minlength=cells)
    hist = hist.reshape(_GRID_V, _GRID_X)
    # The sum at every grid node (x_a, v_b), over opponent nodes (s_c, w_d). On a regular
    # variance grid the scale depends on b + d only: 2V - 1 kernels, not V^2. Items read
    # only the variance nodes their own variances reach.
    rows = int(min(_GRID_V - 1, np.ceil(v.max() / (vs[1] - vs[0])))) + 1
    used = set(np.flatnonzero(hist.any(axis=1)).tolist())
    diff = xs[:, None] - xs[None, :]
    table = np.zeros((_GRID_V, _GRID_X))
    step = vs[1] - vs[0]
    for total in range(rows + max(used)):
        pairs = [(b, total - b) for b in range(rows) if (total - b) in used]
        if not pairs:
            continue
        kernel = _sigmoid(diff / math.sqrt(1.0 + total * step))
        for b, d in pairs:
            table[b] += kernel @ hist[d]
    # each item reads its own value
    xi, xt = _linear_weights(x, xs)
    vi, vt = _linear_weights(v, vs)
    return ((1 - vt) * ((1 - xt) * table[vi, xi] + xt * table[vi, xi + 1])
            + vt * ((1 - xt) * table[vi + 1, xi] + xt * table[vi + 1, xi + 1]))


def chance_range(strengths, uncertainty, z=1.0, block=256, exact_limit=EXACT_CHANCE_LIMIT):
    """For each item, a likely range ``(low, high)`` of its ``chance_to_beat_random``.

    The item's own strength is moved ``z`` standard errors down and up while the others keep
    their means and uncertainty, so the range shows how much more voting could still move
    this idea (with ``z=1``, roughly two chances in three that the truth lies inside). A
    well-measured idea has a narrow range, a new one a wide one. One item alone gets
    ``(0.5, 0.5)``. Beyond ``exact_limit`` items, on a grid in linear time.
    """
    s = np.asarray(strengths, dtype=float)
    sd = np.asarray(uncertainty, dtype=float)
    n = len(s)
    if n <= 1:
        return np.full(n, 0.5), np.full(n, 0.5)
    if n > exact_limit:
        w = _PROBIT * sd ** 2
        zero = np.zeros(n)
        self_scale = np.sqrt(1.0 + w)
        low = (_grid_sums(s - z * sd, zero, s, w) - _sigmoid(-z * sd / self_scale)) / (n - 1)
        high = (_grid_sums(s + z * sd, zero, s, w) - _sigmoid(z * sd / self_scale)) / (n - 1)
        return low, high
    v32 = (_PROBIT * sd ** 2).astype(np.float32)
    s32 = s.astype(np.float32)
    low, high = np.empty(n), np.empty(n)
    for start in range(0, n, block):
        rows = slice(start, min(n, start + block))
        scale = np.sqrt(1.0 + v32[None, :])
        for out, shift in ((low, -z), (high, z)):
            own = (s32[rows] + shift * sd[rows].astype(np.float32))[:, None]
            p = 0.5 * (1.0 + np.tanh(0.5 * (own - s32[None, :]) / scale))
            # remove each row's comparison with itself
            width = np.arange(p.shape[0])
            p[width, width + start] = 0.0
            out[rows] = p.sum(axis=1, dtype=np.float64) / (n - 1)
    return low, high


def fit_ranking(n_items, low, high, counts, low_wins, initial):
    """What a refresh of a campaign's ranking computes, from plain arrays (so it can run in a
    child process): the fit warm-started from ``initial`` (at most 25 Newton steps), each
    item's chance to beat a random other one and its likely range (widened to hold the
    chance). Returns five float arrays: strengths, uncertainty, chance, low, high."""
    fit = fit_pairs(n_items, low, high, counts, low_wins, initial=initial, max_iterations=25)
    chance = chance_to_beat_random(fit.strengths, fit.uncertainty)
    low_chance, high_chance = chance_range(fit.strengths, fit.uncertainty)
    return (fit.strengths, fit.uncertainty, chance, np.minimum(low_chance, chance),
            np.maximum(high_chance, chance))


def rank_items(strengths, uncertainty=None, newest_first_on_ties=True):
    """Item indices best first, by ``chance_to_beat_random``; ties go to the newer (higher)
    index, like the idea list's ``id desc`` tie-break."""
    chance = chance_to_beat_random(strengths, uncertainty)
    index = np.arange(len(chance))
    tie = -index if newest_first_on_ties else index
    return np.lexsort((tie, -chance))


# --------------------------------------------------------------------------- pairwise state


@dataclass
class RankingState:
    """A campaign's pairwise votes and its current fit, kept small and explicit.

    Answered comparisons are kept counted per unordered pair of items: pair ``k`` is items
    ``pair_low[k] < pair_high[k]``, compared ``pair_counts[k]`` times, of which ``pair_low``
    won ``pair_low_wins[k]`` (``pair_slots`` finds a pair's ``k``). The arrays have spare
    capacity; only the first ``n_pairs`` entries count. ``appearances`` counts how often each
    item was shown in an answered or skipped pair, ``skips`` how often in a skipped one.
    ``strengths``/``uncertainty`` are the last fit (items added since start at 0 with the
    prior's uncertainty); ``fitted_comparisons`` is how many comparisons it saw.
    """

    n_items: int = 0
    prior_strength: float = PRIOR_STRENGTH
    n_comparisons: int = 0
    n_pairs: int = 0
    pair_slots: dict = field(default_factory=dict)
    pair_low: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    pair_high: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    pair_counts: np.ndarray = field(default_factory=lambda: np.zeros(0))
    pair_low_wins: np.ndarray = field(default_factory=lambda: np.zeros(0))
    appearances: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    skips: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    strengths: np.ndarray = field(default_factory=lambda: np.zeros(0))
    uncertainty: np.ndarray = field(default_factory=lambda: np.zeros(0))
    fitted_comparisons: int = 0
    #: Items best first by chance to beat a random other one, for the current fit (worked
    #: out when first asked for; a refit or new items clear it).
    leaders: np.ndarray | None = None

    def pairs(self):
        """The used part of the pair arrays: (low, high, counts, low_wins)."""
        k = self.n_pairs
        return self.pair_low[:k], self.pair_high[:k], self.pair_counts[:k], self.pair_low_wins[:k]


def prior_uncertainty(prior_strength=PRIOR_STRENGTH):
    """Standard error of an item with no comparisons: the prior's, 1/sqrt(prior_strength/4)."""
    return 2.0 / math.sqrt(prior_strength)


def create_state(n_items=0, prior_strength=PRIOR_STRENGTH, comparisons=()):
    """A fresh ``RankingState`` for ``n_items`` items, with any ``(winner, loser)``
    comparisons already recorded (not yet fitted: call ``refit_state``)."""
    state = RankingState(prior_strength=prior_strength)
    add_items(state, n_items)
    for winner, loser in comparisons:
        record_comparison(state, winner, loser)
    return state


def add_items(state, count=1):
    """Append ``count`` new items (indices ``n_items..n_items+count-1``); returns the first."""
    first = state.n_items
    if count <= 0:
        return first
    state.n_items += count
    state.leaders = None
    state.appearances = np.concatenate([state.appearances, np.zeros(count, dtype=np.int64)])
    state.skips = np.concatenate([state.skips, np.zeros(count, dtype=np.int64)])
    state.strengths = np.concatenate([state.strengths, np.zeros(count)])
    state.uncertainty = np.concatenate(
        [state.uncertainty, np.full(count, prior_uncertainty(state.prior_strength))])
    return first


def _check_pair(state, a, b):
    if a == b:
        raise ValueError("an item cannot be compared with itself")
    if not (0 <= a < state.n_items and 0 <= b < state.n_items):
        raise ValueError("unknown item")


def _pair_slot(state, low, high):
    """The index of pair (low, high) in the state's pair arrays, adding it if new."""
    key = (low, high)
    slot = state.pair_slots.get(key)
    if slot is None:
        slot = state.n_pairs
        if slot == len(state.pair_low):  # full: double the capacity
            grow = max(64, slot)
            state.pair_low = np.concatenate([state.pair_low, np.zeros(grow, dtype=np.int64)])
            state.pair_high = np.concatenate([state.pair_high, np.zeros(grow, dtype=np.int64)])
            state.pair_counts = np.concatenate([state.pair_counts, np.zeros(grow)])
            state.pair_low_wins = np.concatenate([state.pair_low_wins, np.zeros(grow)])
        state.pair_low[slot], state.pair_high[slot] = low, high
        state.pair_slots[key] = slot
        state.n_pairs += 1
    return slot


def record_comparison(state, winner, loser):
    """Record that ``winner`` was preferred to ``loser`` (the fit changes on ``refit_state``)."""
    winner, loser = int(winner), int(loser)
    _check_pair(state, winner, loser)
    slot = _pair_slot(state, min(winner, loser), max(winner, loser))
    state.pair_counts[slot] += 1
    if winner < loser:
        state.pair_low_wins[slot] += 1
    state.appearances[winner] += 1
    state.appearances[loser] += 1
    state.n_comparisons += 1


def record_skip(state, a, b):
    """Record a "can't decide": counted as exposure and as a skip, never as a result."""
    a, b = int(a), int(b)
    _check_pair(state, a, b)
    for item in (a, b):
        state.appearances[item] += 1
        state.skips[item] += 1


def refit_state(state, max_iterations=100):
    """Refit the state's strengths and uncertainty, warm-started from the previous fit.

    A server can refit with a small ``max_iterations`` (2-3) after every few votes — a few
    Newton steps from the previous fit land very close to the new maximum — and to
    convergence now and then.
    """
    fit = fit_pairs(state.n_items, *state.pairs(), state.prior_strength,
                    initial=state.strengths, max_iterations=max_iterations)
    state.strengths, state.uncertainty = fit.strengths, fit.uncertainty
    state.fitted_comparisons = state.n_comparisons
    state.leaders = None
    return fit


# --------------------------------------------------------------------------- choosing pairs


def _boundary_pair(mu, sd, theta, eligible, excluded_pairs, top_k):
    """LUCB-style: in a posterior draw's top ``top_k``, the member with the lowest lower bound
    (mean - sd) against the non-member with the highest upper bound (mean + sd) — the two
    ideas most likely to be on the wrong side of the top-k line."""
    pool = np.flatnonzero(eligible)
    if len(pool) <= top_k:
        return None
    order = pool[np.argsort(-theta[pool], kind="stable")]
    inside, outside = order[:top_k], order[top_k:]
    a = inside[np.argmin(mu[inside] - sd[inside])]
    for b in outside[np.argsort(-(mu[outside] + sd[outside]), kind="stable")][:8]:
        if _pair_key(int(a), int(b)) not in excluded_pairs:
            return int(a), int(b)
    return None


def _uncertain_pair(mu, sd, theta, eligible, excluded_pairs, candidates):
    """Among the ``candidates`` best of a posterior draw, the pair with the highest
    P(mis-ordered) * (share of its uncertainty one answer removes)."""
    pool = np.flatnonzero(eligible)
    k = min(candidates, len(pool))
    top = pool if k == len(pool) else pool[np.argpartition(-theta[pool], k - 1)[:k]]
    a_idx, b_idx = _pairs_of(len(top))
    a, b = top[a_idx], top[b_idx]
    var = sd[a] ** 2 + sd[b] ** 2
    gap = np.abs(mu[a] - mu[b])
    misorder = _sigmoid(-1.702 * gap / np.sqrt(var))  # ~ Phi(-gap/sd): the order is wrong
    p = _sigmoid(mu[a] - mu[b])
    info = var * p * (1 - p)  # one answer's information about the gap, relative to its variance
    score = misorder * info / (1.0 + info)
    for choice in np.argsort(-score, kind="stable"):
        if _pair_key(int(a[choice]), int(b[choice])) not in excluded_pairs:
            return int(a[choice]), int(b[choice])
    return None


@lru_cache(maxsize=64)
def _pairs_of(k):
    """All index pairs (i < j) of k items, cached: selection asks for the same k each time."""
    return np.triu_indices(k, k=1)


def _pair_key(a, b):
    return (a, b) if a < b else (b, a)


def _eligible_mask(state, exclude_items):
    mask = np.ones(state.n_items, dtype=bool)
    if exclude_items:
        excluded = np.fromiter((int(x) for x in exclude_items), dtype=np.int64)
        excluded = excluded[(excluded >= 0) & (excluded < state.n_items)]
        mask[excluded] = False
    return mask


def _normalise_pairs(exclude_pairs):
    return {_pair_key(int(a), int(b)) for a, b in exclude_pairs} if exclude_pairs else set()


def _shuffled(pair, rng):
    """Random left/right order, so a left-side bias in answers averages out."""
    a, b = int(pair[0]), int(pair[1])
    return (a, b) if rng.random() < 0.5 else (b, a)


def _random_pair(eligible, excluded_pairs, rng, weights=None):
    """A random pair of distinct eligible items not in ``excluded_pairs`` (None if none)."""
    items = np.flatnonzero(eligible)
    if len(items) < 2:
        return None
    p = None
    if weights is not None:
        p = weights[items] / weights[items].sum()
    for _ in range(32):
        a, b = rng.choice(items, size=2, replace=False, p=p)
        if _pair_key(int(a), int(b)) not in excluded_pairs:
            return _shuffled((a, b), rng)
    # Few pairs left: enumerate them.
    free = [(a, b) for k, a in enumerate(items) for b in items[k + 1:]
            if _pair_key(int(a), int(b)) not in excluded_pairs]
    if not free:
        return None
    return _shuffled(free[rng.integers(len(free))], rng)


def select_random_pair(state, rng, *, exclude_items=(), exclude_pairs=()):
    """The baseline: a uniformly random pair of distinct items, in random left/right order.

    ``exclude_items`` (hidden or merged ideas, the participant's own) never appear;
    ``exclude_pairs`` (pairs this participant already answered, either order) are not asked
    again. Returns ``(left, right)`` or ``None`` when no pair is left.
    """
    eligible = _eligible_mask(state, exclude_items)
    return _random_pair(eligible, _normalise_pairs(exclude_pairs), rng)


#: Choosing a pair reads this many leaders, new ideas, neighbours and random ideas at most.
LEADER_POOL = 40
NEW_POOL = 16
NEIGHBOURS = 8
RANDOM_POOL = 8


class StateSource:
    """What ``choose_pair`` reads, from an in-memory ``RankingState`` (the benchmark's and the
    tests'). ``app.domain.comparisons`` reads the same from the ideas' kept fit through
    indexes, so a pair costs the same at 100 ideas and at 46,000.

    Every method returns item keys (here: indices), fewest or best first, as an array.
    """

    def __init__(self, state):
        self.state = state
        self._by_strength = None

    def fit(self, keys):
        """``(strengths, uncertainty, appearances)`` of these items."""
        keys = np.asarray(keys, dtype=np.int64)
        st = self.state
        return st.strengths[keys], st.uncertainty[keys], st.appearances[keys]

    def leaders(self, limit):
        """The ``limit`` items with the highest chance to beat a random other one."""
        if self.state.leaders is None:
            self.state.leaders = rank_items(self.state.strengths, self.state.uncertainty)
        return self.state.leaders[:limit]

    def least_shown(self, below, limit):
        """Up to ``limit`` items shown fewer than ``below`` times, least shown first."""
        shown = self.state.appearances
        under = np.flatnonzero(shown < below)
        return under[np.argsort(shown[under], kind="stable")][:limit]

    def near(self, strength, limit):
        """Up to ``limit`` items on each side of ``strength``, nearest first."""
        if self._by_strength is None:
            self._by_strength = np.argsort(self.state.strengths, kind="stable")
        order = self._by_strength
        at = int(np.searchsorted(self.state.strengths[order], strength))
        return np.concatenate([order[at:at + limit], order[max(0, at - limit):at][::-1]])

    def random(self, count, rng):
        """``count`` items drawn uniformly (with replacement)."""
        n = self.state.n_items
        return rng.integers(n, size=count) if n else np.zeros(0, dtype=np.int64)

    def everything(self):
        """Every item: the last resort when the pools hold no allowed pair."""
        return np.arange(self.state.n_items)


def _allowed(keys, excluded_items):
    keys = [int(k) for k in dict.fromkeys(int(k) for k in keys)]
    return [k for k in keys if k not in excluded_items]


def _free_pair(keys, excluded_pairs, rng):
    """A random pair of distinct ``keys`` not in ``excluded_pairs`` (None if none)."""
    keys = list(keys)
    if len(keys) < 2:
        return None
    for _ in range(16):
        a, b = rng.choice(len(keys), size=2, replace=False)
        if _pair_key(keys[a], keys[b]) not in excluded_pairs:
            return keys[a], keys[b]
    free = [(a, b) for k, a in enumerate(keys) for b in keys[k + 1:] if _pair_key(a, b) not in excluded_pairs]
    return free[rng.integers(len(free))] if free else None


def _placement_pair(source, rng, excluded_items, excluded_pairs, placed, min_appearances):
    """A new idea (shown fewer than ``min_appearances`` times, least shown first, ties at
    random) against the idea whose sampled strength is nearest its own draw, preferring
    well-measured ideas as yardsticks — a randomised binary search. Ideas in ``placed`` (the
    person has already been shown them) are left to others, so a new idea's first
    comparisons come from several people, and one random clicker cannot place it alone."""
    fresh = [k for k in _allowed(source.least_shown(min_appearances, NEW_POOL), excluded_items) if k not in placed]
    if not fresh:
        return None
    _, _, shown = source.fit(fresh)
    for k in np.argsort(shown + 0.5 * rng.random(len(fresh)), kind="stable"):
        a = fresh[k]
        mu, sd, _ = source.fit([a])
        theta = float(mu[0] + sd[0] * rng.standard_normal())
        others = [b for b in _allowed(source.near(theta, NEIGHBOURS), excluded_items)
                  if b != a and _pair_key(a, b) not in excluded_pairs]
        if others:
            _, _, shown_b = source.fit(others)
            others = [b for b, n in zip(others, shown_b) if not (n < min_appearances and b in placed)]
        if not others:
            continue
        mu_b, sd_b, _ = source.fit(others)
        draw = mu_b + sd_b * rng.standard_normal(len(others))
        return a, others[int(np.argmin(np.abs(draw - theta) + 0.25 * sd_b))]
    return None


def _leader_pair(source, rng, excluded_items, excluded_pairs, placed, min_appearances, top_k, candidates,
                 boundary_share):
    """Thompson-style focus on the top, among the ``LEADER_POOL`` leaders (see
    ``choose_pair``)."""
    keys = _allowed(source.leaders(LEADER_POOL), excluded_items)
    if len(keys) < 2:
        return None
    _, _, shown = source.fit(keys)
    # an idea still being placed that this person has seen is left to the others
    keys = [k for k, n in zip(keys, shown) if not (n < min_appearances and k in placed)]
    if len(keys) < 2:
        return None
    mu, sd, _ = source.fit(keys)
    mu, sd = np.asarray(mu, dtype=float), np.asarray(sd, dtype=float)
    theta = mu + sd * rng.standard_normal(len(keys))
    local = {k: i for i, k in enumerate(keys)}
    blocked = {_pair_key(local[a], local[b]) for a, b in excluded_pairs if a in local and b in local}
    eligible = np.ones(len(keys), dtype=bool)
    pair = None
    if rng.random() < boundary_share:
        pair = _boundary_pair(mu, sd, theta, eligible, blocked, top_k)
    if pair is None:
        pair = _uncertain_pair(mu, sd, theta, eligible, blocked, candidates)
    return None if pair is None else (keys[pair[0]], keys[pair[1]])


def choose_pair(source, rng, *, exclude_items=(), exclude_pairs=(), placed=(), top_k=10, epsilon=0.35,
                min_appearances=6, candidates=None, boundary_share=0.5):
    """The next pair to ask about, read from ``source`` (a ``StateSource`` or the server's
    kept state): adaptive, aimed at getting the top of the ranking right.

    In order:

    1. **Exploration** — with probability ``epsilon``, a pair of uniformly random ideas, so
       that every idea keeps being compared across the whole range (the full ranking stays
       sound).
    2. **Placement of new ideas** — while an idea has been shown fewer than
       ``min_appearances`` times, it is paired with an idea of similar sampled strength
       (``_placement_pair``); an idea this person was already shown (``placed``) is left
       to the next people.
    3. **Thompson-style focus on the top** — among the ``LEADER_POOL`` leaders, draw
       strengths from the posterior ``N(strength, uncertainty^2)``. With probability
       ``boundary_share``, ask about the *top-k line* (LUCB): of the draw's top ``top_k``,
       the idea with the lowest lower bound against the outsider with the highest upper
       bound. Otherwise, among the draw's best ``candidates`` (default ``top_k + 5``), the
       pair with the highest ``P(mis-ordered) * (share of its uncertainty one answer
       removes)``.

    ``exclude_items`` never appear (hidden, merged, the person's own ideas); ``exclude_pairs``
    are never asked again (either order). Left/right order is random. Returns ``(left,
    right)`` keys or ``None`` when no allowed pair is left. Reads at most a few dozen ideas
    whatever the campaign's size; only when none of them makes an allowed pair does it read
    ``source.everything()``. Deterministic for a seeded ``rng``.
    """
    excluded_items = {int(x) for x in exclude_items}
    excluded_pairs = _normalise_pairs(exclude_pairs)
    placed = {int(x) for x in placed}
    pair = None
    if rng.random() < epsilon:
        pair = _free_pair(_allowed(source.random(RANDOM_POOL, rng), excluded_items), excluded_pairs, rng)
    if pair is None:
        pair = _placement_pair(source, rng, excluded_items, excluded_pairs, placed, min_appearances)
    if pair is None:
        pair = _leader_pair(source, rng, excluded_items, excluded_pairs, placed, min_appearances, top_k,
                            candidates or top_k + 5, boundary_share)
    if pair is None:
        pair = _free_pair(_allowed(source.random(RANDOM_POOL, rng), excluded_items), excluded_pairs, rng)
    if pair is None:
        pair = _free_pair(_allowed(source.everything(), excluded_items), excluded_pairs, rng)
    return None if pair is None else _shuffled(pair, rng)


def select_pair(state, rng, *, exclude_items=(), exclude_pairs=(), placed=None, **options):
    """``choose_pair`` on an in-memory ``RankingState``. Without ``placed``, the items of
    ``exclude_pairs`` count as already shown to this person."""
    if placed is None:
        placed = {int(x) for pair in exclude_pairs for x in pair}
    return choose_pair(StateSource(state), rng, exclude_items=exclude_items, exclude_pairs=exclude_pairs,
                       placed=placed, **options)
