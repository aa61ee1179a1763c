"""`flask jam seed-scale`: a small jam seeded in bulk must read exactly as if people had made it
through the app — every counter, every tally, every rule the domain keeps."""
import math
import re
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app.domain import accounts, activity, ideas, limits, ranking, search
from app.domain.text import render_markdown
from app.extensions import db
from app.jamscale import (COUNTRIES, ROLE_LOGINS, SCALE_PASSWORD, ScaleSeedRefused, ScaleSpec, scale_email,
                          seed_scale)
from app.models import (ActivityPerson, AuditEntry, Campaign, CampaignAudience, Comment, ContentState, Idea,
                        IdeaFollow, IdeaSearchTerm, IdeaStatus, IdeaStatusChange, IdeaVersion, Notification,
                        NotificationKind, Role, User, Vote, idea_tags)

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=timezone.utc)
SIZES = ["--ideas", "300", "--people", "1000", "--votes", "5000", "--comments", "1500"]
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def seeded(app, clock):
    clock.set(NOW)
    result = app.test_cli_runner().invoke(args=["jam", "seed-scale", *SIZES, "--seed", "7"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_spec_scales_people_votes_and_comments_with_ideas():
    spec = ScaleSpec.scaled(10_000)
    assert (spec.ideas, spec.people, spec.votes, spec.comments) == (10_000, 32_609, 217_391, 43_478)
    assert ScaleSpec.scaled(1000, people=500, comments=100).people == 500
    assert ScaleSpec.scaled(1000, comments=100).hot == 25  # at most a quarter of all comments
    assert ScaleSpec().hot == 300


def test_countries_are_104_real_ones_with_real_zones():
    assert len(COUNTRIES) == len({code for code, *_ in COUNTRIES}) == 104
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code, *_ in COUNTRIES)
    zones = accounts.known_timezones()
    assert all(zone in zones for *_, country_zones in COUNTRIES for zone in country_zones)


def test_sizes_people_languages_and_logins(seeded):
    assert count(User) == 1000
    assert (count(Idea), count(Vote), count(Comment), count(Campaign)) == (300, 5000, 1500, 3)
    people = db.session.execute(select(User.kind, User.country, User.locale, User.role, User.timezone)).all()
    kinds = Counter(p.kind.value for p in people)
    assert 0.5 < kinds["staff"] / 1000 < 0.7 and 0.12 < kinds["partner"] / 1000 < 0.28
    assert len({p.country for p in people}) == 104
    assert {p.locale for p in people} <= {"en", "zh_Hant", None} and {"en", "zh_Hant"} <= {p.locale for p in people}
    titles = db.session.scalars(select(Idea.title)).all()
    chinese = sum(1 for t in titles if CJK.search(t))
    assert 0.05 * len(titles) < chinese < 0.6 * len(titles)
    for label, local, role, *_ in ROLE_LOGINS:
        user = accounts.authenticate(scale_email(local), SCALE_PASSWORD)
        assert user.role is role
    assert "executive@scale.ideajam.example" in seeded and SCALE_PASSWORD in seeded


def test_one_idea_has_exactly_300_comments_and_is_the_most_discussed(seeded):
    per_idea = dict(db.session.execute(select(Comment.idea_id, func.count()).group_by(Comment.idea_id)).all())
    hot = [idea_id for idea_id, n in per_idea.items() if n == 300]
    assert len(hot) == 1
    assert max(n for idea_id, n in per_idea.items() if idea_id != hot[0]) < 300
    assert db.session.get(Idea, hot[0]).comment_count == 300
    assert f"idea #{hot[0]} (300 comments)" in seeded


def test_counters_equal_the_rows(seeded, app):
    votes = defaultdict(lambda: [0, 0])
    for idea_id, value in db.session.execute(select(Vote.idea_id, Vote.value)):
        votes[idea_id][value < 0] += 1
    visible = Counter(db.session.scalars(select(Comment.idea_id).where(
        Comment.content_state == ContentState.PUBLISHED, Comment.deleted_at.is_(None))))
    events = defaultdict(list)
    for row in db.session.execute(select(Idea.id, Idea.created_at)):
        events[row.id].append((row.created_at, ideas.WEIGHT_NEW_IDEA))
    for row in db.session.execute(select(Vote.idea_id, Vote.created_at).where(Vote.value == 1)):
        events[row.idea_id].append((row.created_at, ideas.WEIGHT_UP_VOTE))
    for row in db.session.execute(select(Comment.idea_id, Comment.created_at)):
        events[row.idea_id].append((row.created_at, ideas.WEIGHT_COMMENT))
    for idea in db.session.scalars(select(Idea)):
        up, down = votes[idea.id]
        assert (idea.up_count, idea.down_count, idea.score) == (up, down, up - down), idea.id
        assert idea.comment_count == visible[idea.id], idea.id
        trending = None
        for at, weight in sorted(events[idea.id]):
            step = ideas.trending_increment(weight, at)
            trending = step if trending is None else max(trending, step) + math.log1p(
                math.exp(-abs(trending - step)))
        assert idea.trending == pytest.approx(trending, abs=1e-9), idea.id
    for campaign in db.session.scalars(select(Campaign)):
        published = db.session.scalar(select(func.count()).select_from(Idea).where(
            Idea.campaign_id == campaign.id, Idea.content_state == ContentState.PUBLISHED))
        assert campaign.idea_count == published
        counts = db.session.execute(select(Idea.up_count, Idea.down_count, Idea.best_score)
                                    .where(Idea.campaign_id == campaign.id)).all()
        for up, down, best in counts:
            assert best == pytest.approx(float(ranking.best_score(up, down)), rel=1e-12, abs=1e-12)


def test_votes_are_unique_never_on_ones_own_idea_and_after_the_idea(seeded):
    assert count(Vote) == db.session.scalar(select(func.count()).select_from(
        select(Vote.user_id, Vote.idea_id).distinct().subquery()))
    own = select(func.count()).select_from(Vote).join(Idea, Idea.id == Vote.idea_id)
    assert db.session.scalar(own.where(Vote.user_id == Idea.author_id)) == 0
    assert db.session.scalar(own.where(Vote.created_at <= Idea.created_at)) == 0
    up = db.session.scalar(select(func.count()).select_from(Vote).where(Vote.value == 1))
    assert 0.75 < up / 5000 < 0.93
    per_idea = sorted(db.session.scalars(select(func.count()).select_from(Vote).group_by(Vote.idea_id)),
                      reverse=True)
    assert sum(per_idea[:30]) > 0.3 * 5000  # a tenth of the ideas gets a good share of the votes


def test_everyone_acts_within_their_campaign_audience_window_and_pace(seeded):
    audience = defaultdict(set)
    for row in db.session.execute(select(CampaignAudience.campaign_id, CampaignAudience.kind)):
        audience[row.campaign_id].add(row.kind)
    campaigns = {c.id: c for c in db.session.scalars(select(Campaign))}
    people = {u.id: u for u in db.session.scalars(select(User))}
    idea_rows = {i.id: i for i in db.session.scalars(select(Idea))}
    acts = [(i.author_id, i.campaign_id, i.created_at) for i in idea_rows.values()]
    acts += [(v.user_id, idea_rows[v.idea_id].campaign_id, v.created_at) for v in db.session.scalars(select(Vote))]
    comments = db.session.scalars(select(Comment)).all()
    acts += [(c.author_id, idea_rows[c.idea_id].campaign_id, c.created_at) for c in comments]
    for user_id, campaign_id, at in acts:
        person, campaign = people[user_id], campaigns[campaign_id]
        assert person.role is Role.PARTICIPANT and person.kind in audience[campaign_id]
        assert campaign.starts_at <= at < min(campaign.ends_at, NOW)
        assert person.created_at < at
    # The halved pace limits of new accounts, kept by everyone.
    for rows, limit in (([(i.author_id, i.created_at) for i in idea_rows.values()], limits.IDEAS),
                        ([(c.author_id, c.created_at) for c in comments], limits.COMMENTS)):
        allowed = getattr(Campaign, limit.field).default.arg // 2
        by_person = defaultdict(list)
        for user_id, at in rows:
            by_person[user_id].append(at)
        for times in by_person.values():
            times.sort()
            for k in range(allowed, len(times)):
                assert times[k] - times[k - allowed] > limit.window


def test_threads_are_one_level_deep_and_in_time_order(seeded):
    comments = {c.id: c for c in db.session.scalars(select(Comment))}
    idea_created = dict(db.session.execute(select(Idea.id, Idea.created_at)).tuples().all())
    replies = [c for c in comments.values() if c.parent_id is not None]
    assert 0.1 * len(comments) < len(replies) < 0.5 * len(comments)
    ends = dict(db.session.execute(select(Idea.id, Campaign.ends_at).join(Campaign)).tuples().all())
    for comment in comments.values():
        assert comment.created_at > idea_created[comment.idea_id]
        if comment.deleted_at is not None:  # by its author, while the campaign was open
            assert (comment.body, comment.body_html) == ("", "")
            assert comment.created_at < comment.deleted_at < min(NOW, ends[comment.idea_id])
        else:
            assert comment.body_html == render_markdown(comment.body)
    for reply in replies:
        parent = comments[reply.parent_id]
        assert parent.parent_id is None and parent.idea_id == reply.idea_id
        assert parent.created_at < reply.created_at
    # Everyone told: the idea's author of each comment, the parent's author of each reply.
    told = {(n.user_id, n.comment_id): n.kind for n in db.session.scalars(
        select(Notification).where(Notification.comment_id.is_not(None),
                                   Notification.kind != NotificationKind.CONTENT_HIDDEN))}
    authors = dict(db.session.execute(select(Idea.id, Idea.author_id)).tuples().all())
    for comment in comments.values():
        parent_author = comments[comment.parent_id].author_id if comment.parent_id else None
        if parent_author not in (None, comment.author_id):
            assert told[(parent_author, comment.id)] is NotificationKind.REPLY_TO_MY_COMMENT
        if authors[comment.idea_id] not in (comment.author_id, parent_author):
            assert told[(authors[comment.idea_id], comment.id)] is NotificationKind.COMMENT_ON_MY_IDEA


def test_ideas_have_version_history_tags_search_terms_and_followers(seeded):
    terms = defaultdict(set)
    for row in db.session.execute(select(IdeaSearchTerm.idea_id, IdeaSearchTerm.term)):
        terms[row.idea_id].add(row.term)
    history = defaultdict(list)
    for step in db.session.scalars(select(IdeaStatusChange).order_by(IdeaStatusChange.id)):
        history[step.idea_id].append(step)
    versions = {v.idea_id: v for v in db.session.scalars(select(IdeaVersion))}
    follows = {(f.user_id, f.idea_id) for f in db.session.scalars(select(IdeaFollow))}
    tag_counts = Counter(db.session.scalars(select(idea_tags.c.idea_id)))
    moved = 0
    for idea in db.session.scalars(select(Idea)):
        assert idea.body_html == render_markdown(idea.body)
        assert len(idea.tags) <= 3 and tag_counts[idea.id] == len(idea.tags)
        assert terms[idea.id] == search.index_terms(" ".join([idea.title, idea.body, *[t.name for t in idea.tags]]))
        version = versions[idea.id]
        assert (version.number, version.title, version.body, version.editor_id) == (1, idea.title, idea.body,
                                                                                    idea.author_id)
        assert sorted(version.tags.split(",") if version.tags else []) == sorted(t.name for t in idea.tags)
        steps = history[idea.id]
        assert (steps[0].from_status, steps[0].to_status, steps[0].created_at) == (None, IdeaStatus.SUBMITTED,
                                                                                   idea.created_at)
        assert all(a.to_status == b.from_status and a.created_at < b.created_at for a, b in zip(steps, steps[1:]))
        assert steps[-1].to_status is idea.status
        moved += len(steps) > 1
        assert (idea.author_id, idea.id) in follows
    assert 0 < moved < 0.15 * 300
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "idea.status")) \
        == count(IdeaStatusChange) - 300
    commented = set(db.session.execute(select(Comment.author_id, Comment.idea_id)).tuples().all())
    assert commented <= follows


