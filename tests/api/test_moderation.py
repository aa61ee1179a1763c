import pytest

from app.domain import flags, moderation
from app.extensions import db
from app.models import AuditEntry, ContentState, Flag, Idea, IdeaStatus, Role
from tests import factories
from tests.api.conftest import MODERATOR_ROLES, OTHER_ROLES, count, error_of, set_rules


def status_path(idea):
    return f"/api/v1/ideas/{idea.id}/status"


def test_moderator_changes_status_over_the_api(api, campaign):
    idea = factories.make_idea(campaign)
    moderator = factories.make_user(role=Role.MODERATOR)
    response = api.put(status_path(idea), as_user=moderator, json={"status": "selected", "note": "Go"})
    assert response.status_code == 200 and response.get_json()["status"] == "selected"
    history = api.get(f"/api/v1/ideas/{idea.id}/status-history").get_json()["items"]
    assert [(h["from_status"], h["to_status"]) for h in history] == [(None, "submitted"), ("submitted", "selected")]


def test_status_change_errors(api, campaign):
    idea = factories.make_idea(campaign)
    moderator = factories.make_user(role=Role.MODERATOR)
    assert api.put(status_path(idea), json={"status": "selected"}).status_code == 401
    assert api.put(status_path(idea), as_user=idea.author, json={"status": "selected"}).status_code == 403
    response = api.put(status_path(idea), as_user=moderator, json={"status": "declined"})
    assert response.status_code == 422 and "note" in response.get_json()["error"]["fields"]
    response = api.put(status_path(idea), as_user=moderator, json={"status": 7})
    assert response.status_code == 422 and "status" in response.get_json()["error"]["fields"]
    assert idea.status is IdeaStatus.SUBMITTED


# --- hiding, restoring and approving ------------------------------------------------------------

def idea_path(idea):
    return f"/api/v1/ideas/{idea.id}"


def comment_path(comment):
    return f"/api/v1/comments/{comment.id}"


def listed(api, campaign, query="", **kwargs):
    response = api.get(f"/api/v1/campaigns/{campaign.id}/ideas{query}", **kwargs)
    assert response.status_code == 200
    return [item["id"] for item in response.get_json()["items"]]


@pytest.fixture
def post(campaign):
    """A published idea with a published comment, each by its own author."""
    idea = factories.make_idea(campaign, title="Recycle the old routers", tags=["green"])
    return idea, factories.make_comment(idea, body="Secret words")


def test_ideas_and_comments_carry_their_moderation_state(api, post):
    idea, comment = post
    body = api.get(idea_path(idea)).get_json()
    assert (body["state"], body["hidden_reason"], body["merged_into_id"]) == ("published", "", None)
    assert (body["comments_locked"], body["moderator_edited"]) == (False, False)
    shown = api.get(comment_path(comment)).get_json()
    assert (shown["state"], shown["moderator_edited"]) == ("published", False)


@pytest.mark.parametrize("role", MODERATOR_ROLES)
def test_a_hidden_idea_is_gone_for_others_but_not_its_author_and_moderators(api, campaign, post, role):
    idea, _comment = post
    actor = factories.make_user(role=role)
    response = api.post(idea_path(idea) + "/hide", as_user=actor, json={"reason": "Off topic"})
    assert response.status_code == 200
    assert (response.get_json()["state"], response.get_json()["hidden_reason"]) == ("hidden", "Off topic")
    assert db.session.get(Idea, idea.id).content_state is ContentState.HIDDEN

    other = api.token_for(factories.make_user())
    for path in ("", "/comments", "/versions", "/status-history"):
        assert api.get(idea_path(idea) + path, token=other).status_code == 404
        assert api.get(idea_path(idea) + path).status_code == 404
    for query in ("", "?q=routers", "?tag=green", "?sort=newest"):
        assert idea.id not in listed(api, campaign, query, token=other)
        assert idea.id not in listed(api, campaign, query, as_user=idea.author)
        assert idea.id not in listed(api, campaign, query, token=api.token_for(actor))
    for viewer in (idea.author, actor, factories.make_user(role=Role.MODERATOR)):
        seen = api.get(idea_path(idea), as_user=viewer).get_json()
        assert (seen["state"], seen["hidden_reason"]) == ("hidden", "Off topic")

    restored = api.post(idea_path(idea) + "/restore", as_user=actor, json={"reason": "Fine after all"})
    assert restored.status_code == 200
    assert (restored.get_json()["state"], restored.get_json()["hidden_reason"]) == ("published", "")
    assert idea.id in listed(api, campaign, "?q=routers", token=other)


