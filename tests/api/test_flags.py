"""Flags over the API: reporting ideas and comments, and the moderators' queue."""
import pytest

from app.domain import flags, moderation
from app.models import Flag, Role
from tests import factories
from tests.api.conftest import MODERATOR_ROLES, OTHER_ROLES, count, error_of, set_rules

QUEUE = "/api/v1/moderation/queue"


def idea_flags(idea):
    return f"/api/v1/ideas/{idea.id}/flags"


def comment_flags(comment):
    return f"/api/v1/comments/{comment.id}/flags"


def test_flag_an_idea(api, idea, user, token):
    response = api.post(idea_flags(idea), token=token, json={"reason": "off_topic"})
    assert response.status_code == 201
    flag = response.get_json()
    assert flag["key"] == f"idea:{idea.id}" and flag["idea_id"] == idea.id
    assert flag["comment_id"] is None and flag["reason"] == "off_topic" and flag["note"] == ""
    assert flag["created_at"].endswith("Z")
    stored = Flag.query.one()
    assert (stored.id, stored.reporter_id) == (flag["id"], user.id)


def test_flag_a_comment_with_a_note(api, idea, token):
    comment = factories.make_comment(idea)
    response = api.post(comment_flags(comment), token=token,
                        json={"reason": "other", "note": "  Advertising  "})
    assert response.status_code == 201
    flag = response.get_json()
    assert (flag["key"], flag["idea_id"], flag["comment_id"]) == (
        f"comment:{comment.id}", idea.id, comment.id)
    assert flag["note"] == "Advertising"


@pytest.mark.parametrize("payload, field", [
    ({}, "reason"),
    ({"reason": "boring"}, "reason"),
    ({"reason": 3}, "reason"),
    ({"reason": "other"}, "note"),
    ({"reason": "other", "note": "   "}, "note"),
    ({"reason": "abusive", "note": "x" * (flags.NOTE_MAX + 1)}, "note"),
    ({"reason": "abusive", "note": ["x"]}, "note"),
    ({"reason": "abusive", "severity": 5}, "severity"),
])
def test_bad_flags_are_validation_errors(api, idea, token, payload, field):
    response = api.post(idea_flags(idea), token=token, json=payload)
    assert response.status_code == 422
    assert field in error_of(response)["fields"]
    assert count(Flag) == 0


def test_flagging_needs_a_token(api, idea):
    comment = factories.make_comment(idea)
    assert api.post(idea_flags(idea), json={"reason": "abusive"}).status_code == 401
    assert api.post(comment_flags(comment), json={"reason": "abusive"}).status_code == 401
    assert count(Flag) == 0


def test_one_flag_per_person_and_item(api, idea, token):
    assert api.post(idea_flags(idea), token=token, json={"reason": "abusive"}).status_code == 201
    again = api.post(idea_flags(idea), token=token, json={"reason": "duplicate"})
    assert again.status_code == 409 and error_of(again)["code"] == "already_flagged"
    assert count(Flag) == 1


def test_not_your_own_post(api, idea):
    own_comment = factories.make_comment(idea)
    response = api.post(idea_flags(idea), as_user=idea.author, json={"reason": "abusive"})
    assert response.status_code == 403 and error_of(response)["code"] == "own_post"
    response = api.post(comment_flags(own_comment), as_user=own_comment.author,
                        json={"reason": "abusive"})
    assert response.status_code == 403 and error_of(response)["code"] == "own_post"
    assert count(Flag) == 0


def test_the_campaigns_flag_limit(api, campaign, token):
    set_rules(campaign, flags_per_day=1)
    first, second = (factories.make_idea(campaign) for _ in range(2))
    assert api.post(idea_flags(first), token=token, json={"reason": "abusive"}).status_code == 201
    response = api.post(idea_flags(second), token=token, json={"reason": "abusive"})
    assert response.status_code == 429 and error_of(response)["code"] == "rate_limited"
    assert count(Flag) == 1


def test_hidden_posts_cannot_be_flagged_by_others(api, idea, token, moderator):
    comment = factories.make_comment(idea)
    moderation.hide_comment(moderator, comment.id, reason="Spam")
    assert api.post(comment_flags(comment), token=token, json={"reason": "abusive"}).status_code == 404
    moderation.hide_idea(moderator, idea.id, reason="Off topic")
    assert api.post(idea_flags(idea), token=token, json={"reason": "abusive"}).status_code == 404
    assert count(Flag) == 0


def test_missing_items(api, token):
    assert api.post("/api/v1/ideas/987654/flags", token=token,
                    json={"reason": "abusive"}).status_code == 404
    assert api.post("/api/v1/comments/987654/flags", token=token,
                    json={"reason": "abusive"}).status_code == 404


