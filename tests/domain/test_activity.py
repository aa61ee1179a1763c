"""The dashboards' kept tallies always equal a recomputation from raw rows.

A property test: seeded random jams — ideas, votes cast, changed and withdrawn, comments
posted, deleted, hidden and restored, ideas hidden, restored, approved, moved through the
status pipeline, merged and unmerged, re-tagged, answered pairs, people changing department
or kind, all spread over several hours — and after every burst the stored tallies must be
exactly what ``recompute_activity`` works out from the rows.
"""
import random
from datetime import datetime, timedelta, timezone

import numpy
import pytest
from sqlalchemy import select

from app.domain import (accounts, activity, comments, comparisons, ideas, merges, moderation, ranking,
                        rules, votes)
from app.domain.errors import DomainError
from app.extensions import db
from app.models import (SITE_SCOPE, ActivityHour, ActivityPerson, Campaign, Comment, ContentState, Contributor, Idea,
                        IdeaMerge, IdeaStatus, ParticipantKind, Role, SegmentTally, StatusTally, TagTally, Vote)
from tests import factories as f

KINDS = list(ParticipantKind)
DEPARTMENTS = [None, "Network", "Retail", "Research"]
COUNTRIES = [None, "TW", "GB", "US"]
TAGS = ["5g", "billing", "retail", "iot", "cloud"]


def assert_tallies_match_rows():
    db.session.expire_all()
    computed, stored = activity.recompute_activity(), activity.stored_activity()
    for table in computed:
        assert stored[table] == computed[table], table
    assert_best_scores_hold()


def assert_best_scores_hold():
    """Every kept "best" score is exactly ``ranking.best_score`` of the idea's own counts."""
    for campaign in db.session.scalars(select(Campaign)):
        rows = db.session.scalars(select(Idea).where(Idea.campaign_id == campaign.id)).all()
        # The kept idea count stands in for counting the unfiltered list on every page.
        assert campaign.idea_count == sum(i.content_state is ContentState.PUBLISHED for i in rows)
        for idea in rows:
            exact = float(ranking.best_score(idea.up_count, idea.down_count))
            assert idea.best_score == pytest.approx(exact, rel=1e-12, abs=1e-12), idea.id


def random_jam(rng, clock, steps):
    admin = f.make_admin()
    moderator = f.make_user(role=Role.MODERATOR)
    both = f.make_campaign(admin)
    pairwise = f.make_campaign(admin, voting_mode="pairwise")
    premoderated = f.make_campaign(admin)
    rules.update_campaign_rules(admin, premoderated.id, code_of_conduct="", premoderated_kinds=["customer"],
                                ideas_per_hour=1000, comments_per_minute=1000, flags_per_day=1000)
    people = [f.make_user(kind=rng.choice(KINDS), department=rng.choice(DEPARTMENTS),
                          country=rng.choice(COUNTRIES)) for _ in range(12)]
    campaigns = [both, pairwise, premoderated]
    pair_rng = numpy.random.default_rng(rng.randrange(2**32))

    def some(model, **where):
        rows = db.session.scalars(select(model).filter_by(**where).order_by(model.id)).all()
        return rng.choice(rows) if rows else None

    def post_idea():
        campaign = rng.choice(campaigns)
        ideas.submit_idea(rng.choice(people), campaign.id, title=f"Idea {rng.random():.6f}",
                          body="Body text.", tags=rng.sample(TAGS, rng.randint(0, 3)))

    def vote():
        idea = some(Idea)
        if idea:
            votes.cast_vote(rng.choice(people), idea.id, rng.choice([1, 1, 1, -1, 0]))

    def comment():
        idea = some(Idea)
        if idea:
            comments.add_comment(rng.choice(people), idea.id, body="A thought.")

    def delete_comment():
        comment = some(Comment, deleted_at=None)
        if comment:
            comments.delete_comment(comment.author, comment.id)

    def moderate():
        target = rng.choice([Idea, Comment])
        post = some(target)
        if post is None:
            return
        kind = "idea" if target is Idea else "comment"
        action = rng.choice(["hide", "restore", "approve"])
        call = getattr(moderation, f"{action}_{kind}")
        call(moderator, post.id, **({"reason": "Off topic."} if action == "hide" else {}))

    def change_status():
        idea = some(Idea)
        if idea:
            moderation.change_idea_status(moderator, idea.id, status=rng.choice(list(IdeaStatus)),
                                          note="Because.", confirm=True)

    def merge():
        source, target = some(Idea, campaign_id=both.id), some(Idea, campaign_id=both.id)
        if source and target:
            merges.merge_idea(moderator, source.id, into=target.id)

    def unmerge():
        record = some(IdeaMerge, undone_at=None)
        if record:
            merges.undo_merge(moderator, record.id)

    def retag():
        idea = some(Idea)
        if idea:
            ideas.edit_idea(idea.author, idea.id, title=idea.title, body=idea.body,
                            tags=rng.sample(TAGS, rng.randint(0, 3)))

    def compare():
        person = rng.choice(people)
        pair = comparisons.serve_pair(person, pairwise.id, rng=pair_rng)
        comparisons.answer_comparison(person, pair.id, rng.choice(["left", "right", "skip"]))

    def move_person():
        person = rng.choice(people)
        if rng.random() < 0.5:
            accounts.update_profile(person, display_name=person.display_name,
                                    department=rng.choice(DEPARTMENTS), country=rng.choice(COUNTRIES))
        else:
            accounts.update_person(admin, person.id, kind=rng.choice(KINDS).value)

    def later():
        clock.advance(timedelta(minutes=rng.choice([5, 20, 50, 90])))

    actions = ([post_idea] * 6 + [vote] * 10 + [comment] * 5 + [delete_comment, moderate, moderate,
               change_status, change_status, merge, unmerge, retag, compare, compare, compare,
               move_person, later, later])
    for step in range(steps):
        try:
            rng.choice(actions)()
        except DomainError:
            db.session.rollback()  # refused cleanly: nothing may have been counted
        if step % 40 == 39:
            assert_tallies_match_rows()
    assert_tallies_match_rows()


