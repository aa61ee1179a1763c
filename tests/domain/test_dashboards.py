"""Dashboards: the figures they show, and who may see which part."""
from datetime import datetime, timedelta, timezone

import pytest

from app.domain import dashboards, ideas, moderation, votes
from app.domain.errors import NotFound, PermissionDenied, ValidationError
from app.domain.ideas import IdeaSort
from app.extensions import db
from app.models import IdeaStatus, ParticipantKind, Role
from tests import factories as f

START = datetime(2026, 3, 2, 8, 30, tzinfo=timezone.utc)


@pytest.fixture
def jam(app, clock):
    """A small jam with known numbers: three ideas, votes spread over two hours."""
    clock.set(START)
    campaign = f.make_campaign()
    staff = f.make_user(kind=ParticipantKind.STAFF, department="Network", country="TW")
    partner = f.make_user(kind=ParticipantKind.PARTNER, department="Retail", country="GB")
    customer = f.make_user(kind=ParticipantKind.CUSTOMER)
    first = f.make_idea(campaign, staff, title="Self-service SIM swap", tags=["retail", "sim"])
    second = f.make_idea(campaign, partner, title="Partner API sandbox", tags=["api"])
    third = f.make_idea(campaign, customer, title="Chat with a real engineer", tags=["retail"])
    votes.cast_vote(partner, first.id, 1)
    votes.cast_vote(customer, first.id, 1)
    clock.advance(timedelta(hours=2))
    votes.cast_vote(staff, second.id, 1)
    votes.cast_vote(customer, second.id, -1)
    f.make_comment(third, partner, body="Yes please")
    return campaign, staff, partner, customer, (first, second, third)


def executive():
    return f.make_user(role=Role.EXECUTIVE)


def test_totals_leaderboard_and_rising(jam, clock):
    campaign, staff, partner, customer, (first, second, third) = jam
    board = dashboards.get_dashboard(executive(), campaign.id, sort="top")
    assert (board.totals.ideas, board.totals.comments, board.totals.votes, board.totals.people) == (3, 1, 4, 3)
    assert [i.id for i in board.leaderboard] == [first.id, third.id, second.id]
    # The last hour brought second its two votes and third its comment; first's votes are older.
    rising = {row.idea.id: (row.votes_last_hour, row.comments_last_hour) for row in board.rising}
    assert rising[second.id] == (2, 0)
    assert rising[third.id] == (0, 1)
    assert rising[first.id] == (0, 0)
    assert board.totals.active_this_hour == 3  # staff and customer voted, partner commented


def test_participation_over_time_per_hour_and_day(jam):
    campaign = jam[0]
    board = dashboards.get_dashboard(executive(), campaign.id)
    assert len(board.hours) == dashboards.HOURS_SHOWN
    by_hour = {p.starts_at: p for p in board.hours if p.ideas or p.votes or p.comments}
    opening = by_hour[START.replace(minute=0)]
    later = by_hour[START.replace(minute=0) + timedelta(hours=2)]
    assert (opening.ideas, opening.votes, opening.active_people, opening.new_people) == (3, 2, 3, 3)
    assert (later.votes, later.comments, later.active_people, later.new_people) == (2, 1, 3, 0)
    day = [p for p in board.days if p.votes][0]
    assert (day.ideas, day.comments, day.votes, day.new_people) == (3, 1, 4, 3)


def test_funnel_counts_and_time_in_status(jam, clock):
    campaign, *_, (first, second, third) = jam
    moderator = f.make_user(role=Role.MODERATOR)
    moderation.change_idea_status(moderator, first.id, status="shortlisted")
    clock.advance(timedelta(days=2))
    board = dashboards.get_dashboard(executive(), campaign.id)
    steps = {step.status: step for step in board.funnel}
    assert steps[IdeaStatus.SUBMITTED].now_in == 2
    assert steps[IdeaStatus.SHORTLISTED].now_in == 1
    assert steps[IdeaStatus.SUBMITTED].reached == 3  # everything starts submitted
    assert steps[IdeaStatus.SHORTLISTED].reached == 1
    assert steps[IdeaStatus.DECLINED].reached is None
    # first waited 2 h as submitted; second and third have been submitted for 2 h + 2 days.
    expected = (2 + 2 * (2 + 48)) / 3 / 24
    assert steps[IdeaStatus.SUBMITTED].average_days == pytest.approx(expected, rel=1e-3)
    assert steps[IdeaStatus.SHORTLISTED].average_days == pytest.approx(2.0, rel=1e-3)


