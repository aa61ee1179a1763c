"""Pairwise voting: serving pairs, refusing bad answers, and fitting the ranking."""
from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.domain import comparisons, events, ideas, moderation, votes
from app.domain.errors import (AuthenticationRequired, CampaignNotOpen, Conflict, NoPairLeft, NotFound,
                               PermissionDenied, RateLimited, ValidationError)
from app.extensions import db
from app.models import Comparison, ComparisonChoice, Idea, IdeaStatus, ParticipantKind, Role
from tests import factories as f


@pytest.fixture
def voter(app):
    return f.make_user()


def make_ideas(campaign, n, author=None):
    return [f.make_idea(campaign, author, title=f"Comparable idea {k}") for k in range(n)]


def answered_count():
    return db.session.scalar(select(func.count()).select_from(Comparison)
                             .where(Comparison.answered_at.is_not(None)))


# --- serving pairs -----------------------------------------------------------------------

def test_a_served_pair_is_two_different_ideas_of_the_campaign_and_stays_until_answered(
        campaign, voter):
    made = {idea.id for idea in make_ideas(campaign, 4)}
    pair = comparisons.serve_pair(voter, campaign.id)
    assert pair.left_idea_id != pair.right_idea_id
    assert {pair.left_idea_id, pair.right_idea_id} <= made
    assert (pair.low_idea_id, pair.high_idea_id) == tuple(sorted([pair.left_idea_id, pair.right_idea_id]))
    # Reloading the page does not spend pairs.
    assert comparisons.serve_pair(voter, campaign.id).id == pair.id
    comparisons.answer_comparison(voter, pair.id, "left")
    assert comparisons.serve_pair(voter, campaign.id).id != pair.id


def test_every_pair_is_served_once_then_nothing_is_left(campaign, voter):
    make_ideas(campaign, 4)
    seen = set()
    for _ in range(6):  # 4 ideas make 6 pairs
        pair = f.answer_pair(voter, campaign, "skip")
        seen.add((pair.low_idea_id, pair.high_idea_id))
    assert len(seen) == 6
    with pytest.raises(NoPairLeft):
        comparisons.serve_pair(voter, campaign.id)


def test_own_ideas_are_never_served(campaign, voter):
    own = {idea.id for idea in make_ideas(campaign, 3, author=voter)}
    make_ideas(campaign, 3)
    for _ in range(3):  # only the three ideas of others can be paired
        pair = f.answer_pair(voter, campaign, "right", rng=np.random.default_rng(1))
        assert not own & {pair.left_idea_id, pair.right_idea_id}
    with pytest.raises(NoPairLeft):
        comparisons.serve_pair(voter, campaign.id)


@pytest.mark.parametrize("status", [IdeaStatus.DECLINED, IdeaStatus.DUPLICATE])
def test_declined_and_merged_ideas_are_never_served(campaign, voter, moderator, status):
    # A merge marks the merged idea a duplicate: it leaves the ranking like a declined one.
    kept = make_ideas(campaign, 3)
    gone = make_ideas(campaign, 3)
    for idea in gone:
        moderation.change_idea_status(moderator, idea.id, status=status.value, note="Not in the running.")
    gone_ids = {idea.id for idea in gone}
    for _ in range(3):
        pair = f.answer_pair(voter, campaign, "left")
        assert not gone_ids & {pair.left_idea_id, pair.right_idea_id}
    with pytest.raises(NoPairLeft):
        comparisons.serve_pair(voter, campaign.id)
    assert len(kept) == 3


def test_fewer_than_two_ideas_means_no_pair(campaign, voter):
    make_ideas(campaign, 1)
    with pytest.raises(NoPairLeft):
        comparisons.serve_pair(voter, campaign.id)


def test_a_pair_that_lost_an_idea_is_replaced(campaign, voter, moderator):
    make_ideas(campaign, 4)
    first = comparisons.serve_pair(voter, campaign.id)
    moderation.change_idea_status(moderator, first.left_idea_id, status="declined", note="Out of scope.")
    second = comparisons.serve_pair(voter, campaign.id)
    assert second.id != first.id
    assert first.left_idea_id not in (second.left_idea_id, second.right_idea_id)