def test_dashboard_tallies_equal_their_recomputation(seeded, app):
    assert count(ActivityPerson) > 0
    computed, stored = activity.recompute_activity(), activity.stored_activity()
    for table in computed:
        assert stored[table] == computed[table], table
    result = app.test_cli_runner().invoke(args=["jam", "rebuild-activity"])
    assert result.exit_code == 0 and "rebuilt" in result.output
    assert activity.stored_activity() == stored


def test_refuses_a_database_with_ideas(seeded, app):
    result = app.test_cli_runner().invoke(args=["jam", "seed-scale", "--ideas", "10"])
    assert result.exit_code == 1
    assert "already has ideas" in result.output
    with pytest.raises(ScaleSeedRefused):
        seed_scale(ScaleSpec.scaled(10))
    assert count(Idea) == 300


def test_same_seed_same_jam(app, clock):
    clock.set(NOW - timedelta(hours=5))
    seed_scale(ScaleSpec.scaled(40, people=200, votes=400, comments=120, hot_comments=30, seed=3))
    first = db.session.execute(select(Idea.title, Idea.author_id, Idea.created_at, Idea.score)
                               .order_by(Idea.id)).all()
    assert max(db.session.scalars(select(func.count()).select_from(Comment).group_by(Comment.idea_id))) == 30
    db.session.remove()
    db.drop_all()
    db.create_all()
    seed_scale(ScaleSpec.scaled(40, people=200, votes=400, comments=120, hot_comments=30, seed=3))
    assert db.session.execute(select(Idea.title, Idea.author_id, Idea.created_at, Idea.score)
                              .order_by(Idea.id)).all() == first


