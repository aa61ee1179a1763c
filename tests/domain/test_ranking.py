"""The ranking core: up/down sorts, Bradley–Terry fits and adaptive pair selection."""
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from app.domain import ranking


def rng(seed=0):
    return np.random.default_rng(seed)


def fitted_state(strengths, uncertainty, appearances=50):
    """A state whose fit is given (as after refit_state), every item well exposed."""
    state = ranking.create_state(len(strengths))
    state.strengths = np.asarray(strengths, dtype=float)
    state.uncertainty = np.asarray(uncertainty, dtype=float)
    state.appearances[:] = appearances
    return state


# --------------------------------------------------------------------------- up/down sorts


def test_wilson_bound_is_zero_without_votes_and_rises_with_more_votes_at_the_same_ratio():
    assert ranking.wilson_lower_bound(0, 0) == 0.0
    assert ranking.wilson_lower_bound(1, 0) < ranking.wilson_lower_bound(10, 0) \
        < ranking.wilson_lower_bound(100, 0) < 1.0
    assert ranking.wilson_lower_bound(6, 4) < ranking.wilson_lower_bound(60, 40) \
        < ranking.wilson_lower_bound(600, 400) < 0.6
    assert ranking.wilson_lower_bound(0, 5) == 0.0
    # one lucky vote does not beat a well-proven idea
    assert ranking.wilson_lower_bound(1, 0) < ranking.wilson_lower_bound(90, 10)


def test_wilson_bound_works_element_wise_on_arrays():
    bounds = ranking.wilson_lower_bound(np.array([0, 1, 10, 100]), np.array([0, 0, 0, 0]))
    assert bounds[0] == 0.0 and np.all(np.diff(bounds) > 0) and np.all(bounds <= 1)
    assert ranking.wilson_lower_bound(5, 5, z=3) < ranking.wilson_lower_bound(5, 5, z=1)


#: Cases a person would judge: (better, worse) as (up, down) counts, with why.
#: docs/RANKING.md shows the same table with the scores.
BEST_CASES = [
    ((9, 1), (1, 0), "many steady votes beat one lucky vote"),
    ((16, 1), (4, 0), "many steady votes beat a few lucky ones"),
    ((30, 5), (3, 0), "many steady votes beat a few lucky ones"),
    ((50, 10), (5, 0), "many steady votes beat a few lucky ones"),
    ((18, 2), (2, 0), "the highest net score is not below two lucky votes"),
    ((18, 2), (1, 1), "the highest net score is not below a split pair"),
    ((12, 1), (4, 0), "one down-vote among many up-votes does not sink an idea"),
    ((20, 1), (5, 0), "one down-vote among many up-votes does not sink an idea"),
    ((40, 3), (10, 0), "a few down-votes among many up-votes do not sink an idea"),
    ((18, 2), (9, 1), "the same share with more votes is surer"),
    ((1, 0), (0, 0), "one up-vote lifts a new idea"),
    ((0, 0), (0, 1), "a new idea is not buried below a disliked one"),
    ((0, 0), (5, 20), "a new idea is not buried below a disliked one"),
    ((10, 10), (3, 7), "an even split beats a mostly disliked idea"),
]


@pytest.mark.parametrize("better, worse, why", BEST_CASES, ids=[c[2] for c in BEST_CASES])
def test_best_score_orders_the_cases_a_person_would_judge(better, worse, why):
    assert ranking.best_score(*better) > ranking.best_score(*worse), why


def test_best_score_never_puts_more_up_or_fewer_down_votes_lower():
    up, down = np.meshgrid(np.arange(0, 60), np.arange(0, 60), indexing="ij")
    score = ranking.best_score(up, down)
    assert np.all(np.diff(score, axis=0) > 0)  # one more up-vote always helps
    assert np.all(np.diff(score, axis=1) < 0)  # one more down-vote always hurts
    assert np.all((score > 0) & (score < 1))
    # ▲18 ▼2 is above every idea with at most two votes, whatever they are
    assert score[18, 2] > score[:3, :3].max()