def test_restore_needs_no_body(api, post, moderator):
    idea, comment = post
    token = api.token_for(moderator)
    api.post(idea_path(idea) + "/hide", token=token, json={"reason": "Spam"})
    api.post(comment_path(comment) + "/hide", token=token, json={"reason": "Spam"})
    assert api.post(idea_path(idea) + "/restore", token=token).get_json()["state"] == "published"
    assert api.post(comment_path(comment) + "/restore", token=token).get_json()["state"] == "published"


def test_a_hidden_comments_words_never_reach_others(api, post, moderator):
    idea, comment = post
    response = api.post(comment_path(comment) + "/hide", as_user=moderator, json={"reason": "Rude"})
    assert response.status_code == 200
    assert response.get_json()["body"] == "Secret words"  # the moderator still reads it
    for kwargs in ({}, {"as_user": factories.make_user()}, {"as_user": idea.author},
                   {"as_user": factories.make_user(role=Role.EXECUTIVE)}):
        single = api.get(comment_path(comment), **kwargs).get_json()
        thread = api.get(idea_path(idea) + "/comments", **kwargs).get_json()["items"][0]
        for shown in (single, thread):
            assert (shown["id"], shown["state"], shown["body"], shown["body_html"]) == (
                comment.id, "hidden", "", "")
        assert "Secret" not in api.get(idea_path(idea) + "/comments", **kwargs).get_data(as_text=True)
    for viewer in (comment.author, moderator, factories.make_admin()):
        shown = api.get(comment_path(comment), as_user=viewer).get_json()
        assert (shown["state"], shown["body"]) == ("hidden", "Secret words")


def test_hidden_replies_are_withheld_inside_threads(api, post, moderator):
    idea, comment = post
    reply = factories.make_comment(idea, body="Hidden reply words", parent=comment)
    api.post(comment_path(reply) + "/hide", as_user=moderator, json={"reason": "Rude"})
    thread = api.get(idea_path(idea) + "/comments").get_json()["items"][0]
    assert thread["body"] == "Secret words"
    assert [(r["id"], r["state"], r["body"]) for r in thread["replies"]] == [(reply.id, "hidden", "")]


@pytest.mark.parametrize("payload, field", [
    ({}, "reason"), ({"reason": "  "}, "reason"), ({"reason": 5}, "reason"),
    ({"reason": "x" * (moderation.REASON_MAX + 1)}, "reason"), ({"reason": "Spam", "extra": 1}, "extra"),
])
def test_hiding_needs_a_reason(api, post, moderator, payload, field):
    idea, comment = post
    for path in (idea_path(idea), comment_path(comment)):
        response = api.post(path + "/hide", as_user=moderator, json=payload)
        assert response.status_code == 422 and field in error_of(response)["fields"]
    assert idea.content_state is ContentState.PUBLISHED
    assert comment.content_state is ContentState.PUBLISHED


def test_state_conflicts(api, post, moderator):
    idea, comment = post
    token = api.token_for(moderator)
    for path in (idea_path(idea), comment_path(comment)):
        response = api.post(path + "/restore", token=token)
        assert response.status_code == 409 and error_of(response)["code"] == "not_hidden"
        response = api.post(path + "/approve", token=token)
        assert response.status_code == 409 and error_of(response)["code"] == "not_pending"
        assert api.post(path + "/hide", token=token, json={"reason": "Spam"}).status_code == 200
        response = api.post(path + "/hide", token=token, json={"reason": "Spam"})
        assert response.status_code == 409 and error_of(response)["code"] == "unchanged"


