from app.domain import moderation
from app.extensions import db
from app.models import Flag, FlagReason
from tests import factories
from tests.http.conftest import page_text, text_of


def test_a_participant_flags_an_idea_and_then_sees_they_did(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    login(member)
    page = text_of(client.get(f"/ideas/{idea.id}"))
    assert f'action="/ideas/{idea.id}/flag"' in page and f'for="flag-reason-idea-{idea.id}"' in page
    response = client.post(f"/ideas/{idea.id}/flag",
                           data={"reason": "off_topic", "note": "Not about launches"})
    assert response.status_code == 302 and response.headers["Location"] == f"/ideas/{idea.id}"
    flag = db.session.query(Flag).one()
    assert (flag.reason, flag.note) == (FlagReason.OFF_TOPIC, "Not about launches")
    assert flag.reporter_id == member.id
    page = page_text(client.get(f"/ideas/{idea.id}"))
    assert "Thanks — the moderators will take a look." in page
    assert "You flagged this" in page and f'action="/ideas/{idea.id}/flag"' not in page


def test_a_participant_flags_a_comment(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    comment = factories.make_comment(idea)
    login(member)
    assert f'action="/comments/{comment.id}/flag"' in text_of(client.get(f"/ideas/{idea.id}"))
    response = client.post(f"/comments/{comment.id}/flag",
                           data={"reason": "other", "note": "Shares a phone number"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{idea.id}#comment-{comment.id}"
    flag = db.session.query(Flag).one()
    assert flag.target_key == f"comment:{comment.id}" and flag.idea_id == idea.id
    assert f'action="/comments/{comment.id}/flag"' not in text_of(client.get(f"/ideas/{idea.id}"))


def test_bad_flags_are_explained_and_change_nothing(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    login(member)
    response = client.post(f"/ideas/{idea.id}/flag", data={"reason": ""})
    assert response.status_code == 302 and response.headers["Location"] == f"/ideas/{idea.id}"
    assert "Choose a reason" in page_text(client.get(f"/ideas/{idea.id}"))
    client.post(f"/ideas/{idea.id}/flag", data={"reason": "other", "note": "  "})
    assert "Tell the moderators what is wrong." in page_text(client.get(f"/ideas/{idea.id}"))
    assert db.session.query(Flag).count() == 0


def test_flagging_twice_is_refused_politely(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    login(member)
    client.post(f"/ideas/{idea.id}/flag", data={"reason": "abusive"})
    client.get(f"/ideas/{idea.id}")  # shows (and clears) the thanks
    client.post(f"/ideas/{idea.id}/flag", data={"reason": "duplicate"})
    assert "You have already flagged this." in page_text(client.get(f"/ideas/{idea.id}"))
    assert db.session.query(Flag).count() == 1


def test_nobody_flags_their_own_post(client, campaign, login):
    idea = factories.make_idea(campaign)
    comment = factories.make_comment(idea, idea.author)
    login(idea.author)
    page = text_of(client.get(f"/ideas/{idea.id}"))
    assert "/flag" not in page and "You flagged this" not in page
    for path in (f"/ideas/{idea.id}/flag", f"/comments/{comment.id}/flag"):
        refused = client.post(path, data={"reason": "abusive"})
        assert refused.status_code == 403  # the page never offers it; a crafted post is refused
        assert "You cannot flag your own post." in page_text(refused)
    assert db.session.query(Flag).count() == 0


def test_visitors_see_no_flag_form_and_must_log_in(client, campaign):
    idea = factories.make_idea(campaign)
    assert "/flag" not in text_of(client.get(f"/ideas/{idea.id}"))
    response = client.post(f"/ideas/{idea.id}/flag", data={"reason": "abusive"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.query(Flag).count() == 0


def test_hidden_comments_and_missing_posts_cannot_be_flagged(client, campaign, member, moderator, login):
    idea = factories.make_idea(campaign)
    comment = factories.make_comment(idea)
    moderation.hide_comment(moderator, comment.id, reason="Rude")
    login(member)
    assert f"/comments/{comment.id}/flag" not in text_of(client.get(f"/ideas/{idea.id}"))
    assert client.post(f"/comments/{comment.id}/flag", data={"reason": "abusive"}).status_code == 404
    assert client.post("/ideas/999999/flag", data={"reason": "abusive"}).status_code == 404
    assert client.post("/comments/999999/flag", data={"reason": "abusive"}).status_code == 404
    assert db.session.query(Flag).count() == 0
