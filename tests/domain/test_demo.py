"""The demo jam (`flask jam seed-demo`): its shape, and that the domain kept every count right.

Seeding replays ~800 domain calls, so it runs once for the module on an app built like
conftest's ``app`` fixture (TestingConfig, in-memory SQLite, create_all, a movable clock).
"""
import re
import zoneinfo
from datetime import timedelta

import pytest
from email_validator import validate_email
from sqlalchemy import func, select

from app import create_app, demo
from app.domain import accounts, campaigns, comments, ideas
from app.domain.clock import utcnow
from app.extensions import db
from app.models import (Campaign, Comment, Idea, IdeaVersion, ParticipantKind, Phase, Role,
                        User, Vote)
from config import TestingConfig
from tests.conftest import Clock

CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def seeded():
    app = create_app(TestingConfig)
    clock = Clock()
    app.config["CLOCK"] = clock
    with app.app_context():
        db.create_all()
        summary = demo.seed_demo()
        yield app, summary, clock
        db.session.remove()
        db.drop_all()


@pytest.fixture
def ctx(seeded):
    app, summary, clock = seeded
    with app.app_context():
        yield summary
        db.session.rollback()


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def person(email):
    return accounts.find_user_by_email(email)


def admin():
    return person(demo.demo_email("admin"))


def campaign_titled(title):
    return db.session.scalar(select(Campaign).where(Campaign.title == title))


def test_seed_restores_the_clock_and_reports_what_it_made(seeded, ctx):
    _, summary, clock = seeded
    assert seeded[0].config["CLOCK"] is clock
    assert summary.ideas == count(Idea) and summary.votes == count(Vote)
    assert summary.people == count(User) and summary.campaigns == count(Campaign) == 4


def test_three_phases_and_a_private_staff_campaign(ctx):
    lists = campaigns.list_campaigns(admin())
    assert [c.title for c in lists.upcoming] == ["Greener networks"]
    assert [c.title for c in lists.closed] == ["Customer care of the future"]
    assert {c.title for c in lists.open} == {"Launch new telecom services faster",
                                             "Internal tools wish list"}
    launch = campaign_titled("Launch new telecom services faster")
    assert launch.question == "How could we launch new telecom services faster?"
    assert launch.audience_kinds == set(ParticipantKind) and not launch.is_private
    now = utcnow()
    assert now - launch.starts_at > timedelta(days=1) and launch.ends_at - now > timedelta(days=1)
    private = campaign_titled("Internal tools wish list")
    assert private.is_private and private.audience_kinds == {ParticipantKind.STAFF}
    customer_view = campaigns.list_campaigns(person(demo.demo_email("customer")))
    assert private not in customer_view.open
    assert "**" in launch.description and "<strong>" in launch.description_html


def test_ideas_in_both_languages_with_tags(ctx):
    all_ideas = db.session.scalars(select(Idea)).all()
    assert len(all_ideas) >= 75
    chinese = [i for i in all_ideas if CJK.search(i.title)]
    assert 0.35 <= len(chinese) / len(all_ideas) <= 0.65
    assert all(1 <= len(i.tags) <= 3 for i in all_ideas)
    assert len({i.title for i in all_ideas}) == len(all_ideas)
    by_campaign = dict(db.session.execute(
        select(Idea.campaign_id, func.count()).group_by(Idea.campaign_id)).all())
    for campaign in db.session.scalars(select(Campaign)):
        assert campaign.idea_count == by_campaign.get(campaign.id, 0)
    assert campaign_titled("Greener networks").idea_count == 0
    open_and_closed = (campaign_titled("Launch new telecom services faster").idea_count
                       + campaign_titled("Customer care of the future").idea_count)
    assert open_and_closed >= 75


def test_every_role_and_kind_with_a_valid_profile(ctx):
    people = db.session.scalars(select(User)).all()
    assert 25 <= len(people) <= 40
    assert {p.role for p in people} == set(Role)
    assert {p.kind for p in people} == set(ParticipantKind)
    assert {p.locale for p in people} == {"en", "zh_Hant"}
    assert {"TW", "HK", "GB", "US", "SG", "JP", "DE", "IN", "AU"} <= {p.country for p in people}
    assert any(CJK.search(p.display_name) for p in people)
    assert any(p.timezone == "Asia/Taipei" and p.locale == "zh_Hant" for p in people)
    zones = zoneinfo.available_timezones()
    for p in people:  # what registration would have checked
        assert validate_email(p.email, check_deliverability=False).normalized.lower() == p.email
        assert p.timezone in zones and p.locale in accounts.SUPPORTED_LOCALES
        assert len(p.country) == 2 and p.country.isalpha() and p.country.isupper()
    assert [p.display_name for p in people if not p.active] == ["許志偉"]


def test_demo_logins_share_one_password(ctx):
    expected = {"admin": (Role.ADMIN, ParticipantKind.STAFF),
                "moderator": (Role.MODERATOR, ParticipantKind.STAFF),
                "executive": (Role.EXECUTIVE, ParticipantKind.STAFF),
                "staff": (Role.PARTICIPANT, ParticipantKind.STAFF),
                "staff.zh": (Role.PARTICIPANT, ParticipantKind.STAFF),
                "partner": (Role.PARTICIPANT, ParticipantKind.PARTNER),
                "customer": (Role.PARTICIPANT, ParticipantKind.CUSTOMER)}
    assert [email for _, email in demo.DEMO_LOGINS] == [demo.demo_email(k) for k in expected]
    assert len(demo.DEMO_PASSWORD) >= accounts.PASSWORD_MIN
    assert accounts.authenticate(demo.demo_email("admin"), demo.DEMO_PASSWORD).role is Role.ADMIN
    hashes = set()
    for local, (role, kind) in expected.items():
        user = person(demo.demo_email(local))
        assert (user.role, user.kind, user.active) == (role, kind, True)
        hashes.add(user.password_hash)
    assert len(hashes) == 1
    assert person(demo.demo_email("staff.zh")).locale == "zh_Hant"