# --- answering ---------------------------------------------------------------------------

def test_an_answer_is_stored_once_and_counts_as_exposure(campaign, voter):
    make_ideas(campaign, 3)
    pair = comparisons.serve_pair(voter, campaign.id)
    answered = comparisons.answer_comparison(voter, pair.id, "RIGHT", reason="ignored with a pick")
    assert answered.choice is ComparisonChoice.RIGHT and answered.answered_at is not None
    assert answered.skip_reason == ""
    assert pair.left.pairwise_appearances == 1 and pair.right.pairwise_appearances == 1


def test_a_skip_keeps_its_reason(campaign, voter):
    make_ideas(campaign, 3)
    pair = comparisons.serve_pair(voter, campaign.id)
    answered = comparisons.answer_comparison(voter, pair.id, "skip", reason="  Both are great  ")
    assert answered.choice is ComparisonChoice.SKIP and answered.skip_reason == "Both are great"


def test_a_pair_never_served_to_you_is_refused(campaign, voter):
    make_ideas(campaign, 3)
    someone_elses = comparisons.serve_pair(f.make_user(), campaign.id)
    for bad_id in (someone_elses.id, 999_999, "abc", None, -1, True):
        with pytest.raises(NotFound) as refused:
            comparisons.answer_comparison(voter, bad_id, "left")
        assert refused.value.code == "pair_not_served"
    assert answered_count() == 0


def test_a_repeated_answer_is_refused_and_changes_nothing(campaign, voter):
    make_ideas(campaign, 3)
    pair = f.answer_pair(voter, campaign, "left")
    with pytest.raises(Conflict) as refused:
        comparisons.answer_comparison(voter, pair.id, "right")
    assert refused.value.code == "already_answered"
    db.session.refresh(pair)
    assert pair.choice is ComparisonChoice.LEFT and answered_count() == 1


def test_the_answer_is_a_compare_and_set(campaign, voter, monkeypatch):
    """Two answers racing past the checks: the UPDATE's condition still lets one through."""
    make_ideas(campaign, 3)
    pair = f.answer_pair(voter, campaign, "left")
    monkeypatch.setattr(comparisons, "_ensure_answerable", lambda comparison, now: None)
    with pytest.raises(Conflict) as refused:
        comparisons.answer_comparison(voter, pair.id, "right")
    assert refused.value.code == "already_answered"
    assert answered_count() == 1
    db.session.refresh(pair.left)
    assert pair.left.pairwise_appearances == 1  # the refused answer added no exposure


def test_a_stale_pair_is_refused(campaign, voter, clock):
    make_ideas(campaign, 3)
    pair = comparisons.serve_pair(voter, campaign.id)
    clock.advance(comparisons.PAIR_TTL + timedelta(seconds=1))
    with pytest.raises(Conflict) as refused:
        comparisons.answer_comparison(voter, pair.id, "left")
    assert refused.value.code == "stale_pair"
    fresh = comparisons.serve_pair(voter, campaign.id)
    assert fresh.id != pair.id
    comparisons.answer_comparison(voter, fresh.id, "left")


def test_a_superseded_pair_is_refused(campaign, voter, moderator):
    make_ideas(campaign, 4)
    old = comparisons.serve_pair(voter, campaign.id)
    moderation.change_idea_status(moderator, old.right_idea_id, status="declined", note="Out of scope.")
    comparisons.serve_pair(voter, campaign.id)  # the replacement
    moderation.change_idea_status(moderator, old.right_idea_id, status="submitted", note="Back in.",
                                  confirm=True)
    with pytest.raises(Conflict) as refused:
        comparisons.answer_comparison(voter, old.id, "left")
    assert refused.value.code == "stale_pair"
    assert answered_count() == 0