def test_best_score_gives_the_same_number_for_a_float_and_in_an_array():
    up, down = np.array([0, 3, 18, 900]), np.array([0, 1, 2, 100])
    assert [ranking.best_score(u, d) for u, d in zip(up, down)] == list(ranking.best_score(up, down))
    assert ranking.best_score(900, 100) == pytest.approx(0.9, abs=0.02)
    assert ranking.best_score(0, 0) > ranking.wilson_lower_bound(0, 0) == 0.0


def test_trending_score_matches_the_idea_list_formula(app):
    from app.domain import ideas

    at = datetime(2025, 3, 1, 12, tzinfo=timezone.utc)
    hours = app.config["TRENDING_TIMESCALE_HOURS"]
    assert ranking.trending_score([(2.0, at)], timescale_hours=hours) == \
        pytest.approx(ideas.trending_increment(2.0, at))


def test_trending_score_sums_in_log_space_and_decays():
    now = datetime(2025, 3, 1, 12, tzinfo=timezone.utc)
    assert ranking.trending_score([]) == float("-inf")
    assert ranking.trending_score([(1.0, now)], now=now) == pytest.approx(0.0)
    one_scale_ago = now - timedelta(hours=6)
    assert ranking.trending_score([(1.0, one_scale_ago)], now=now, timescale_hours=6) \
        == pytest.approx(-1.0)
    both = ranking.trending_score([(1.0, now), (2.0, now)], now=now)
    assert both == pytest.approx(np.log(3.0))
    # recent activity outranks more activity long ago
    recent = ranking.trending_score([(1.0, now)], now=now)
    old = ranking.trending_score([(2.0, now - timedelta(days=2))] * 3, now=now)
    assert recent > old


# --------------------------------------------------------------------------- Bradley–Terry


def test_transitive_comparisons_order_the_items():
    comparisons = [(0, 1), (1, 2), (2, 3), (0, 2), (1, 3), (0, 3)] * 3
    fit = ranking.fit_bradley_terry(4, comparisons)
    assert fit.converged
    assert np.all(np.diff(fit.strengths) < 0)
    assert np.all(np.isfinite(fit.uncertainty)) and np.all(fit.uncertainty > 0)
    # the order of the input does not matter
    shuffled = [comparisons[k] for k in rng().permutation(len(comparisons))]
    np.testing.assert_allclose(ranking.fit_bradley_terry(4, shuffled).strengths, fit.strengths)


def test_tied_records_give_equal_strengths():
    fit = ranking.fit_bradley_terry(3, [(0, 1), (1, 0), (0, 1), (1, 0), (0, 2), (1, 2)])
    assert fit.strengths[0] == pytest.approx(fit.strengths[1], abs=1e-9)
    chance = ranking.chance_to_beat_random(fit.strengths, fit.uncertainty)
    assert chance[0] == pytest.approx(chance[1], abs=1e-6)


def test_skips_are_counted_but_do_not_move_scores():
    state = ranking.create_state(3, comparisons=[(0, 1), (1, 2), (0, 2)])
    ranking.refit_state(state)
    before = state.strengths.copy(), state.uncertainty.copy()
    ranking.record_skip(state, 0, 2)
    ranking.record_skip(state, 2, 1)
    ranking.refit_state(state)
    np.testing.assert_allclose(state.strengths, before[0], atol=1e-12)
    np.testing.assert_allclose(state.uncertainty, before[1], atol=1e-12)
    assert state.skips.tolist() == [1, 1, 2]
    assert state.appearances.tolist() == [3, 3, 4]
    assert state.n_comparisons == 3