def test_counters_equal_the_rows(ctx):
    up = dict(db.session.execute(select(Vote.idea_id, func.count()).where(Vote.value == 1)
                                 .group_by(Vote.idea_id)).all())
    down = dict(db.session.execute(select(Vote.idea_id, func.count()).where(Vote.value == -1)
                                   .group_by(Vote.idea_id)).all())
    live = dict(db.session.execute(select(Comment.idea_id, func.count())
                                   .where(Comment.deleted_at.is_(None))
                                   .group_by(Comment.idea_id)).all())
    for idea in db.session.scalars(select(Idea)):
        assert idea.up_count == up.get(idea.id, 0), idea.title
        assert idea.down_count == down.get(idea.id, 0), idea.title
        assert idea.score == idea.up_count - idea.down_count
        assert idea.comment_count == live.get(idea.id, 0), idea.title


def test_realistic_votes_never_on_own_idea(ctx):
    own = db.session.scalar(select(func.count()).select_from(Vote)
                            .join(Idea, Idea.id == Vote.idea_id)
                            .where(Vote.user_id == Idea.author_id))
    assert own == 0
    executives = select(User.id).where(User.role == Role.EXECUTIVE)
    assert db.session.scalar(select(func.count()).select_from(Vote)
                             .where(Vote.user_id.in_(executives))) == 0
    totals = sorted(up + down for up, down in db.session.execute(
        select(Idea.up_count, Idea.down_count)).all())
    assert totals[-1] >= 15 and totals[len(totals) // 2] <= 8  # a few ideas draw most votes
    assert db.session.scalar(select(func.count()).select_from(Vote).where(Vote.value == -1)) >= 10


def test_comments_reply_and_speak_both_languages(ctx):
    bodies = db.session.scalars(select(Comment.body).where(Comment.deleted_at.is_(None))).all()
    assert len(bodies) >= 80
    assert any(CJK.search(b) for b in bodies) and any(not CJK.search(b) for b in bodies)
    replies = db.session.scalars(select(Comment).where(Comment.parent_id.is_not(None))).all()
    assert len(replies) >= 20
    parents = {c.id: c for c in db.session.scalars(select(Comment))}
    for reply in replies:  # threads stay one level deep, and answers come after questions
        parent = parents[reply.parent_id]
        assert parent.parent_id is None and parent.idea_id == reply.idea_id
        assert parent.created_at < reply.created_at
    idea = db.session.get(Idea, replies[0].idea_id)
    assert comments.list_comments(admin(), idea.id)


def test_activity_happens_while_each_campaign_is_open(ctx):
    now = utcnow()
    rows = [(c, i.created_at) for i, c in db.session.execute(
        select(Idea, Campaign).join(Campaign, Campaign.id == Idea.campaign_id)).all()]
    rows += [(c, cm.created_at) for cm, c in db.session.execute(
        select(Comment, Campaign).join(Idea, Idea.id == Comment.idea_id)
        .join(Campaign, Campaign.id == Idea.campaign_id)).all()]
    rows += [(c, v.created_at) for v, c in db.session.execute(
        select(Vote, Campaign).join(Idea, Idea.id == Vote.idea_id)
        .join(Campaign, Campaign.id == Idea.campaign_id)).all()]
    for campaign, at in rows:
        assert campaign.starts_at <= at < campaign.ends_at and at <= now
    launch = campaign_titled("Launch new telecom services faster")
    times = db.session.scalars(select(Idea.created_at).where(Idea.campaign_id == launch.id)).all()
    assert max(times) - min(times) > timedelta(days=1)
    closed = campaign_titled("Customer care of the future")
    assert campaigns.campaign_phase(closed) is Phase.CLOSED and closed.idea_count >= 25
    users_before = db.session.scalar(select(func.max(User.created_at)))
    assert users_before < closed.starts_at


def test_a_few_ideas_were_edited(ctx):
    edited = db.session.scalars(select(Idea).where(Idea.version > 1)).all()
    assert len(edited) >= 2
    for idea in edited:
        assert idea.edited_at is not None
        versions = ideas.list_versions(admin(), idea.id)
        assert [v.number for v in versions] == list(range(idea.version, 0, -1))


def test_search_finds_chinese_telecom(ctx):
    launch = campaign_titled("Launch new telecom services faster")
    page = ideas.list_ideas(admin(), launch.id, q="電信")
    assert page.total >= 1
    assert any("中國電信" in i.title + i.body for i in page.items)
    assert ideas.list_ideas(admin(), launch.id, q="esim").total >= 1


def test_seeding_again_adds_nothing(seeded, ctx):
    before = [count(m) for m in (User, Campaign, Idea, IdeaVersion, Comment, Vote)]
    assert demo.seed_demo() is None
    result = seeded[0].test_cli_runner().invoke(args=["jam", "seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Demo data already present" in result.output
    assert demo.demo_email("executive") in result.output and demo.DEMO_PASSWORD in result.output
    assert [count(m) for m in (User, Campaign, Idea, IdeaVersion, Comment, Vote)] == before


def test_nothing_is_seeded_next_to_real_campaigns(app, campaign):
    users = count(User)
    assert demo.seed_demo() is None
    assert count(User) == users and count(Campaign) == 1
    result = app.test_cli_runner().invoke(args=["jam", "seed-demo"])
    assert "Demo data already present" in result.output
    assert "not in this database" in result.output
