from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app.domain import campaigns, events, ideas, notifications, votes
from app.domain.errors import ValidationError
from app.extensions import db
from app.models import CampaignEvent, NotificationKind
from tests import factories as f


@pytest.fixture
def delivered(app):
    received = []

    def collect(kind, data):
        received.append((kind, data))

    events.subscribe(collect)
    yield received
    events.unsubscribe(collect)


def test_events_are_delivered_only_after_commit(app, campaign, delivered):
    f.make_idea(campaign, title="Committed idea")
    kinds = [(kind, data["kind"]) for kind, data in delivered if kind == "campaign"]
    assert kinds == [("campaign", "idea.created")]


def test_rolled_back_events_are_never_delivered(app, campaign, delivered):
    author = f.make_user()
    delivered.clear()
    with pytest.raises(ValidationError):
        ideas.submit_idea(author, campaign.id, title="Valid title", body="x" * 20_000)
    # A write that fails after recording must not announce anything either.
    events.record_campaign_event(campaign.id, "idea.created", {"title": "ghost"})
    db.session.rollback()
    db.session.commit()
    assert delivered == []
    assert db.session.scalar(select(func.count()).select_from(CampaignEvent)) == 0


def test_stream_numbers_are_gapless_per_campaign(app, admin):
    first, second = f.make_campaign(admin), f.make_campaign(admin)
    for campaign in (first, second, first):
        f.make_idea(campaign)
    seqs = db.session.execute(select(CampaignEvent.campaign_id, CampaignEvent.seq)
                              .order_by(CampaignEvent.id)).all()
    assert [tuple(row) for row in seqs] == [(first.id, 1), (second.id, 1), (first.id, 2)]
    assert events.current_seq(first.id) == 2


def test_votes_signal_a_change_but_do_not_grow_the_stream(app, campaign, delivered):
    idea = f.make_idea(campaign)
    delivered.clear()
    f.make_vote(idea)
    assert delivered == [("votes.changed", {"campaign_id": campaign.id, "idea_id": idea.id})]
    assert events.current_seq(campaign.id) == 1


def test_repeating_a_vote_signals_nothing(app, campaign, delivered):
    idea = f.make_idea(campaign)
    voter = f.make_user()
    votes.cast_vote(voter, idea.id, 1)
    delivered.clear()
    votes.cast_vote(voter, idea.id, 1)
    assert delivered == []


def test_scheduled_phases_are_announced_once(app, clock, admin):
    start = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
    clock.set(start - timedelta(minutes=5))
    campaign = f.make_campaign(admin, starts_at=start, ends_at=start + timedelta(hours=1))
    assert campaigns.announce_scheduled_phases() == 0
    clock.set(start + timedelta(seconds=2))
    assert campaigns.announce_scheduled_phases() == 1
    assert campaigns.announce_scheduled_phases() == 0  # a second process finds it done
    clock.set(start + timedelta(hours=1, seconds=1))
    assert campaigns.announce_scheduled_phases() == 1
    page = campaigns.list_campaign_events(admin, campaign.id, after=0)
    assert [e["payload"]["reason"] for e in page.events] == ["opened", "closed"]


def test_closing_by_hand_is_not_announced_again_by_the_scheduler(app, admin):
    campaign = f.make_campaign(admin)
    campaigns.close_campaign(admin, campaign.id)
    assert campaigns.announce_scheduled_phases() == 0


def test_comments_notify_the_idea_author_and_the_replied_to(app, campaign, delivered):
    idea = f.make_idea(campaign)
    commenter, replier = f.make_user(), f.make_user()
    top = f.make_comment(idea, commenter)
    f.make_comment(idea, replier, parent=top)
    f.make_comment(idea, idea.author)  # one's own comment notifies nobody
    assert [n.kind for n in notifications.list_notifications(idea.author)] == [
        NotificationKind.COMMENT_ON_MY_IDEA, NotificationKind.COMMENT_ON_MY_IDEA]
    assert [n.kind for n in notifications.list_notifications(commenter)] == [
        NotificationKind.REPLY_TO_MY_COMMENT]
    personal = [data["user_id"] for kind, data in delivered if kind == "personal"]
    assert sorted(personal) == sorted([idea.author_id, idea.author_id, commenter.id])
    assert notifications.count_unread(idea.author) == 2
    notifications.mark_notifications_read(idea.author)
    assert notifications.count_unread(idea.author) == 0


def test_catch_up_reports_more_when_a_page_is_full(app, campaign):
    idea = f.make_idea(campaign)
    for _ in range(4):
        f.make_comment(idea)
    page = campaigns.list_campaign_events(f.make_user(), campaign.id, after=1, limit=2)
    assert [e["seq"] for e in page.events] == [2, 3] and page.more and page.seq == 5