def test_approving_pending_posts(api, campaign, moderator):
    set_rules(campaign, premoderated_kinds=["staff"])
    idea = api.post(f"/api/v1/campaigns/{campaign.id}/ideas", as_user=factories.make_user(),
                    json={"title": "Waiting idea", "body": "B"}).get_json()
    assert idea["state"] == "pending"
    pending = db.session.get(Idea, idea["id"])
    assert api.get(idea_path(pending), as_user=factories.make_user()).status_code == 404
    assert idea["id"] not in listed(api, campaign)
    assert api.get(idea_path(pending), as_user=pending.author).get_json()["state"] == "pending"

    response = api.post(idea_path(pending) + "/approve", as_user=moderator)
    assert response.status_code == 200 and response.get_json()["state"] == "published"
    assert idea["id"] in listed(api, campaign)

    author = factories.make_user()
    comment = api.post(idea_path(pending) + "/comments", as_user=author,
                       json={"body": "Waiting words"}).get_json()
    assert (comment["state"], comment["body"]) == ("pending", "Waiting words")  # its author reads it
    assert api.get(f"/api/v1/comments/{comment['id']}").status_code == 404
    assert api.get(idea_path(pending) + "/comments").get_json()["items"] == []
    response = api.post(f"/api/v1/comments/{comment['id']}/approve", as_user=moderator)
    assert response.status_code == 200 and response.get_json()["state"] == "published"
    assert api.get(f"/api/v1/comments/{comment['id']}").get_json()["body"] == "Waiting words"


# --- who may moderate ---------------------------------------------------------------------------

def _moderator_calls(idea, comment):
    """Every moderator-only call of this module, each valid for a moderator."""
    return [
        ("post", idea_path(idea) + "/hide", {"reason": "Spam"}),
        ("post", idea_path(idea) + "/restore", {}),
        ("post", idea_path(idea) + "/approve", None),
        ("post", comment_path(comment) + "/hide", {"reason": "Spam"}),
        ("post", comment_path(comment) + "/restore", {}),
        ("post", comment_path(comment) + "/approve", None),
        ("put", idea_path(idea) + "/moderator-edit",
         {"title": "Corrected title", "body": "Corrected", "tags": [], "reason": "Confidential"}),
        ("put", comment_path(comment) + "/moderator-edit", {"body": "Corrected", "reason": "Rude"}),
        ("put", idea_path(idea) + "/comments-lock", {"locked": True}),
        ("put", idea_path(idea) + "/status", {"status": "selected"}),
        ("post", "/api/v1/moderation/dismiss", {"key": f"idea:{idea.id}"}),
        ("post", "/api/v1/moderation/bulk",
         {"action": "hide", "keys": [f"idea:{idea.id}"], "reason": "Spam"}),
    ]


def _snapshot(idea, comment):
    db.session.expire_all()
    return (idea.content_state, idea.title, idea.comments_locked, idea.status, idea.version,
            comment.content_state, comment.body, count(Flag), count(AuditEntry))


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_others_may_not_moderate(api, post, role):
    idea, comment = post
    flags.flag_idea(factories.make_user(), idea.id, reason="abusive")
    before = _snapshot(idea, comment)
    token = api.token_for(factories.make_user(role=role))
    for method, path, payload in _moderator_calls(idea, comment):
        response = getattr(api, method)(path, token=token, json=payload)
        assert response.status_code == 403, (method, path)
        assert getattr(api, method)(path, json=payload).status_code == 401, (method, path)
    assert _snapshot(idea, comment) == before


def test_the_author_may_not_moderate_their_own_post(api, post):
    idea, comment = post
    before = _snapshot(idea, comment)
    assert api.post(idea_path(idea) + "/hide", as_user=idea.author, json={"reason": "x"}).status_code == 403
    assert api.put(comment_path(comment) + "/moderator-edit", as_user=comment.author,
                   json={"body": "Other words", "reason": "x"}).status_code == 403
    assert _snapshot(idea, comment) == before


@pytest.mark.parametrize("role", MODERATOR_ROLES)
def test_moderators_and_admins_may(api, campaign, role):
    token = api.token_for(factories.make_user(role=role))
    idea = factories.make_idea(campaign)
    comment = factories.make_comment(idea)
    for method, path, payload in _moderator_calls(idea, comment):
        if path.endswith("/dismiss"):
            flags.flag_idea(factories.make_user(), idea.id, reason="abusive")
        response = getattr(api, method)(path, token=token, json=payload)
        # Nothing is pending, so approving is refused; everything else is done.
        status = 409 if path.endswith("/approve") else 200
        assert response.status_code == status, (method, path, response.get_json())
    db.session.expire_all()
    assert idea.content_state is ContentState.HIDDEN and idea.comments_locked
    assert comment.body == "Corrected" and idea.title == "Corrected title"