def test_an_item_without_comparisons_sits_in_the_middle_with_large_uncertainty():
    comparisons = [(0, 1), (1, 2), (0, 2), (2, 3), (1, 3)] * 5
    fit = ranking.fit_bradley_terry(5, comparisons)  # item 4 never compared
    assert fit.strengths[4] == 0.0
    assert fit.strengths[:4].min() < 0 < fit.strengths[:4].max()
    assert fit.uncertainty[4] == pytest.approx(ranking.prior_uncertainty(), rel=0.05)
    assert fit.uncertainty[4] > 1.3 * fit.uncertainty[:4].max()
    chance = ranking.chance_to_beat_random(fit.strengths, fit.uncertainty)
    assert chance[:4].min() < chance[4] < chance[:4].max()


def test_items_without_any_comparison_fit_to_the_prior():
    # A campaign whose only answers so far were skips: integer-typed empty sums must not break it.
    fit = ranking.fit_pairs(3, [], [], [], [], initial=[0, 0, 0])
    assert fit.strengths.tolist() == [0.0, 0.0, 0.0]
    # all equally unknown (relative to the average of three, so a little under the prior's 2)
    assert fit.uncertainty == pytest.approx(np.full(3, fit.uncertainty[0]))
    assert 1.5 < fit.uncertainty[0] <= ranking.prior_uncertainty()


def test_all_wins_does_not_explode():
    comparisons = [(0, k) for k in range(1, 5)] * 50
    fit = ranking.fit_bradley_terry(5, comparisons)
    assert fit.converged
    assert np.all(np.isfinite(fit.strengths)) and np.all(np.isfinite(fit.uncertainty))
    assert fit.strengths[0] == fit.strengths.max() and fit.strengths[0] < 15
    # an item that lost everything is bounded below just the same
    assert fit.strengths[1:].min() > -15


def test_disconnected_groups_stay_finite_and_ordered_within_each_group():
    comparisons = [(0, 1), (1, 2), (0, 2)] * 4 + [(3, 4)] * 4
    fit = ranking.fit_bradley_terry(5, comparisons)
    assert fit.converged and np.all(np.isfinite(fit.strengths))
    assert fit.strengths[0] > fit.strengths[1] > fit.strengths[2]
    assert fit.strengths[3] > fit.strengths[4]


def test_fit_recovers_known_strengths():
    generator = rng(3)
    n, m = 60, 6000
    truth = generator.standard_normal(n)
    a = generator.integers(n, size=m)
    b = (a + 1 + generator.integers(n - 1, size=m)) % n
    a_wins = generator.random(m) < 1 / (1 + np.exp(-(truth[a] - truth[b])))
    comparisons = np.where(a_wins[:, None], np.c_[a, b], np.c_[b, a])
    fit = ranking.fit_bradley_terry(n, comparisons)
    assert np.corrcoef(fit.strengths, truth)[0, 1] > 0.97
    # the standard errors are honest: about 95 % of errors within two of them
    centred = fit.strengths - fit.strengths.mean() + truth.mean()
    assert np.mean(np.abs(centred - truth) < 2 * fit.uncertainty) > 0.85


def test_sparse_path_matches_the_dense_one():
    generator = rng(5)
    n, m = 80, 1500
    truth = generator.standard_normal(n)
    a = generator.integers(n, size=m)
    b = (a + 1 + generator.integers(n - 1, size=m)) % n
    a_wins = generator.random(m) < 1 / (1 + np.exp(-(truth[a] - truth[b])))
    comparisons = np.where(a_wins[:, None], np.c_[a, b], np.c_[b, a])
    dense = ranking.fit_bradley_terry(n, comparisons)
    sparse = ranking.fit_bradley_terry(n, comparisons, dense_limit=0)
    assert sparse.converged
    np.testing.assert_allclose(sparse.strengths, dense.strengths, atol=1e-6)
    np.testing.assert_allclose(sparse.uncertainty, dense.uncertainty, rtol=0.15)