@pytest.mark.parametrize("choice, reason, field", [
    ("middle", None, "choice"), ("", None, "choice"), (None, None, "choice"), (1, None, "choice"),
    ("skip", "x" * (comparisons.SKIP_REASON_MAX + 1), "reason"),
])
def test_bad_answers_name_the_field_and_change_nothing(campaign, voter, choice, reason, field):
    make_ideas(campaign, 3)
    pair = comparisons.serve_pair(voter, campaign.id)
    with pytest.raises(ValidationError) as refused:
        comparisons.answer_comparison(voter, pair.id, choice, reason=reason)
    assert field in refused.value.fields
    assert answered_count() == 0


def test_nobody_floods_the_ranking(campaign, voter, clock, monkeypatch):
    monkeypatch.setattr(comparisons, "ANSWERS_PER_MINUTE", 2)
    make_ideas(campaign, 5)
    f.answer_pair(voter, campaign)
    f.answer_pair(voter, campaign)
    pair = comparisons.serve_pair(voter, campaign.id)
    with pytest.raises(RateLimited):
        comparisons.answer_comparison(voter, pair.id, "left")
    assert answered_count() == 2
    clock.advance(timedelta(seconds=61))
    comparisons.answer_comparison(voter, pair.id, "left")


def test_the_same_pair_cannot_be_stored_twice_for_a_person(campaign, voter):
    make_ideas(campaign, 3)
    pair = comparisons.serve_pair(voter, campaign.id)
    db.session.add(Comparison(campaign_id=campaign.id, user_id=voter.id,
                              left_idea_id=pair.right_idea_id, right_idea_id=pair.left_idea_id,
                              low_idea_id=pair.low_idea_id, high_idea_id=pair.high_idea_id,
                              served_at=pair.served_at))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


# --- who may compare, and when -------------------------------------------------------------

def test_only_campaigns_with_pairwise_voting_serve_pairs(app, admin, voter):
    campaign = f.make_campaign(admin, voting_mode="up_down")
    make_ideas(campaign, 3)
    with pytest.raises(PermissionDenied) as refused:
        comparisons.serve_pair(voter, campaign.id)
    assert refused.value.code == "voting_mode"


def test_pairwise_only_campaigns_refuse_up_and_down_votes(app, admin, voter):
    campaign = f.make_campaign(admin, voting_mode="pairwise")
    idea = f.make_idea(campaign)
    with pytest.raises(PermissionDenied) as refused:
        votes.cast_vote(voter, idea.id, "up")
    assert refused.value.code == "voting_mode"


def test_closed_campaigns_and_outsiders_cannot_compare(app, admin, voter, clock):
    campaign = f.make_campaign(admin, audience=("staff",))
    make_ideas(campaign, 3)
    pair = comparisons.serve_pair(voter, campaign.id)
    with pytest.raises(PermissionDenied):
        comparisons.serve_pair(f.make_user(kind=ParticipantKind.CUSTOMER), campaign.id)
    with pytest.raises(PermissionDenied):
        comparisons.serve_pair(f.make_user(role=Role.EXECUTIVE), campaign.id)
    with pytest.raises(AuthenticationRequired):
        from flask_login import AnonymousUserMixin
        comparisons.serve_pair(AnonymousUserMixin(), campaign.id)
    clock.advance(timedelta(days=3))
    with pytest.raises(CampaignNotOpen):
        comparisons.answer_comparison(voter, pair.id, "left")
    assert answered_count() == 0


# --- the ranking ---------------------------------------------------------------------------

def test_a_transitive_set_of_answers_orders_the_leaderboard(campaign):
    best, middle, worst = make_ideas(campaign, 3)
    order = {best.id: 0, middle.id: 1, worst.id: 2}
    for _ in range(4):
        person = f.make_user()
        for _ in range(3):
            pair = comparisons.serve_pair(person, campaign.id)
            better_is_left = order[pair.left_idea_id] < order[pair.right_idea_id]
            comparisons.answer_comparison(person, pair.id, "left" if better_is_left else "right")
    board = comparisons.refresh_ranking(campaign.id)
    assert [entry["id"] for entry in board] == [best.id, middle.id, worst.id]
    assert board[0]["chance"] > 0.5 > board[2]["chance"]
    for entry in board:
        assert entry["chance_low"] <= entry["chance"] <= entry["chance_high"]
        assert entry["appearances"] == 8  # 4 people x 2 pairs each idea is in
    listed = ideas.list_ideas(f.make_user(), campaign.id, sort="ranked").items
    assert [idea.id for idea in listed] == [best.id, middle.id, worst.id]
    leaderboard = comparisons.get_leaderboard(f.make_user(), campaign.id)
    assert leaderboard.comparisons == 12 and leaderboard.people == 4


