"""The simulated jam: ground-truth idea qualities, when ideas and participants arrive."""
from dataclasses import dataclass

import numpy as np

N_IDEAS = 100
N_INITIAL = 20
ARRIVAL_WINDOW = 0.7      # later ideas arrive uniformly during the first 70 % of the jam
LATE_AFTER = 0.5          # "late" ideas arrived in the second half of the jam
VOTES_PER_PARTICIPANT = 8
TOP = 10

# How people vote (logit scale; one standard deviation of quality = one logit).
DISCRIMINATION = 1.0      # logit effect of one sd of quality, for both kinds of vote
UP_BIAS = 1.0             # people up-vote readily: an average idea gets ~73 % up-votes
ATTENTION_DECAY = 0.9     # P(looking at list position r) is proportional to 0.9^r
LEFT_BIAS = 0.2           # pairwise: the left idea wins a little more often
SKIP_MAX = 0.2            # pairwise: "can't decide" 20 % of the time for equal ideas ...
SKIP_FALLOFF = 2.0        # ... falling off as exp(-2 |quality difference|)


@dataclass
class World:
    """One jam. Ideas are numbered in order of arrival (index = idea id order)."""

    quality: np.ndarray        # true quality of each idea, N(0, 1)
    arrival: np.ndarray        # arrival time in [0, 1], sorted ascending
    participants: np.ndarray   # arrival time of each participant, sorted ascending
    seed: int
    budget: int

    @property
    def true_top(self):
        return np.argsort(-self.quality)[:TOP]

    @property
    def late_top(self):
        top = self.true_top
        return top[self.arrival[top] >= LATE_AFTER]


def make_world(seed, budget):
    """The jam for ``seed``: the same ideas for every budget and method (common random
    numbers), with ``budget / 8`` participants arriving uniformly over the jam."""
    rng = np.random.default_rng([seed, 0])
    quality = rng.standard_normal(N_IDEAS)
    arrival = np.concatenate([np.zeros(N_INITIAL),
                              np.sort(rng.uniform(0, ARRIVAL_WINDOW, N_IDEAS - N_INITIAL))])
    people = np.sort(np.random.default_rng([seed, 1, budget]).uniform(
        0, 1, budget // VOTES_PER_PARTICIPANT))
    return World(quality, arrival, people, seed, budget)