def test_people_breakdowns_contributors_and_tags(jam):
    campaign, staff, partner, customer, (first, second, third) = jam
    board = dashboards.get_dashboard(executive(), campaign.id)
    kinds = {row.value: (row.people, row.ideas, row.comments, row.votes) for row in board.segments["kind"]}
    assert kinds == {"staff": (1, 1, 0, 1), "partner": (1, 1, 1, 1), "customer": (1, 1, 0, 2)}
    countries = {row.value: row.people for row in board.segments["country"]}
    assert countries == {"TW": 1, "GB": 1, "": 1}
    # staff: 1 idea (5) + 2 up votes received (2) = 7; partner: 5 + 2 (comment) + 1 = 8; customer: 5.
    assert [(row.user.id, row.points) for row in board.contributors] == [
        (partner.id, 8), (staff.id, 7), (customer.id, 5)]
    assert [(tag.name, tag.ideas) for tag in board.tags][:1] == [("retail", 2)]


def test_small_segments_are_gathered_into_one_row(app, clock):
    clock.set(START)
    campaign = f.make_campaign()
    for n in range(dashboards.SEGMENT_ROWS + 3):
        f.make_idea(campaign, f.make_user(department=f"Department {n:02d}"))
    rows = dashboards.get_dashboard(executive(), campaign.id).segments["department"]
    assert len(rows) == dashboards.SEGMENT_ROWS + 1
    assert rows[-1].is_rest and rows[-1].people == 3 and rows[-1].ideas == 3


def test_participants_see_the_ideas_never_the_people(jam):
    campaign, staff, *_ = jam
    board = dashboards.get_dashboard(staff, campaign.id)
    assert not board.shows_people
    assert board.contributors == [] and board.segments == {} and board.hours == []
    assert board.totals.people == 0 and board.totals.active_this_hour == 0
    assert all(day.new_people == 0 for day in board.days)
    assert len(board.leaderboard) == 3


def test_anonymous_visitors_see_a_public_campaigns_ideas(jam):
    from flask_login import AnonymousUserMixin

    board = dashboards.get_dashboard(AnonymousUserMixin(), jam[0].id)
    assert not board.shows_people and len(board.leaderboard) == 3


def test_a_campaign_can_keep_its_dashboard_to_the_organisers(jam):
    campaign, staff, *_ = jam
    campaign.public_leaderboard = False
    db.session.commit()
    with pytest.raises(NotFound):
        dashboards.get_dashboard(staff, campaign.id)
    assert dashboards.get_dashboard(executive(), campaign.id).shows_people


def test_executives_see_private_campaigns_and_every_campaign_at_once(app, clock):
    clock.set(START)
    private = f.make_campaign(is_private=True, audience=("partner",))
    open_one = f.make_campaign()
    f.make_idea(private, f.make_user(kind=ParticipantKind.PARTNER), title="Secret partner idea")
    f.make_idea(open_one, title="Public idea")
    board = dashboards.get_dashboard(executive(), sort="newest")
    assert {row.campaign.id for row in board.campaigns} == {private.id, open_one.id}
    assert board.totals.ideas == 2
    assert [i.title for i in board.leaderboard] == ["Public idea", "Secret partner idea"]
    assert dashboards.get_dashboard(executive(), private.id).totals.ideas == 1
    with pytest.raises(NotFound):
        dashboards.get_dashboard(f.make_user(kind=ParticipantKind.STAFF), private.id)


@pytest.mark.parametrize("role", [Role.PARTICIPANT])
def test_only_organisers_see_every_campaign_at_once(app, role):
    with pytest.raises(PermissionDenied):
        dashboards.get_dashboard(f.make_user(role=role))


