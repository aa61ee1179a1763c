import pytest
from sqlalchemy import func, select, text

from app.domain import votes
from app.domain.errors import AuthenticationRequired, CampaignNotOpen, NotFound, PermissionDenied, ValidationError
from app.extensions import db
from app.models import Idea, Vote
from tests import factories as f


def stored(idea_id):
    rows = db.session.execute(select(Vote.value, func.count()).where(Vote.idea_id == idea_id)
                              .group_by(Vote.value)).all()
    return dict(rows)


def test_vote_change_and_withdraw_keep_counts_exact(app, campaign):
    idea = f.make_idea(campaign)
    alice, bob = f.make_user(), f.make_user()
    votes.cast_vote(alice, idea.id, "up")
    votes.cast_vote(bob, idea.id, "up")
    result = votes.cast_vote(bob, idea.id, "down")
    assert (result.up_count, result.down_count, result.score, result.my_vote) == (1, 1, 0, -1)
    votes.cast_vote(alice, idea.id, 0)
    db.session.refresh(idea)
    assert (idea.up_count, idea.down_count, idea.score) == (0, 1, -1)
    assert stored(idea.id) == {-1: 1}


def test_repeating_a_vote_changes_nothing(app, campaign):
    idea = f.make_idea(campaign)
    voter = f.make_user()
    for _ in range(3):
        result = votes.cast_vote(voter, idea.id, 1)
    assert result.up_count == 1
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 1


def test_no_vote_on_own_idea(app, campaign):
    idea = f.make_idea(campaign)
    with pytest.raises(PermissionDenied) as info:
        votes.cast_vote(idea.author, idea.id, 1)
    assert info.value.code == "own_idea"


@pytest.mark.parametrize("phase", ["upcoming", "closed"])
def test_no_vote_outside_the_open_phase(app, clock, admin, phase):
    from datetime import timedelta

    campaign = f.make_campaign(admin)
    idea = f.make_idea(campaign)
    clock.advance(timedelta(days=-2) if phase == "upcoming" else timedelta(days=3))
    with pytest.raises(CampaignNotOpen):
        votes.cast_vote(f.make_user(), idea.id, 1)
    assert stored(idea.id) == {}


def test_no_vote_from_outside_the_audience(app, admin):
    campaign = f.make_campaign(admin, audience=["staff"])
    idea = f.make_idea(campaign)
    with pytest.raises(PermissionDenied):
        votes.cast_vote(f.make_user(kind="customer"), idea.id, 1)


def test_no_vote_in_a_campaign_one_may_not_see(app, admin):
    campaign = f.make_campaign(admin, audience=["staff"], is_private=True)
    idea = f.make_idea(campaign)
    with pytest.raises(NotFound):
        votes.cast_vote(f.make_user(kind="partner"), idea.id, 1)


def test_anonymous_cannot_vote(app, campaign):
    from flask_login import AnonymousUserMixin

    idea = f.make_idea(campaign)
    with pytest.raises(AuthenticationRequired):
        votes.cast_vote(AnonymousUserMixin(), idea.id, 1)


@pytest.mark.parametrize("value", ["sideways", 2, None, True, "", 1.5])
def test_bad_values_are_refused(app, campaign, value):
    idea = f.make_idea(campaign)
    with pytest.raises(ValidationError) as info:
        votes.cast_vote(f.make_user(), idea.id, value)
    assert "value" in info.value.fields


def test_the_database_refuses_a_second_vote_row(app, campaign):
    from sqlalchemy.exc import IntegrityError

    idea = f.make_idea(campaign)
    voter = f.make_user()
    votes.cast_vote(voter, idea.id, 1)
    db.session.add(Vote(user_id=voter.id, idea_id=idea.id, value=1))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def race_another_request(monkeypatch):
    """Make the first write of a vote lose a race: another request stores the same vote
    between our read and our write."""
    real_apply = votes._apply
    calls = {"n": 0}

    def racing_apply(user, idea, value):
        calls["n"] += 1
        if calls["n"] == 1:
            # The competing request wins the race and commits first.
            real_apply(user, idea, value)
            db.session.commit()
            db.session.add(Vote(user_id=user.id, idea_id=idea.id, value=value))
            db.session.flush()  # our own insert now meets the unique constraint (when it exists)
        return real_apply(user, idea, value)

    monkeypatch.setattr(votes, "_apply", racing_apply)
    return calls


def test_a_lost_race_is_retried_not_double_counted(app, campaign, monkeypatch):
    """Simulate another request inserting the same vote between our read and our write."""
    idea = f.make_idea(campaign)
    voter = f.make_user()
    calls = race_another_request(monkeypatch)
    result = votes.cast_vote(voter, idea.id, 1)
    assert calls["n"] == 2
    assert result.up_count == 1
    assert stored(idea.id) == {1: 1}
    assert db.session.get(Idea, idea.id).up_count == 1


def test_without_the_unique_constraint_the_same_race_doubles_the_vote(app, campaign, monkeypatch):
    """The control experiment for the test above: the same race against a votes table
    without its unique constraint stores the vote twice. The guarantee is the constraint."""
    idea = f.make_idea(campaign)
    voter = f.make_user()
    db.session.execute(text("DROP TABLE votes"))
    db.session.execute(text("CREATE TABLE votes (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, "
                            "idea_id INTEGER NOT NULL, value SMALLINT NOT NULL, created_at DATETIME NOT NULL, "
                            "updated_at DATETIME NOT NULL)"))
    db.session.commit()
    race_another_request(monkeypatch)
    votes.cast_vote(voter, idea.id, 1)
    assert stored(idea.id) == {1: 2}  # one person, two votes: what the constraint prevents


def test_up_votes_raise_trending(app, campaign):
    quiet, busy = f.make_idea(campaign), f.make_idea(campaign)
    for _ in range(3):
        votes.cast_vote(f.make_user(), busy.id, 1)
    db.session.refresh(quiet)
    db.session.refresh(busy)
    assert busy.trending > quiet.trending
