"""Comments: threads, posting, replying, editing and deleting."""
from datetime import timedelta

import pytest

from app.models import Comment, Idea, Role
from app.extensions import db
from tests import factories
from tests.api.conftest import count, error_of


def comments_path(idea):
    return f"/api/v1/ideas/{idea.id}/comments"


def test_threads_with_replies(api, idea):
    first = factories.make_comment(idea, body="First!")
    reply = factories.make_comment(idea, body="A reply", parent=first)
    second = factories.make_comment(idea, body="Second")
    response = api.get(comments_path(idea))
    assert response.status_code == 200
    threads = response.get_json()["items"]
    assert [(t["id"], [r["id"] for r in t["replies"]]) for t in threads] == [
        (first.id, [reply.id]), (second.id, [])]
    assert threads[0]["body_html"] == "<p>First!</p>\n"
    assert threads[0]["replies"][0]["parent_id"] == first.id
    assert threads[0]["created_at"].endswith("Z")


def test_post_a_comment(api, idea, user, token):
    response = api.post(comments_path(idea), token=token, json={"body": "Love **this**"})
    assert response.status_code == 201
    comment = response.get_json()
    assert comment["author"]["id"] == user.id
    assert comment["body_html"] == "<p>Love <strong>this</strong></p>\n"
    assert comment["parent_id"] is None and comment["deleted"] is False
    assert api.get(response.headers["Location"]).get_json() == comment
    assert db.session.get(Idea, idea.id).comment_count == 1


def test_a_reply_to_a_reply_joins_the_thread(api, idea, token):
    top = factories.make_comment(idea)
    reply = factories.make_comment(idea, parent=top)
    response = api.post(comments_path(idea), token=token,
                        json={"body": "Nested", "parent_id": reply.id})
    assert response.status_code == 201
    assert response.get_json()["parent_id"] == top.id


def test_html_is_escaped(api, idea, token):
    response = api.post(comments_path(idea), token=token,
                        json={"body": "<script>alert(1)</script> [x](javascript:alert(1))"})
    html = response.get_json()["body_html"]
    assert "<script>" not in html and "href=\"javascript" not in html


@pytest.mark.parametrize("payload, status, field", [
    ({}, 422, "body"),
    ({"body": ""}, 422, "body"),
    ({"body": 42}, 422, "body"),
    ({"body": "x" * 5001}, 422, "body"),
    ({"body": "ok", "parent_id": "1"}, 422, "parent_id"),
    ({"body": "ok", "parent_id": True}, 422, "parent_id"),
    ({"body": "ok", "parent_id": 2**40}, 422, "parent_id"),
    ({"body": "ok", "parent_id": 1.5}, 422, "parent_id"),
    ({"body": "ok", "idea_id": 3}, 422, "idea_id"),
    ({"body": "ok", "parent_id": 999}, 404, "parent_id"),
])
def test_bad_comments_write_nothing(api, idea, token, payload, status, field):
    before = (count(Comment), db.session.get(Idea, idea.id).comment_count)
    response = api.post(comments_path(idea), token=token, json=payload)
    assert response.status_code == status
    assert field in error_of(response)["fields"]
    assert (count(Comment), db.session.get(Idea, idea.id).comment_count) == before


def test_a_parent_on_another_idea_is_refused(api, campaign, idea, token):
    elsewhere = factories.make_comment(factories.make_idea(campaign))
    response = api.post(comments_path(idea), token=token,
                        json={"body": "Wrong thread", "parent_id": elsewhere.id})
    assert response.status_code == 404


def test_commenting_needs_a_token(api, idea):
    response = api.post(comments_path(idea), json={"body": "Hello"})
    assert response.status_code == 401
    assert count(Comment) == 0


def test_not_in_a_closed_campaign(api, idea, token, clock):
    clock.advance(timedelta(days=3))
    response = api.post(comments_path(idea), token=token, json={"body": "Too late"})
    assert response.status_code == 409
    assert error_of(response)["code"] == "campaign_not_open"
    assert count(Comment) == 0