def _write_after_the_seed():
    """A new person, idea, vote and comment through the domain, as after any seed."""
    from app.domain import comments, votes
    from tests import factories as f

    person = f.make_user(display_name="Joined after the seed")
    campaign = db.session.scalars(select(Campaign).order_by(Campaign.id)).first()
    campaign.limit_ideas_per_hour = campaign.limit_comments_per_minute = limits.LIMIT_MAX
    db.session.commit()
    idea = ideas.submit_idea(person, campaign.id, title="A new idea after the seed", body="It still works.",
                             accept_code_of_conduct=True)
    voter = db.session.scalars(select(User).where(User.role == Role.PARTICIPANT, User.kind == person.kind)
                               .order_by(User.id)).first()
    votes.cast_vote(voter, idea.id, 1)
    comments.add_comment(voter, idea.id, body="Agreed.", accept_code_of_conduct=True)
    return idea


def test_the_app_goes_on_writing_after_the_seed(seeded, app):
    idea = _write_after_the_seed()
    assert (idea.up_count, idea.comment_count) == (1, 1)


@pytest.mark.postgres
def test_the_app_goes_on_writing_after_the_seed_on_postgresql(clock):
    """Rows are written with their ids; PostgreSQL's id sequences must be moved past them."""
    from app import create_app
    from config import TestingConfig
    from tests.services import postgres_database

    with postgres_database() as url:
        app = create_app(type("OnPostgres", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
        app.config["CLOCK"] = clock
        clock.set(NOW)
        with app.app_context():
            assert db.engine.dialect.name == "postgresql"
            db.create_all()
            result = app.test_cli_runner().invoke(args=["jam", "seed-scale", *SIZES, "--seed", "7"])
            assert result.exit_code == 0, result.output
            idea = _write_after_the_seed()
            assert (idea.up_count, idea.comment_count) == (1, 1)
            db.session.remove()
            db.engine.dispose()