# --- the queue -------------------------------------------------------------------------------

def flag(item, reason="abusive", note="", reporter=None):
    reporter = reporter or factories.make_user()
    if hasattr(item, "campaign_id"):
        return flags.flag_idea(reporter, item.id, reason=reason, note=note)
    return flags.flag_comment(reporter, item.id, reason=reason, note=note)


@pytest.fixture
def flagged(campaign):
    """An idea flagged three times, a comment flagged once, and an unflagged idea."""
    loud = factories.make_idea(campaign, title="Buy cheap watches")
    for reason, note in (("abusive", ""), ("other", "Advertising"), ("abusive", "")):
        flag(loud, reason, note)
    quiet = factories.make_idea(campaign, title="A quiet solar idea")
    comment = factories.make_comment(quiet, body="You are all wrong")
    flag(comment, "off_topic")
    factories.make_idea(campaign, title="Nobody minds this")
    return loud, comment


@pytest.mark.parametrize("role", MODERATOR_ROLES)
def test_the_queue_most_flagged_first(api, campaign, flagged, role):
    loud, comment = flagged
    response = api.get(QUEUE, as_user=factories.make_user(role=role))
    assert response.status_code == 200
    page = response.get_json()
    assert (page["total"], page["page"], page["pages"]) == (2, 1, 1)
    first, second = page["items"]
    assert (first["key"], first["kind"], first["flag_count"]) == (f"idea:{loud.id}", "idea", 3)
    assert first["idea"]["id"] == loud.id and first["comment"] is None
    assert first["reasons"] == {"abusive": 2, "other": 1}
    assert first["notes"] == ["Advertising"]
    assert first["first_flagged_at"].endswith("Z")
    assert (second["key"], second["kind"]) == (f"comment:{comment.id}", "comment")
    assert second["comment"]["body"] == "You are all wrong"
    assert second["idea"]["id"] == comment.idea_id


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_the_queue_is_for_moderators(api, flagged, role):
    response = api.get(QUEUE, as_user=factories.make_user(role=role))
    assert response.status_code == 403
    assert api.get(QUEUE).status_code == 401


def test_queue_filters(api, admin, campaign, flagged, moderator):
    loud, comment = flagged
    token = api.token_for(moderator)

    def keys(query):
        response = api.get(QUEUE + query, token=token)
        assert response.status_code == 200
        return [item["key"] for item in response.get_json()["items"]]

    assert keys("?kind=comment") == [f"comment:{comment.id}"]
    assert keys("?kind=idea") == [f"idea:{loud.id}"]
    assert keys("?reason=off_topic") == [f"comment:{comment.id}"]
    assert keys("?q=watches") == [f"idea:{loud.id}"]
    assert keys("?q=wrong") == [f"comment:{comment.id}"]
    assert keys(f"?campaign={campaign.slug}") == [f"idea:{loud.id}", f"comment:{comment.id}"]
    other = factories.make_campaign(admin)
    assert keys(f"?campaign={other.id}") == []
    assert keys("?per_page=1&page=2") == [f"comment:{comment.id}"]


@pytest.mark.parametrize("query, field", [
    ("?kind=votes", "kind"), ("?reason=boring", "reason"), ("?page=0", "page"),
    ("?page=x", "page"), ("?per_page=101", "per_page"), ("?per_page=-1", "per_page"),
])
def test_bad_queue_filters(api, moderator, query, field):
    response = api.get(QUEUE + query, as_user=moderator)
    assert response.status_code == 422 and field in error_of(response)["fields"]


def test_unknown_campaign_in_the_queue(api, moderator):
    assert api.get(QUEUE + "?campaign=no-such-campaign", as_user=moderator).status_code == 404


def test_settled_flags_leave_the_queue(api, flagged, moderator):
    loud, comment = flagged
    moderation.hide_idea(moderator, loud.id, reason="Spam")
    items = api.get(QUEUE, as_user=moderator).get_json()["items"]
    assert [item["key"] for item in items] == [f"comment:{comment.id}"]


def test_participants_learn_nothing_of_flags(api, idea, token):
    api.post(idea_flags(idea), token=token, json={"reason": "abusive"})
    seen = api.get(f"/api/v1/ideas/{idea.id}", as_user=factories.make_user()).get_json()
    assert "flag" not in str(seen)
    assert api.get(QUEUE, as_user=idea.author).status_code == 403
    assert api.get(QUEUE, as_user=factories.make_user(role=Role.EXECUTIVE)).status_code == 403