def test_state_refits_incrementally_to_the_batch_answer():
    generator = rng(7)
    comparisons = [tuple(generator.choice(12, size=2, replace=False)) for _ in range(300)]
    state = ranking.create_state(10)
    for k, (winner, loser) in enumerate(comparisons):
        if max(winner, loser) >= state.n_items:
            ranking.add_items(state, max(winner, loser) + 1 - state.n_items)
        ranking.record_comparison(state, winner, loser)
        if k % 25 == 0:
            ranking.refit_state(state, max_iterations=2)
    ranking.refit_state(state)
    batch = ranking.fit_bradley_terry(12, comparisons)
    np.testing.assert_allclose(state.strengths, batch.strengths, atol=1e-6)
    np.testing.assert_allclose(state.uncertainty, batch.uncertainty, atol=1e-6)
    assert state.fitted_comparisons == 300


def test_a_large_campaign_refits_on_the_sparse_path():
    generator = rng(11)
    n, m = 3000, 30000
    a = generator.integers(n, size=m)
    b = (a + 1 + generator.integers(n - 1, size=m)) % n
    state = ranking.create_state(n, comparisons=zip(a, b))
    first = ranking.refit_state(state)
    for winner, loser in zip(b[:100], a[:100]):
        ranking.record_comparison(state, winner, loser)
    again = ranking.refit_state(state)
    assert first.converged and again.converged and again.iterations <= 6


def test_bad_comparisons_are_refused():
    with pytest.raises(ValueError):
        ranking.fit_bradley_terry(3, [(1, 1)])
    with pytest.raises(ValueError):
        ranking.fit_bradley_terry(3, [(0, 3)])
    state = ranking.create_state(2)
    with pytest.raises(ValueError):
        ranking.record_comparison(state, 1, 1)
    with pytest.raises(ValueError):
        ranking.record_skip(state, 0, 2)


# --------------------------------------------------------------------------- chance to beat


def test_chance_to_beat_random_is_a_probability_ordered_like_the_strengths():
    strengths = rng(1).normal(size=50)
    chance = ranking.chance_to_beat_random(strengths, np.full(50, 0.4))
    assert np.all((chance >= 0) & (chance <= 1))
    assert np.array_equal(np.argsort(chance), np.argsort(strengths))
    # every comparison has one winner, so the chances average one half
    assert chance.mean() == pytest.approx(0.5, abs=1e-6)
    assert ranking.chance_to_beat_random([3.0]).tolist() == [0.5]


def test_chance_to_beat_random_pulls_uncertain_items_towards_one_half():
    sure = ranking.chance_to_beat_random([2.0, 0.0, 0.0], [0.1, 0.1, 0.1])[0]
    unsure = ranking.chance_to_beat_random([2.0, 0.0, 0.0], [3.0, 0.1, 0.1])[0]
    assert 0.5 < unsure < sure


def test_chance_range_brackets_the_chance_and_narrows_with_certainty():
    strengths = np.array([1.5, 0.5, 0.0, -0.5, -1.5])
    uncertainty = np.array([0.2, 1.5, 0.2, 0.2, 0.2])
    chance = ranking.chance_to_beat_random(strengths, uncertainty)
    low, high = ranking.chance_range(strengths, uncertainty)
    assert np.all(low <= chance + 1e-9) and np.all(chance <= high + 1e-9)
    width = high - low
    assert width[1] > 3 * width[[0, 2, 3, 4]].max()  # the uncertain idea has the widest range
    assert ranking.chance_range([2.0], [1.0])[0].tolist() == [0.5]


