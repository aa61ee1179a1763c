"""Notifications on the pages (bell, /notifications) and their live messages: filtered by what
the reader may see when shown or sent, and worded by one template for the page and the socket."""
import re

import pytest

from app.domain import accounts, comments, ideas, merges, moderation, rules, sanctions
from app.domain.clock import utcnow
from app.extensions import db
from app.models import Notification
from app.web.notifications import live_message
from tests import factories as f
from tests.http.conftest import page_text, text_of

SECRET = "Staff-only pricing plan for 2027"


def _entry(page, notification_id):
    """The bell's or the page's entry of one notification, as served."""
    match = re.search(rf'<a href="[^"]*" data-notification-id="{notification_id}">.*?</a>', page, re.S)
    return match.group(0) if match else None


def test_a_former_member_reads_nothing_of_a_private_idea_anywhere(client, admin, moderator, member, login):
    campaign = f.make_campaign(admin, audience=["staff"], is_private=True)
    idea = f.make_idea(campaign, f.make_user(), title="Shared plan")
    ideas.follow_idea(member, idea.id)
    moderation.change_idea_status(moderator, idea.id, status="under_review")
    accounts.update_person(admin, member.id, kind="customer")
    ideas.edit_idea(idea.author, idea.id, title=SECRET, body="Only for staff.")
    moderation.change_idea_status(moderator, idea.id, status="shortlisted")

    login(member)
    for path in ("/", "/notifications", f"/people/{member.id}"):
        page = page_text(client.get(path))
        assert SECRET not in page and "Shared plan" not in page, path
        assert 'data-unread-count data-count="0"' in page, path


def test_a_live_message_is_checked_again_when_it_is_sent(app, admin, moderator, member):
    campaign = f.make_campaign(admin, audience=["staff"], is_private=True)
    idea = f.make_idea(campaign, member)
    comments.add_comment(moderator, idea.id, body="Nice.")
    note = db.session.query(Notification).filter_by(user_id=member.id).one()
    assert live_message(member.id, "notification", {"id": note.id})["idea_title"] == idea.title
    accounts.update_person(admin, member.id, kind="customer")  # between commit and sending
    assert live_message(member.id, "notification", {"id": note.id}) is None
    assert live_message(member.id, "notifications.read", {}) == {"unread": 0}


def _make(kind, campaign, person, moderator):
    """Make a notification of ``kind`` for ``person``, as the jam does."""
    if kind == "approved":
        rules.update_campaign_rules(moderator, campaign.id, code_of_conduct="", premoderated_kinds=["staff"],
                                    ideas_per_hour=10, comments_per_minute=10, flags_per_day=10)
    idea = f.make_idea(campaign, person, title="Cheaper roaming")
    if kind == "approved":
        moderation.approve_idea(moderator, idea.id)
    elif kind == "comment":
        comments.add_comment(moderator, idea.id, body="Good.")
    elif kind == "reply":
        mine = f.make_comment(idea, person)
        comments.add_comment(moderator, idea.id, body="Agreed.", parent_id=mine.id)
    elif kind == "status":
        moderation.change_idea_status(moderator, idea.id, status="shortlisted")
    elif kind == "hidden":
        moderation.hide_idea(moderator, idea.id, reason="Off topic.")
    elif kind == "merged":
        merges.merge_idea(moderator, idea.id, into=f.make_idea(campaign).id, note="Same idea.")
    elif kind == "warned":
        sanctions.warn_person(moderator, person.id, reason="Please stay on topic.")
    elif kind == "suspended":
        sanctions.suspend_person(moderator, person.id, until=utcnow().replace(year=utcnow().year + 1),
                                 reason="Spam.")
    return db.session.query(Notification).filter_by(user_id=person.id).order_by(Notification.id.desc()).first()


@pytest.mark.parametrize("locale", ["en", "zh_Hant"])
@pytest.mark.parametrize("kind", ["comment", "reply", "status", "hidden", "approved", "merged", "warned",
                                  "suspended"])
def test_a_live_notification_reads_as_it_will_after_a_reload(client, campaign, moderator, member, login,
                                                            kind, locale):
    member.locale = locale
    db.session.commit()
    note = _make(kind, campaign, member, moderator)
    message = live_message(member.id, "notification", {"id": note.id})
    login(member)
    for path in ("/", "/notifications"):
        assert _entry(text_of(client.get(path)), note.id) == message["html"].strip(), path
    assert "/ideas/None" not in message["url"] and "null" not in message["url"]
    if note.idea_id:
        assert message["url"].startswith(f"/ideas/{note.idea_id}")
    assert message["kind"] == note.kind.value and message["unread"] >= 1


def test_the_menu_links_the_notifications_page(client, member, login):
    login(member)
    assert 'href="/notifications"' in text_of(client.get("/")).split('class="account"')[0]