def test_sorts_follow_the_campaign_and_strictness(jam):
    campaign = jam[0]
    assert dashboards.get_dashboard(executive(), campaign.id, sort="nonsense").sort is IdeaSort.BEST
    with pytest.raises(ValidationError) as caught:
        dashboards.get_dashboard(executive(), campaign.id, sort="nonsense", strict=True)
    assert "sort" in caught.value.fields
    with pytest.raises(ValidationError):
        dashboards.get_dashboard(executive(), sort="ranked", strict=True)  # not comparable across campaigns
    assert dashboards.get_dashboard(executive()).sort is IdeaSort.BEST  # an idea's own votes only
    assert dashboards.get_dashboard(executive(), sort="trending").sort is IdeaSort.TRENDING


@pytest.mark.parametrize("mode, top", [("both", IdeaSort.BEST), ("up_down", IdeaSort.BEST),
                                       ("pairwise", IdeaSort.RANKED)])
def test_one_top_list_per_campaign_on_every_page(app, mode, top):
    """The campaign page, its closed results, the dashboard, the wall and the one-page
    summary all show the campaign's top list, in the same order, by the same sort."""
    campaign = f.make_campaign(voting_mode=mode)
    made = [f.make_idea(campaign, title=f"Idea {k}") for k in range(6)]
    for k, idea in enumerate(made):
        idea.up_count, idea.down_count = [(4, 0), (16, 1), (18, 2), (2, 0), (0, 0), (1, 3)][k]
        idea.score = idea.up_count - idea.down_count
        idea.pairwise_chance = [0.4, 0.7, 0.2, 0.9, 0.5, 0.1][k]
    db.session.flush()
    ideas.rescore_best(campaign.id)
    db.session.commit()
    assert ideas.top_sort(campaign) is top is dashboards.wall_sort(campaign)
    viewer = executive()
    page = ideas.list_ideas(viewer, campaign.id)
    dashboard = dashboards.get_dashboard(viewer, campaign.id)  # the dashboard and the summary
    wall = dashboards.get_dashboard(viewer, campaign.id, sort=dashboards.wall_sort(campaign))
    assert page.sort is dashboard.sort is wall.sort is top
    order = [idea.id for idea in page.items]
    assert [idea.id for idea in dashboard.leaderboard] == order == [idea.id for idea in wall.leaderboard]
    if top is IdeaSort.BEST:  # ▲16 ▼1 and ▲18 ▼2 lead, ▲4 ▼0 follows, ▲1 ▼3 is last
        assert order[:3] == [made[1].id, made[2].id, made[0].id] and order[-1] == made[5].id


def test_a_hidden_idea_leaves_the_leaderboard_and_the_totals(jam):
    campaign, *_, (first, second, third) = jam
    moderation.hide_idea(f.make_user(role=Role.MODERATOR), first.id, reason="Spam")
    board = dashboards.get_dashboard(executive(), campaign.id)
    assert first.id not in [i.id for i in board.leaderboard]
    assert first.id not in [r.idea.id for r in board.rising]
    assert board.totals.ideas == 2
    assert ideas.top_ideas(campaign.id, IdeaSort.TOP, 10)[0].id != first.id


def test_days_are_cut_in_the_readers_zone(jam):
    """08:30 and 10:30 UTC fall on one UTC day, but either side of midnight in Honolulu."""
    campaign = jam[0]
    utc = dashboards.get_dashboard(executive(), campaign.id)
    honolulu = dashboards.get_dashboard(executive(), campaign.id, zone="Pacific/Honolulu")
    assert [(p.ideas, p.votes, p.comments) for p in utc.days if p.votes] == [(3, 4, 1)]
    busy = [p for p in honolulu.days if p.votes]
    assert [(p.ideas, p.votes, p.comments, p.new_people) for p in busy] == [(3, 2, 0, 3), (0, 2, 1, 0)]
    # Each day starts at the zone's midnight (10:00 UTC), and "today" is the reader's today.
    assert busy[1].starts_at == datetime(2026, 3, 2, 10, tzinfo=timezone.utc)
    assert utc.totals.new_voices_today == 3 and honolulu.totals.new_voices_today == 0
    assert dashboards.get_dashboard(executive(), campaign.id, zone="Mars/Olympus").days == utc.days