def test_large_campaigns_sum_chances_on_a_grid_that_matches_every_pair():
    generator = rng(5)
    strengths = generator.normal(0, 1.5, size=1500)
    uncertainty = generator.uniform(0.1, 2.0, size=1500)
    exact = ranking.chance_to_beat_random(strengths, uncertainty)
    grid = ranking.chance_to_beat_random(strengths, uncertainty, exact_limit=0)
    assert np.abs(grid - exact).max() < 5e-4
    low, high = ranking.chance_range(strengths, uncertainty)
    grid_low, grid_high = ranking.chance_range(strengths, uncertainty, exact_limit=0)
    assert np.abs(grid_low - low).max() < 5e-4 and np.abs(grid_high - high).max() < 5e-4
    # equal uncertainty: exactly the order of the strengths
    same = ranking.chance_to_beat_random(strengths, np.full(1500, 0.5), exact_limit=0)
    assert np.array_equal(np.argsort(same, kind="stable"), np.argsort(strengths, kind="stable"))


def test_fit_ranking_returns_what_a_refresh_keeps():
    generator = rng(6)
    comparisons = [(a, b) for a, b in generator.integers(0, 40, size=(400, 2)) if a != b]
    low, high, counts, wins = ranking._aggregate_comparisons(40, comparisons)
    strengths, uncertainty, chance, chance_low, chance_high = ranking.fit_ranking(
        40, low, high, counts, wins, np.zeros(40))
    fit = ranking.fit_bradley_terry(40, comparisons)
    assert np.allclose(strengths, fit.strengths, atol=1e-6)
    assert np.allclose(chance, ranking.chance_to_beat_random(fit.strengths, fit.uncertainty), atol=1e-6)
    assert np.all(chance_low <= chance) and np.all(chance <= chance_high)


# --------------------------------------------------------------------------- choosing pairs


def test_select_pair_never_returns_excluded_items_or_the_same_item_twice():
    generator = rng(2)
    state = fitted_state(generator.normal(size=30), generator.uniform(0.1, 1.5, size=30),
                         appearances=generator.integers(0, 12, size=30))
    excluded_items = {0, 3, 7, 11}
    answered = {(1, 2), (5, 4), (2, 9)}
    for _ in range(500):
        for select in (ranking.select_pair, ranking.select_random_pair):
            left, right = select(state, generator, exclude_items=excluded_items,
                                 exclude_pairs=answered)
            assert left != right
            assert not {left, right} & excluded_items
            assert (left, right) not in answered and (right, left) not in answered


def test_select_pair_returns_none_when_no_pair_is_left():
    state = fitted_state([0.0, 1.0, 2.0], [1.0, 1.0, 1.0])
    assert ranking.select_pair(state, rng(), exclude_items=[0, 1]) is None
    assert ranking.select_pair(state, rng(), exclude_pairs=[(0, 1), (2, 1), (0, 2)]) is None
    assert ranking.select_random_pair(state, rng(), exclude_items=[2], exclude_pairs=[(1, 0)]) \
        is None
    assert ranking.select_pair(ranking.create_state(1), rng()) is None


def test_select_pair_prefers_uncertain_top_pairs_over_settled_ones():
    # 0 and 1: near the top, close and still uncertain. 2 and 3: near the top, well apart
    # and well measured. The rest: far below.
    strengths = [2.0, 1.9, 2.6, 1.2] + [-1.0] * 16
    uncertainty = [0.7, 0.7, 0.05, 0.05] + [0.1] * 16
    state = fitted_state(strengths, uncertainty)
    generator = rng(4)
    pairs = [frozenset(ranking.select_pair(state, generator, top_k=3, epsilon=0.0))
             for _ in range(2000)]
    uncertain = pairs.count(frozenset({0, 1}))
    settled = pairs.count(frozenset({2, 3}))
    assert uncertain > 400 and uncertain > 10 * (settled + 1)
    # and the top is where the attention goes
    bottom = sum(1 for p in pairs if min(p) >= 4 and max(p) >= 4)
    assert bottom < 0.05 * len(pairs)


def test_a_brand_new_item_is_shown_within_a_few_draws():
    generator = rng(6)
    for seed in range(20):
        state = ranking.create_state(30)
        state.strengths = generator.normal(size=30)
        state.uncertainty = np.full(30, 0.3)
        state.appearances[:] = 40
        new = ranking.add_items(state)
        draws = rng(seed)
        # only exploration draws (15 % each) can pass it by
        shown = [new in ranking.select_pair(state, draws) for _ in range(5)]
        assert any(shown)
    # without exploration, straight away
    assert new in ranking.select_pair(state, rng(99), epsilon=0.0)