def test_skips_move_nothing_and_ask_for_no_refit(campaign, voter):
    make_ideas(campaign, 3)
    signals = []
    events.subscribe(signal := lambda kind, data: signals.append(kind))
    try:
        for _ in range(3):
            f.answer_pair(voter, campaign, "skip")
        assert "comparisons.changed" not in signals
        board = comparisons.refresh_ranking(campaign.id)
    finally:
        events.unsubscribe(signal)
    assert [entry["chance"] for entry in board] == [0.5, 0.5, 0.5]


def test_a_pick_asks_for_a_refit_after_commit(campaign, voter):
    make_ideas(campaign, 3)
    signals = []
    events.subscribe(signal := lambda kind, data: signals.append((kind, data)))
    try:
        f.answer_pair(voter, campaign, "left")
    finally:
        events.unsubscribe(signal)
    assert ("comparisons.changed", {"campaign_id": campaign.id}) in signals


def test_the_refit_goes_into_the_live_stream_without_declined_ideas(campaign, moderator):
    kept = make_ideas(campaign, 3)
    declined = f.make_idea(campaign, title="A declined idea")
    f.answer_pair(f.make_user(), campaign, "left")
    moderation.change_idea_status(moderator, declined.id, status="declined", note="Out of scope.")
    comparisons.refresh_ranking(campaign.id)
    stream = events.events_after(campaign.id, 0, include_moderated=False)
    update = [e for e in stream if e["kind"] == "ranking.updated"][-1]
    assert {i["id"] for i in update["payload"]["ideas"]} == {idea.id for idea in kept}
    assert set(update["payload"]["ideas"][0]) == {"id", "chance", "chance_low",
                                                  "chance_high", "appearances"}


def test_progress_tells_people_how_their_picks_fare(campaign, voter):
    best, middle, worst = make_ideas(campaign, 3)
    order = {best.id: 0, middle.id: 1, worst.id: 2}
    for _ in range(3):
        pair = comparisons.serve_pair(voter, campaign.id)
        better_is_left = order[pair.left_idea_id] < order[pair.right_idea_id]
        comparisons.answer_comparison(voter, pair.id, "right" if better_is_left else "left")
    comparisons.refresh_ranking(campaign.id)
    mine = comparisons.get_progress(voter, campaign.id)
    # Alone, the voter's own (contrary) picks are the ranking: it agrees with all of them.
    assert (mine.answered, mine.skipped, mine.agreeing) == (3, 0, 3)
    for _ in range(5):
        person = f.make_user()
        for _ in range(3):
            pair = comparisons.serve_pair(person, campaign.id)
            better_is_left = order[pair.left_idea_id] < order[pair.right_idea_id]
            comparisons.answer_comparison(person, pair.id, "left" if better_is_left else "right")
    comparisons.refresh_ranking(campaign.id)
    mine = comparisons.get_progress(voter, campaign.id)
    assert mine.agreeing == 0 and mine.agreement == 0.0 and mine.picks_in_top == 2


# --- sorts -------------------------------------------------------------------------------

def test_the_best_sort_prefers_many_steady_votes_to_one_lucky_one(campaign):
    lucky = f.make_idea(campaign, title="One lucky vote")
    steady = f.make_idea(campaign, title="Many steady votes")
    f.make_idea(campaign, title="No votes yet")
    f.make_vote(lucky)
    for _ in range(8):
        f.make_vote(steady)
    f.make_vote(steady, value=-1)
    listed = ideas.list_ideas(f.make_user(), campaign.id).items  # "best" is the default
    assert [idea.title for idea in listed][0] == "Many steady votes"
    assert ideas.list_ideas(f.make_user(), campaign.id).sort is ideas.IdeaSort.BEST


