"""Merging duplicate ideas over the API, and undoing a merge exactly."""
import pytest

from app.domain import merges, moderation
from app.extensions import db
from app.models import Idea, IdeaMerge, IdeaStatus
from tests import factories
from tests.api.conftest import MODERATOR_ROLES, OTHER_ROLES, count, error_of


def merge_path(idea):
    return f"/api/v1/ideas/{idea.id}/merge"


def undo_path(merge_id):
    return f"/api/v1/merges/{merge_id}/undo"


@pytest.fixture
def pair(campaign):
    """A duplicate with three up-votes, one of them by someone who also voted on the original."""
    original = factories.make_idea(campaign, title="Solar panels on every roof")
    duplicate = factories.make_idea(campaign, title="Put solar panels on roofs")
    both = factories.make_user()
    factories.make_vote(original, both)
    factories.make_vote(duplicate, both)
    for _ in range(2):
        factories.make_vote(duplicate)
    return duplicate, original


def counts(*ideas):
    db.session.expire_all()
    return [(idea.up_count, idea.down_count) for idea in ideas]


@pytest.mark.parametrize("role", MODERATOR_ROLES)
def test_merge_and_undo(api, pair, role):
    duplicate, original = pair
    token = api.token_for(factories.make_user(role=role))
    response = api.post(merge_path(duplicate), token=token,
                        json={"into": original.id, "note": "Same idea"})
    assert response.status_code == 201
    merge = response.get_json()
    assert (merge["source_id"], merge["target_id"], merge["note"]) == (duplicate.id, original.id, "Same idea")
    assert merge["moved_votes"] == 2 and merge["undone_at"] is None and merge["created_at"].endswith("Z")
    assert counts(duplicate, original) == [(1, 0), (3, 0)]  # the common voter counts once

    seen = api.get(f"/api/v1/ideas/{duplicate.id}").get_json()
    assert (seen["merged_into_id"], seen["status"], seen["state"]) == (original.id, "duplicate", "published")

    undone = api.post(undo_path(merge["id"]), token=token, json={"reason": "Not the same after all"})
    assert undone.status_code == 200
    assert undone.get_json()["undone_at"] is not None and undone.get_json()["id"] == merge["id"]
    assert counts(duplicate, original) == [(3, 0), (1, 0)]
    seen = api.get(f"/api/v1/ideas/{duplicate.id}").get_json()
    assert (seen["merged_into_id"], seen["status"]) == (None, "submitted")


def test_undo_needs_no_body(api, pair, moderator):
    duplicate, original = pair
    record = merges.merge_idea(moderator, duplicate.id, into=original.id)
    response = api.post(undo_path(record.id), as_user=moderator)
    assert response.status_code == 200 and response.get_json()["undone_at"]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_others_may_not_merge(api, pair, moderator, role):
    duplicate, original = pair
    token = api.token_for(factories.make_user(role=role))
    assert api.post(merge_path(duplicate), token=token, json={"into": original.id}).status_code == 403
    assert api.post(merge_path(duplicate), json={"into": original.id}).status_code == 401
    assert count(IdeaMerge) == 0 and duplicate.merged_into_id is None
    record = merges.merge_idea(moderator, duplicate.id, into=original.id)
    assert api.post(undo_path(record.id), token=token).status_code == 403
    assert api.post(undo_path(record.id)).status_code == 401
    db.session.expire_all()
    assert record.undone_at is None and duplicate.merged_into_id == original.id


def test_the_author_may_not_merge_either(api, pair):
    duplicate, original = pair
    response = api.post(merge_path(duplicate), as_user=duplicate.author, json={"into": original.id})
    assert response.status_code == 403 and count(IdeaMerge) == 0


@pytest.mark.parametrize("into", ["self", "other_campaign", "hidden", 987654, "7", None, True, -1])
def test_bad_targets_are_validation_errors(api, admin, pair, moderator, into):
    duplicate, original = pair
    if into == "self":
        into = duplicate.id
    elif into == "other_campaign":
        into = factories.make_idea(factories.make_campaign(admin)).id
    elif into == "hidden":
        moderation.hide_idea(moderator, original.id, reason="Spam")
        into = original.id
    payload = {"into": into} if into is not None else {}
    response = api.post(merge_path(duplicate), as_user=moderator, json=payload)
    assert response.status_code == 422 and "into" in error_of(response)["fields"]
    assert count(IdeaMerge) == 0
    assert db.session.get(Idea, duplicate.id).status is IdeaStatus.SUBMITTED
    assert counts(duplicate) == [(3, 0)]


@pytest.mark.parametrize("payload, field", [
    ({"into": 1, "note": 5}, "note"),
    ({"into": 1, "note": "x" * (merges.NOTE_MAX + 1)}, "note"),
    ({"into": 1, "votes": "all"}, "votes"),
])
def test_bad_notes_are_validation_errors(api, pair, moderator, payload, field):
    duplicate, original = pair
    payload = {**payload, "into": original.id}
    response = api.post(merge_path(duplicate), as_user=moderator, json=payload)
    assert response.status_code == 422 and field in error_of(response)["fields"]
    assert count(IdeaMerge) == 0


def test_conflicts(api, campaign, pair, moderator):
    duplicate, original = pair
    token = api.token_for(moderator)
    merge = api.post(merge_path(duplicate), token=token, json={"into": original.id}).get_json()
    third = factories.make_idea(campaign)
    again = api.post(merge_path(duplicate), token=token, json={"into": third.id})
    assert again.status_code == 409 and error_of(again)["code"] == "already_merged"
    onto_merged = api.post(merge_path(third), token=token, json={"into": duplicate.id})
    assert onto_merged.status_code == 422 and "into" in error_of(onto_merged)["fields"]
    assert api.post(undo_path(merge["id"]), token=token).status_code == 200
    twice = api.post(undo_path(merge["id"]), token=token)
    assert twice.status_code == 409 and error_of(twice)["code"] == "already_undone"
    assert count(IdeaMerge) == 1


def test_unknown_ideas_and_merges(api, pair, moderator):
    duplicate, original = pair
    token = api.token_for(moderator)
    assert api.post("/api/v1/ideas/987654/merge", token=token, json={"into": original.id}).status_code == 404
    assert api.post(undo_path(987654), token=token).status_code == 404
    bad = api.post(undo_path(1), token=token, json={"reason": 3})
    assert bad.status_code == 422 and "reason" in error_of(bad)["fields"]