# --- many at once, and dismissing flags ----------------------------------------------------------

BULK = "/api/v1/moderation/bulk"
DISMISS = "/api/v1/moderation/dismiss"


def test_bulk_hide_skips_what_it_does_not_fit(api, campaign, post, moderator):
    idea, comment = post
    already = factories.make_idea(campaign)
    moderation.hide_idea(moderator, already.id, reason="Spam")
    keys = [f"idea:{idea.id}", f"comment:{comment.id}", f"idea:{already.id}"]
    response = api.post(BULK, as_user=moderator, json={"action": "hide", "keys": keys, "reason": "Spam"})
    assert response.status_code == 200
    assert response.get_json() == {"action": "hide", "done": keys[:2],
                                   "skipped": {f"idea:{already.id}": "unchanged"}}
    db.session.expire_all()
    assert idea.content_state is comment.content_state is ContentState.HIDDEN
    restored = api.post(BULK, as_user=moderator, json={"action": "restore", "keys": keys}).get_json()
    assert restored["done"] == keys and restored["skipped"] == {}


def test_bulk_dismiss(api, post, moderator):
    idea, comment = post
    flags.flag_idea(factories.make_user(), idea.id, reason="abusive")
    keys = [f"idea:{idea.id}", f"comment:{comment.id}"]
    result = api.post(BULK, as_user=moderator, json={"action": "dismiss", "keys": keys}).get_json()
    assert result["done"] == keys[:1] and result["skipped"] == {keys[1]: "no_open_flags"}
    assert idea.content_state is ContentState.PUBLISHED
    assert api.get("/api/v1/moderation/queue", as_user=moderator).get_json()["total"] == 0


@pytest.mark.parametrize("payload, field", [
    ({"keys": ["idea:1"]}, "action"),
    ({"action": "delete", "keys": ["idea:1"]}, "action"),
    ({"action": "hide", "keys": ["idea:1"]}, "reason"),
    ({"action": "hide", "keys": ["idea:1"], "reason": " "}, "reason"),
    ({"action": "restore"}, "keys"),
    ({"action": "restore", "keys": []}, "keys"),
    ({"action": "restore", "keys": "idea:1"}, "keys"),
    ({"action": "restore", "keys": [1]}, "keys"),
    ({"action": "restore", "keys": [f"idea:{n}" for n in range(1, moderation.BULK_MAX + 2)]}, "keys"),
])
def test_bad_bulk_requests_change_nothing(api, post, moderator, payload, field):
    idea, comment = post
    before = _snapshot(idea, comment)
    response = api.post(BULK, as_user=moderator, json=payload)
    assert response.status_code == 422 and field in error_of(response)["fields"]
    assert _snapshot(idea, comment) == before


def test_an_unknown_item_in_bulk_changes_nothing(api, post, moderator):
    idea, comment = post
    before = _snapshot(idea, comment)
    for bad in ("idea:987654", "comment:987654", "vote:1", "idea:x"):
        response = api.post(BULK, as_user=moderator,
                            json={"action": "hide", "keys": [f"idea:{idea.id}", bad], "reason": "Spam"})
        assert response.status_code == 404, bad
    assert _snapshot(idea, comment) == before


def test_dismissing_an_items_flags(api, post, moderator):
    idea, comment = post
    for _ in range(2):
        flags.flag_comment(factories.make_user(), comment.id, reason="abusive")
    key = f"comment:{comment.id}"
    too_long = api.post(DISMISS, as_user=moderator,
                        json={"key": key, "reason": "x" * (moderation.REASON_MAX + 1)})
    assert too_long.status_code == 422 and "reason" in error_of(too_long)["fields"]
    assert flags.open_flag_count(key) == 2  # nothing was settled
    response = api.post(DISMISS, as_user=moderator, json={"key": key, "reason": "Harmless"})
    assert response.status_code == 200 and response.get_json() == {"key": key, "dismissed": 2}
    assert comment.content_state is ContentState.PUBLISHED
    again = api.post(DISMISS, as_user=moderator, json={"key": key})
    assert again.status_code == 409 and error_of(again)["code"] == "no_open_flags"
    for payload, status in (({}, 422), ({"key": 5}, 422), ({"key": "idea:987654"}, 404)):
        assert api.post(DISMISS, as_user=moderator, json=payload).status_code == status