@pytest.mark.parametrize("mode, expected", [
    ("both", ["best", "ranked", "top", "trending", "newest", "discussed"]),
    ("up_down", ["best", "top", "trending", "newest", "discussed"]),
    ("pairwise", ["ranked", "trending", "newest", "discussed"]),
])
def test_each_voting_mode_offers_its_sorts(app, admin, mode, expected):
    campaign = f.make_campaign(admin, voting_mode=mode)
    assert [s.value for s in ideas.available_sorts(campaign)] == expected
    assert ideas.list_ideas(None, campaign.id).sort.value == expected[0]
    if mode == "pairwise":
        with pytest.raises(ValidationError):
            ideas.list_ideas(None, campaign.id, sort="top", strict=True)


def test_hidden_and_merged_ideas_are_never_served_nor_ranked(campaign, voter, moderator):
    from app.domain import merges

    kept = make_ideas(campaign, 3)
    hidden, merged = f.make_idea(campaign, title="A hidden idea"), f.make_idea(campaign, title="A merged idea")
    moderation.hide_idea(moderator, hidden.id, reason="Off topic")
    merges.merge_idea(moderator, merged.id, into=kept[0].id)
    gone = {hidden.id, merged.id}
    for _ in range(3):
        pair = f.answer_pair(voter, campaign, "left")
        assert not gone & {pair.left_idea_id, pair.right_idea_id}
    with pytest.raises(NoPairLeft):
        comparisons.serve_pair(voter, campaign.id)
    board = comparisons.refresh_ranking(campaign.id)
    assert {entry["id"] for entry in board} == {idea.id for idea in kept}


# --- at jam scale ------------------------------------------------------------------------

def test_serving_a_pair_reads_a_few_ideas_never_the_whole_campaign(campaign, voter):
    """Every statement that reads ideas to choose a pair is bounded (LIMIT) or an index
    extreme (MIN/MAX), so its cost does not grow with the campaign's ideas."""
    from sqlalchemy import event

    make_ideas(campaign, 60)
    comparisons.refresh_ranking(campaign.id)
    seen = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        for _ in range(12):
            pair = comparisons.serve_pair(voter, campaign.id, rng=np.random.default_rng(len(seen)))
            comparisons.answer_comparison(voter, pair.id, "left")
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    reads = [s for s in seen if s.upper().startswith("SELECT") and "FROM IDEAS" in s.upper()
             and "PAIRWISE_STRENGTH" in s.upper() and "WHERE IDEAS.ID = " not in s.upper()]  # by key
    assert reads
    for statement in reads:
        assert " LIMIT " in statement.upper(), statement


def test_a_refresh_in_a_child_process_keeps_the_same_ranking(campaign, voter, monkeypatch):
    from app import offload

    made = make_ideas(campaign, 8)
    order = {idea.id: k for k, idea in enumerate(made)}
    for _ in range(3):
        person = f.make_user()
        for _ in range(6):
            pair = comparisons.serve_pair(person, campaign.id)
            better_is_left = order[pair.left_idea_id] < order[pair.right_idea_id]
            comparisons.answer_comparison(person, pair.id, "left" if better_is_left else "right")
    inline = comparisons.refresh_ranking(campaign.id)
    db.session.execute(Idea.__table__.update().values(pairwise_strength=0.0, pairwise_chance=0.5))
    db.session.commit()
    monkeypatch.setattr(comparisons, "OFFLOAD_FROM", 2)
    offload.configure("process")
    try:
        child = comparisons.refresh_ranking(campaign.id)
    finally:
        offload.configure("inline")
    assert [entry["id"] for entry in child] == [entry["id"] for entry in inline]
    assert [entry["chance"] for entry in child] == pytest.approx([entry["chance"] for entry in inline], abs=1e-4)