def test_executives_cannot_comment(api, idea):
    response = api.post(comments_path(idea), as_user=factories.make_user(role=Role.EXECUTIVE),
                        json={"body": "Just watching"})
    assert response.status_code == 403


def test_unknown_idea(api, token):
    assert api.get("/api/v1/ideas/999/comments").status_code == 404
    assert api.post("/api/v1/ideas/999/comments", token=token, json={"body": "x"}).status_code == 404


class TestEditingAndDeleting:
    @pytest.fixture
    def author(self, app):
        return factories.make_user()

    @pytest.fixture
    def comment(self, idea, author):
        return factories.make_comment(idea, author, body="Original")

    def test_the_author_edits(self, api, comment, author):
        response = api.patch(f"/api/v1/comments/{comment.id}", as_user=author,
                             json={"body": "Edited _text_"})
        assert response.status_code == 200
        data = response.get_json()
        assert data["body"] == "Edited _text_" and data["edited_at"].endswith("Z")

    def test_others_cannot_edit_or_delete(self, api, comment, token):
        response = api.patch(f"/api/v1/comments/{comment.id}", token=token, json={"body": "Mine now"})
        assert response.status_code == 403
        assert error_of(response)["code"] == "not_author"
        assert api.delete(f"/api/v1/comments/{comment.id}", token=token).status_code == 403
        assert db.session.get(Comment, comment.id).body == "Original"

    @pytest.mark.parametrize("payload", [{}, {"body": ""}, {"body": None}, {"body": ["x"]},
                                         {"body": "ok", "extra": 1}])
    def test_invalid_edits_write_nothing(self, api, comment, author, payload):
        response = api.patch(f"/api/v1/comments/{comment.id}", as_user=author, json=payload)
        assert response.status_code == 422
        assert db.session.get(Comment, comment.id).body == "Original"

    def test_editing_needs_a_token(self, api, comment):
        assert api.patch(f"/api/v1/comments/{comment.id}", json={"body": "x"}).status_code == 401
        assert api.delete(f"/api/v1/comments/{comment.id}").status_code == 401

    def test_delete_leaves_a_marker(self, api, idea, comment, author):
        reply = factories.make_comment(idea, parent=comment)
        response = api.delete(f"/api/v1/comments/{comment.id}", as_user=author)
        assert response.status_code == 204
        thread = api.get(comments_path(idea)).get_json()["items"][0]
        assert thread["deleted"] is True and thread["body"] == "" and thread["body_html"] == ""
        assert [r["id"] for r in thread["replies"]] == [reply.id]
        assert db.session.get(Idea, idea.id).comment_count == 1
        again = api.delete(f"/api/v1/comments/{comment.id}", as_user=author)
        assert again.status_code == 403

    def test_not_once_closed(self, api, comment, author, clock):
        clock.advance(timedelta(days=3))
        response = api.patch(f"/api/v1/comments/{comment.id}", as_user=author, json={"body": "Late"})
        assert response.status_code == 409
        assert api.delete(f"/api/v1/comments/{comment.id}", as_user=author).status_code == 409

    def test_unknown_comment(self, api, token):
        assert api.get("/api/v1/comments/999").status_code == 404
        assert api.patch("/api/v1/comments/999", token=token, json={"body": "x"}).status_code == 404
        assert api.delete("/api/v1/comments/999", token=token).status_code == 404


def test_threads_come_in_pages(api, idea):
    made = [factories.make_comment(idea, body=f"Thread {n}") for n in range(5)]
    body = api.get(comments_path(idea) + "?per_page=2&page=3").get_json()
    assert [t["id"] for t in body["items"]] == [made[4].id]
    assert (body["total"], body["page"], body["per_page"], body["pages"]) == (5, 3, 2, 3)
    refused = api.get(comments_path(idea) + "?per_page=201")
    assert refused.status_code == 422 and "per_page" in error_of(refused)["fields"]
