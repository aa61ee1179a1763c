"""Build test data through the domain layer, so fixtures obey the same rules as people."""
import itertools
from datetime import timedelta

from app.domain import campaigns, comments, comparisons, ideas, limits, votes
from app.domain.accounts import hash_password
from app.domain.clock import utcnow
from app.extensions import db
from app.models import ParticipantKind, Role, User

_seq = itertools.count(1)
PASSWORD = "correct horse battery"
# Hashing is deliberately slow; tests share one hash of PASSWORD.
_PASSWORD_HASH = None


def make_user(role=Role.PARTICIPANT, kind=ParticipantKind.STAFF, **fields):
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = hash_password(PASSWORD)
    n = next(_seq)
    user = User(
        email=fields.pop("email", f"person{n}@example.com"),
        display_name=fields.pop("display_name", f"Person {n}"),
        password_hash=_PASSWORD_HASH,
        role=role,
        kind=kind,
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    return user


def make_admin(**fields):
    return make_user(role=Role.ADMIN, **fields)


def make_campaign(admin=None, *, phase="open", audience=("staff", "partner", "customer"),
                  is_private=False, title=None, **fields):
    """A campaign that is upcoming, open or closed relative to the app's clock."""
    admin = admin or make_admin()
    now = utcnow()
    starts, ends = {
        "upcoming": (now + timedelta(days=1), now + timedelta(days=3)),
        "open": (now - timedelta(hours=1), now + timedelta(days=2)),
        "closed": (now - timedelta(days=3), now - timedelta(days=1)),
    }[phase]
    campaign = campaigns.create_campaign(
        admin,
        title=title or f"Campaign {next(_seq)}",
        question=fields.pop("question", "How could we launch new services faster?"),
        description=fields.pop("description", "Share your **best** ideas."),
        starts_at=fields.pop("starts_at", starts),
        ends_at=fields.pop("ends_at", ends),
        audience=audience,
        is_private=is_private,
        voting_mode=fields.pop("voting_mode", "both"),
    )
    # Test data is set up faster than people post: pace limits stay out of the way unless a
    # test sets them (through rules.update_campaign_rules) to test them.
    campaign.limit_ideas_per_hour = campaign.limit_comments_per_minute = limits.LIMIT_MAX
    campaign.limit_flags_per_day = limits.LIMIT_MAX
    db.session.commit()
    return campaign


def make_idea(campaign, author=None, *, title=None, body="An idea worth trying.", tags=None):
    author = author or make_user()
    return ideas.submit_idea(author, campaign.id, title=title or f"Idea number {next(_seq)}",
                             body=body, tags=tags or [])


def make_comment(idea, author=None, *, body="Good point.", parent=None):
    author = author or make_user()
    return comments.add_comment(author, idea.id, body=body,
                                parent_id=parent.id if parent else None)


def make_vote(idea, voter=None, value=1):
    voter = voter or make_user()
    return votes.cast_vote(voter, idea.id, value)


def answer_pair(user, campaign, choice="left", rng=None):
    """Serve ``user`` a pair in ``campaign`` and answer it; returns the answered comparison."""
    pair = comparisons.serve_pair(user, campaign.id, rng=rng)
    return comparisons.answer_comparison(user, pair.id, choice)