def test_a_new_item_is_placed_by_several_people_not_one():
    """One person asking for pairs in a row meets a new idea once: its placement comparisons
    come from several people, so one random clicker cannot place it alone."""
    generator = rng(7)
    state = fitted_state(np.linspace(-2, 2, 40), np.full(40, 0.3))
    ranking.add_items(state, 1)
    new = state.n_items - 1
    for person in range(4):
        answered = set()
        met = 0
        for _ in range(8):
            pair = ranking.select_pair(state, generator, exclude_pairs=answered, epsilon=0.0)
            answered.add(pair)
            if new in pair:
                met += 1
                state.appearances[new] += 1
        assert met == 1, person
    assert state.appearances[new] == 4


def test_pair_selection_is_deterministic_with_a_seeded_generator():
    generator = rng(8)
    state = fitted_state(generator.normal(size=40), generator.uniform(0.1, 1.0, size=40),
                         appearances=generator.integers(0, 10, size=40))
    for select in (ranking.select_pair, ranking.select_random_pair):
        first = [select(state, rng(123)) for _ in range(1)] + \
            [p for g in [rng(5)] for p in (select(state, g) for _ in range(50))]
        second = [select(state, rng(123)) for _ in range(1)] + \
            [p for g in [rng(5)] for p in (select(state, g) for _ in range(50))]
        assert first == second


def test_left_and_right_are_shuffled():
    state = fitted_state([1.0, 0.0], [0.5, 0.5])
    generator = rng(9)
    lefts = [ranking.select_pair(state, generator)[0] for _ in range(400)]
    assert 120 < lefts.count(0) < 280


def test_adaptive_selection_finds_the_top_in_a_small_simulation():
    """End to end on a toy jam: adaptive pairs find the true top 5 of 40 better than
    random pairs with the same number of answers (seeded; a wide margin)."""
    truth = rng(10).normal(size=40)
    true_top = set(np.argsort(-truth)[:5])

    def found(select, seed):
        state = ranking.create_state(40)
        draws = rng(seed)
        for vote in range(600):
            left, right = select(state, draws)
            p_left = 1 / (1 + np.exp(-(truth[left] - truth[right])))
            winner, loser = (left, right) if draws.random() < p_left else (right, left)
            ranking.record_comparison(state, winner, loser)
            if vote % 8 == 7:
                ranking.refit_state(state)
        ranking.refit_state(state)
        order = ranking.rank_items(state.strengths, state.uncertainty)
        return len(true_top & set(order[:5].tolist()))

    adaptive = sum(found(lambda s, g: ranking.select_pair(s, g, top_k=5), k) for k in range(6))
    uniform = sum(found(ranking.select_random_pair, k) for k in range(6))
    assert adaptive > uniform


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_the_database_keeps_exactly_the_best_score_of_the_domain(database):
    """The SQL function a vote's UPDATE uses is ``ranking.best_score``, on both databases."""
    from contextlib import nullcontext

    import sqlalchemy as sa

    from app.domain import sqlfunctions
    from tests.services import postgres_database

    place = postgres_database() if database == "postgresql" else nullcontext("sqlite://")
    counts = [(up, down) for up in (0, 1, 2, 4, 16, 18, 900) for down in (0, 1, 2, 100)]
    with place as url:
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                for up, down in counts:
                    stored = conn.execute(sa.select(sqlfunctions.best_score(
                        sa.literal(up, sa.Integer), sa.literal(down, sa.Integer)))).scalar_one()
                    assert stored == pytest.approx(ranking.best_score(up, down), rel=1e-14, abs=1e-15), (up, down)
        finally:
            engine.dispose()