@pytest.mark.parametrize("seed", range(6))
def test_every_tally_equals_its_recomputation_after_random_activity(app, clock, seed):
    clock.set(datetime(2026, 3, 2, 8, 30, tzinfo=timezone.utc))
    random_jam(random.Random(seed), clock, steps=240)
    # The jam was not trivial: every kind of tally has rows.
    for model in (ActivityHour, Contributor, SegmentTally, TagTally, StatusTally):
        assert db.session.scalar(select(db.func.count()).select_from(model)) > 0, model


def test_the_ledger_holds_every_act_still_on_record(app, clock):
    clock.set(datetime(2026, 3, 2, 8, 30, tzinfo=timezone.utc))
    random_jam(random.Random(99), clock, steps=200)
    ledger = set(db.session.execute(select(ActivityPerson.scope, ActivityPerson.hour,
                                           ActivityPerson.user_id)).tuples())
    for vote in db.session.scalars(select(Vote)):
        idea = db.session.get(Idea, vote.idea_id)
        for scope in (idea.campaign_id, SITE_SCOPE):
            assert (scope, activity.hour_of(vote.created_at), vote.user_id) in ledger
    for comment in db.session.scalars(select(Comment)):
        idea = db.session.get(Idea, comment.idea_id)
        assert (idea.campaign_id, activity.hour_of(comment.created_at), comment.author_id) in ledger


def test_rebuilding_from_rows_gives_the_same_tallies(app, clock):
    clock.set(datetime(2026, 3, 2, 8, 30, tzinfo=timezone.utc))
    random_jam(random.Random(7), clock, steps=150)
    kept = activity.stored_activity()
    activity.rebuild_activity()
    db.session.expire_all()
    assert activity.stored_activity() == kept


def test_one_vote_moves_the_figures_it_should(app, clock):
    """A hand-checked case beside the property: the numbers themselves, not only agreement."""
    clock.set(datetime(2026, 3, 2, 8, 30, tzinfo=timezone.utc))
    campaign = f.make_campaign()
    author = f.make_user(kind=ParticipantKind.PARTNER, department="Retail", country="TW")
    voter = f.make_user(kind=ParticipantKind.CUSTOMER)
    idea = ideas.submit_idea(author, campaign.id, title="Self-service SIM swap", body="x", tags=["retail"])
    clock.advance(timedelta(hours=1))
    votes.cast_vote(voter, idea.id, 1)
    hour = activity.hour_of(clock())
    row = db.session.get(ActivityHour, (campaign.id, hour))
    assert (row.votes, row.active_people, row.new_people, row.ideas) == (1, 1, 1, 0)
    earlier = db.session.get(ActivityHour, (campaign.id, hour - 1))
    assert (earlier.ideas, earlier.active_people, earlier.new_people) == (1, 1, 1)
    contributor = db.session.get(Contributor, (campaign.id, author.id))
    assert (contributor.ideas, contributor.votes_received, contributor.points) == (1, 1, 6)
    assert db.session.get(SegmentTally, (campaign.id, "kind", "customer")).votes == 1
    assert db.session.get(SegmentTally, (SITE_SCOPE, "country", "TW")).ideas == 1
    votes.cast_vote(voter, idea.id, 0)
    db.session.expire_all()
    assert db.session.get(ActivityHour, (campaign.id, hour)).votes == 0
    assert db.session.get(ActivityHour, (campaign.id, hour)).active_people == 1  # they were there
    assert db.session.get(Contributor, (campaign.id, author.id)).votes_received == 0
