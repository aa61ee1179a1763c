"""Participants voting in a simulated jam, through the real code in app.domain.ranking."""
import numpy as np

from app.domain import ranking
from bench.ranking import world as w


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _herd_signal(net):
    """How a visible net count pushes the next vote: sign(net) * log(1 + |net|) logits,
    scaled by the herding strength."""
    return np.sign(net) * np.log1p(np.abs(net))


def _sort_keys(method, up, down):
    if method == "net":
        return up - down
    if method == "best":
        return ranking.best_score(up, down)
    if method == "wilson":
        return ranking.wilson_lower_bound(up, down)
    raise ValueError(method)


def _order(keys, count):
    """Indices best first; ties go to the newer idea (the app's ``id desc``)."""
    index = np.arange(count)
    return np.lexsort((-index, -keys[:count]))


def simulate_updown(world, method, herding, rng):
    """Up/down voting on a list sorted by ``method`` ("net", "best" or "wilson").

    Each participant opens the list at their arrival, sorted by the method, and votes on 8
    different ideas, looking at position r with probability proportional to 0.9^r. A vote
    is up with probability sigmoid(UP_BIAS + quality + herding * sign(net) * log(1 + |net|)),
    where net is the visible up - down count: herding acts on what the list shows.
    Returns the final order and how often each idea was looked at (voted on).
    """
    n = len(world.quality)
    up = np.zeros(n)
    down = np.zeros(n)
    seen = np.zeros(n)
    for t in world.participants:
        visible = int(np.searchsorted(world.arrival, t, side="right"))
        order = _order(_sort_keys(method, up[:visible], down[:visible]), visible)
        # 8 positions without replacement, weights 0.9^r (Gumbel top-k)
        logw = np.arange(visible) * np.log(w.ATTENTION_DECAY) + rng.gumbel(size=visible)
        picks = order[np.argsort(-logw)[: w.VOTES_PER_PARTICIPANT]]
        # The picks are different ideas, so each vote sees only its own idea's count: the
        # participant's votes can be drawn together.
        logit = (w.UP_BIAS + w.DISCRIMINATION * world.quality[picks]
                 + herding * _herd_signal(up[picks] - down[picks]))
        ups = rng.random(len(picks)) < _sigmoid(logit)
        up[picks] += ups
        down[picks] += ~ups
        seen[picks] += 1
    return _order(_sort_keys(method, up, down), n), seen


def simulate_pairwise(world, method, rng, **select_options):
    """Pairwise voting with pairs from ``select_pair`` ("adaptive") or ``select_random_pair``
    ("random").

    Each participant answers 8 pairs (a skip uses one of the 8), never the same pair twice.
    The screen shows two ideas and no counts, so there is nothing to herd on. The left idea
    wins with probability sigmoid(quality difference + LEFT_BIAS); a participant skips with
    probability SKIP_MAX * exp(-SKIP_FALLOFF * |quality difference|). For adaptive pairs the
    fit is refreshed after every participant (warm-started), as a server would every few
    seconds. Returns the
    final order (by chance to beat a random idea), how often each idea was shown and the
    share of answers that were skips.
    """
    state = ranking.create_state(w.N_INITIAL)
    arrived = w.N_INITIAL
    q = world.quality
    for t in world.participants:
        while arrived < len(q) and world.arrival[arrived] <= t:
            ranking.add_items(state, 1)
            arrived += 1
        answered = set()
        for _ in range(w.VOTES_PER_PARTICIPANT):
            if method == "adaptive":
                pair = ranking.select_pair(state, rng, exclude_pairs=answered, **select_options)
            else:
                pair = ranking.select_random_pair(state, rng, exclude_pairs=answered)
            if pair is None:
                break
            left, right = pair
            answered.add(pair)
            gap = q[left] - q[right]
            if rng.random() < w.SKIP_MAX * np.exp(-w.SKIP_FALLOFF * abs(gap)):
                ranking.record_skip(state, left, right)
            elif rng.random() < _sigmoid(w.DISCRIMINATION * gap + w.LEFT_BIAS):
                ranking.record_comparison(state, left, right)
            else:
                ranking.record_comparison(state, right, left)
        if method == "adaptive":  # random pairs never look at the fit
            ranking.refit_state(state)
    ranking.add_items(state, len(q) - state.n_items)
    ranking.refit_state(state)
    order = ranking.rank_items(state.strengths, state.uncertainty)
    skips = state.skips.sum() / 2
    return order, state.appearances.astype(float), skips / (skips + state.n_comparisons)
