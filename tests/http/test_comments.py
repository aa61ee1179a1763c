from app.domain import campaigns as campaign_domain
from app.extensions import db
from app.models import Comment, Idea
from tests import factories
from tests.http.conftest import text_of


def test_post_comment_and_reply(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    login(member)
    response = client.post(f"/ideas/{idea.id}/comments", data={"body": "Nice *idea*"})
    assert response.status_code == 302
    comment = db.session.query(Comment).one()
    assert response.headers["Location"] == f"/ideas/{idea.id}#comment-{comment.id}"
    reply = client.post(f"/ideas/{idea.id}/comments", data={"body": "Replying", "parent_id": comment.id})
    assert reply.status_code == 302
    html = text_of(client.get(f"/ideas/{idea.id}"))
    assert "<em>idea</em>" in html and "Replying" in html
    assert db.session.get(Idea, idea.id).comment_count == 2


def test_reply_to_a_reply_joins_the_thread(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    top = factories.make_comment(idea)
    reply = factories.make_comment(idea, parent=top)
    login(member)
    client.post(f"/ideas/{idea.id}/comments", data={"body": "Deeper", "parent_id": reply.id})
    deeper = db.session.query(Comment).filter_by(body="Deeper").one()
    assert deeper.parent_id == top.id


def test_comment_json_returns_fragment_and_count(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    login(member)
    response = client.post(f"/ideas/{idea.id}/comments", data={"body": "From **JS**"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 201
    data = response.get_json()
    assert data["comment_count"] == 1 and data["parent_id"] is None
    assert f'id="comment-{data["id"]}"' in data["html"] and "<strong>JS</strong>" in data["html"]
    assert "<html" not in data["html"]


def test_empty_comment_rerenders_and_writes_nothing(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    login(member)
    response = client.post(f"/ideas/{idea.id}/comments", data={"body": "   "})
    assert response.status_code == 422
    assert 'id="body-error"' in text_of(response)
    json = client.post(f"/ideas/{idea.id}/comments", data={"body": ""},
                       headers={"Accept": "application/json"})
    assert json.status_code == 422 and "body" in json.get_json()["error"]["fields"]
    assert db.session.query(Comment).count() == 0


def test_comment_on_closed_campaign_is_refused(client, admin, member, login):
    campaign = factories.make_campaign(admin)
    idea = factories.make_idea(campaign)
    campaign_domain.close_campaign(admin, campaign.id)
    login(member)
    html = text_of(client.get(f"/ideas/{idea.id}"))
    assert "data-comment-form" not in html and "read-only" in html
    response = client.post(f"/ideas/{idea.id}/comments", data={"body": "Late"}, follow_redirects=True)
    assert "has closed and is now read-only" in text_of(response)
    assert db.session.query(Comment).count() == 0


def test_author_edits_comment(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    comment = factories.make_comment(idea, member, body="Original words")
    login(member)
    page = client.get(f"/comments/{comment.id}/edit")
    assert page.status_code == 200 and "Original words" in text_of(page)
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "Better words"})
    assert response.status_code == 302
    assert db.session.get(Comment, comment.id).body == "Better words"
    html = text_of(client.get(f"/ideas/{idea.id}"))
    assert "Better words" in html and "edited" in html


def test_author_deletes_comment_and_marker_remains(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    comment = factories.make_comment(idea, member, body="Regrettable words")
    login(member)
    assert client.get(f"/comments/{comment.id}/delete").status_code == 405
    assert client.post(f"/comments/{comment.id}/delete").status_code == 302
    html = text_of(client.get(f"/ideas/{idea.id}"))
    assert "This comment was deleted." in html and "Regrettable words" not in html
    assert db.session.get(Idea, idea.id).comment_count == 0


def test_others_cannot_edit_or_delete(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    comment = factories.make_comment(idea, body="Not yours")
    login(member)
    html = text_of(client.get(f"/ideas/{idea.id}"))
    assert f"/comments/{comment.id}/edit" not in html
    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "Mine now"}).status_code == 403
    assert client.post(f"/comments/{comment.id}/delete").status_code == 403
    assert db.session.get(Comment, comment.id).body == "Not yours"