# --- editing as a moderator, locking comments ----------------------------------------------------

def test_editing_an_idea_as_a_moderator(api, post, moderator):
    idea, _comment = post
    response = api.put(idea_path(idea) + "/moderator-edit", as_user=moderator,
                       json={"title": "Recycle the old devices", "body": "No phone numbers here",
                             "tags": ["green", "reuse"], "reason": "Removed a phone number"})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["title"], body["version"], body["moderator_edited"]) == (
        "Recycle the old devices", 2, True)
    assert body["tags"] == ["green", "reuse"]
    versions = api.get(idea_path(idea) + "/versions").get_json()["items"]
    assert versions[0]["editor"]["id"] == moderator.id
    entry = db.session.query(AuditEntry).filter_by(action="idea.moderator_edit").one()
    assert entry.reason == "Removed a phone number"


@pytest.mark.parametrize("payload, field", [
    ({"body": "B", "tags": [], "reason": "r"}, "title"),
    ({"title": "Fine title", "tags": [], "reason": "r"}, "body"),
    ({"title": "Fine title", "body": "B", "reason": "r"}, "tags"),
    ({"title": "Fine title", "body": "B", "tags": []}, "reason"),
    ({"title": "Tiny", "body": "B", "tags": [], "reason": "r"}, "title"),
    ({"title": "Fine title", "body": "B", "tags": "a,b", "reason": "r"}, "tags"),
    ({"title": "Fine title", "body": "B", "tags": [], "reason": "r", "note": "x"}, "note"),
])
def test_bad_moderator_edits_of_ideas(api, post, moderator, payload, field):
    idea, comment = post
    before = _snapshot(idea, comment)
    response = api.put(idea_path(idea) + "/moderator-edit", as_user=moderator, json=payload)
    assert response.status_code == 422 and field in error_of(response)["fields"]
    assert _snapshot(idea, comment) == before


def test_editing_a_comment_as_a_moderator(api, post, moderator):
    idea, comment = post
    response = api.put(comment_path(comment) + "/moderator-edit", as_user=moderator,
                       json={"body": "Kinder words", "reason": "Rude"})
    assert response.status_code == 200
    assert (response.get_json()["body"], response.get_json()["moderator_edited"]) == ("Kinder words", True)
    assert api.get(comment_path(comment)).get_json()["moderator_edited"] is True
    before = _snapshot(idea, comment)
    for payload, field in (({"body": "x"}, "reason"), ({"reason": "r"}, "body"),
                           ({"body": 1, "reason": "r"}, "body")):
        response = api.put(comment_path(comment) + "/moderator-edit", as_user=moderator, json=payload)
        assert response.status_code == 422 and field in error_of(response)["fields"]
    assert _snapshot(idea, comment) == before


def test_locking_comments(api, post, moderator, token):
    idea, comment = post
    lock = idea_path(idea) + "/comments-lock"
    response = api.put(lock, as_user=moderator, json={"locked": True, "reason": "Heated"})
    assert response.status_code == 200 and response.get_json()["comments_locked"] is True
    refused = api.post(idea_path(idea) + "/comments", token=token, json={"body": "Me too"})
    assert refused.status_code == 409 and error_of(refused)["code"] == "comments_locked"
    again = api.put(lock, as_user=moderator, json={"locked": True})
    assert again.status_code == 409 and error_of(again)["code"] == "unchanged"
    for payload in ({}, {"locked": "yes"}, {"locked": 1}, {"locked": None}):
        response = api.put(lock, as_user=moderator, json=payload)
        assert response.status_code == 422 and "locked" in error_of(response)["fields"]
    assert api.put(lock, as_user=moderator, json={"locked": False}).get_json()["comments_locked"] is False
    assert api.post(idea_path(idea) + "/comments", token=token, json={"body": "Me too"}).status_code == 201
