"""Merging duplicate ideas: votes move without counting anyone twice, and undo is exact."""
import pytest

from app.domain import comments, ideas, merges, votes
from app.domain.errors import Conflict, PermissionDenied, ValidationError
from app.extensions import db
from app.models import AuditEntry, Idea, IdeaStatus, Role, Vote
from tests import factories as f


def counts(idea_id):
    idea = db.session.get(Idea, idea_id)
    db.session.refresh(idea)
    return idea.up_count, idea.down_count, idea.score


def votes_on(idea_id):
    return sorted((v.user_id, v.value) for v in db.session.query(Vote).filter_by(idea_id=idea_id))


def test_merge_moves_votes_without_counting_anyone_twice_and_undo_is_exact(campaign, moderator):
    source = f.make_idea(campaign, title="Duplicate: self-service SIM")
    target = f.make_idea(campaign, title="Self-service SIM activation")
    only_source = [f.make_user() for _ in range(3)]
    both = [f.make_user() for _ in range(2)]
    for person in only_source:
        f.make_vote(source, person, 1)
    f.make_vote(source, f.make_user(), -1)  # a down-vote moves too
    for person in both:
        f.make_vote(source, person, 1)
        f.make_vote(target, person, -1)  # their vote on the target stands
    f.make_vote(source, target.author, 1)  # the target's author cannot vote on it
    before = {"source": (counts(source.id), votes_on(source.id)),
              "target": (counts(target.id), votes_on(target.id))}
    assert before["source"][0] == (6, 1, 5) and before["target"][0] == (0, 2, -2)

    record = merges.merge_idea(moderator, source.id, into=target.id, note="Same idea")
    assert len(record.moved_vote_ids) == 4
    assert counts(target.id) == (3, 3, 0)  # 3 ups + 1 down moved in, 2 downs of its own
    assert counts(source.id) == (3, 0, 3)  # the two double voters and the target's author stay
    assert len({user for user, _ in votes_on(target.id)}) == len(votes_on(target.id))
    assert source.status is IdeaStatus.DUPLICATE and source.merged_into_id == target.id

    merges.undo_merge(moderator, record.id)
    assert (counts(source.id), votes_on(source.id)) == before["source"]
    assert (counts(target.id), votes_on(target.id)) == before["target"]
    assert source.status is IdeaStatus.SUBMITTED and source.merged_into_id is None
    with pytest.raises(Conflict):
        merges.undo_merge(moderator, record.id)
    actions = [e.action for e in db.session.query(AuditEntry).order_by(AuditEntry.id)]
    assert actions[-2:] == ["idea.merge", "idea.unmerge"]


def test_merged_ideas_comments_are_readable_from_the_target(campaign, moderator):
    source, target = f.make_idea(campaign), f.make_idea(campaign)
    comment = f.make_comment(source, body="Worth keeping")
    merges.merge_idea(moderator, source.id, into=target.id)
    viewer = f.make_user()
    (record, threads), = merges.merged_into_this(viewer, target.id)
    assert record.source_id == source.id and threads[0][0].id == comment.id
    assert merges.current_merge_of(source).id == record.id
    assert comments.list_comments(viewer, source.id)[0][0].id == comment.id


def test_a_merged_idea_takes_no_votes_and_leaves_the_ranking(campaign, moderator):
    source, target = f.make_idea(campaign), f.make_idea(campaign)
    merges.merge_idea(moderator, source.id, into=target.id)
    with pytest.raises(Conflict):
        votes.cast_vote(f.make_user(), source.id, "up")
    listed = ideas.list_ideas(f.make_user(), campaign.id, sort="ranked").items
    assert source.id in {i.id for i in listed}  # still listed, marked a duplicate
    rankable = db.session.query(Idea.id).filter(ideas.rankable_clause()).all()
    assert (source.id,) not in rankable


@pytest.mark.parametrize("into, field", [("self", "into"), (999999, "into"), ("abc", "into"), (None, "into")])
def test_bad_merge_targets_change_nothing(campaign, moderator, into, field):
    source = f.make_idea(campaign)
    with pytest.raises(ValidationError) as refused:
        merges.merge_idea(moderator, source.id, into=source.id if into == "self" else into)
    assert field in refused.value.fields
    assert source.merged_into_id is None and source.status is IdeaStatus.SUBMITTED


def test_no_chains_and_no_cross_campaign_merges(app, admin, campaign, moderator):
    a, b, c = (f.make_idea(campaign) for _ in range(3))
    elsewhere = f.make_idea(f.make_campaign(admin))
    merges.merge_idea(moderator, a.id, into=b.id)
    with pytest.raises(ValidationError):
        merges.merge_idea(moderator, c.id, into=a.id)  # a is merged: point at b instead
    with pytest.raises(Conflict):
        merges.merge_idea(moderator, a.id, into=c.id)
    with pytest.raises(ValidationError):
        merges.merge_idea(moderator, c.id, into=elsewhere.id)


def test_only_moderators_merge(campaign):
    source, target = f.make_idea(campaign), f.make_idea(campaign)
    for role in (Role.PARTICIPANT, Role.EXECUTIVE):
        with pytest.raises(PermissionDenied):
            merges.merge_idea(f.make_user(role=role), source.id, into=target.id)
    record = merges.merge_idea(f.make_user(role=Role.ADMIN), source.id, into=target.id)
    with pytest.raises(PermissionDenied):
        merges.undo_merge(source.author, record.id)
