"""Per-campaign pace limits: ideas per hour, comments per minute, flags per day.

Moderators set them per campaign (sensible defaults on the model); accounts younger than
``NEW_ACCOUNT_AGE`` get half the allowance (at least one), because a fresh account is the
cheapest way to flood a jam. Moderators and admins are never limited.
"""
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.domain import permissions
from app.domain.clock import utcnow
from app.domain.errors import RateLimited
from app.extensions import db
from app.models import Comment, Flag, Idea

NEW_ACCOUNT_AGE = timedelta(days=7)
LIMIT_MAX = 1_000


@dataclass(frozen=True)
class Limit:
    field: str  # the Campaign column holding the allowance
    window: timedelta
    message: object  # allowance -> the message a person reads when they reach it

    def count(self, user, campaign, since):
        raise NotImplementedError


class _IdeaLimit(Limit):
    def count(self, user, campaign, since):
        return db.session.scalar(select(func.count()).select_from(Idea).where(
            Idea.author_id == user.id, Idea.campaign_id == campaign.id, Idea.created_at >= since))


class _CommentLimit(Limit):
    def count(self, user, campaign, since):
        return db.session.scalar(select(func.count()).select_from(Comment).join(Idea).where(
            Comment.author_id == user.id, Idea.campaign_id == campaign.id,
            Comment.created_at >= since))


class _FlagLimit(Limit):
    def count(self, user, campaign, since):
        return db.session.scalar(select(func.count()).select_from(Flag).where(
            Flag.reporter_id == user.id, Flag.campaign_id == campaign.id, Flag.created_at >= since))


IDEAS = _IdeaLimit("limit_ideas_per_hour", timedelta(hours=1), lambda n: _l(
    "You can post %(n)d ideas an hour in this campaign. Please try again later.", n=n))
COMMENTS = _CommentLimit("limit_comments_per_minute", timedelta(minutes=1), lambda n: _l(
    "You can post %(n)d comments a minute in this campaign. Please wait a moment.", n=n))
FLAGS = _FlagLimit("limit_flags_per_day", timedelta(days=1), lambda n: _l(
    "You can flag %(n)d posts a day in this campaign. The moderators are on it.", n=n))
ALL = (IDEAS, COMMENTS, FLAGS)


def is_new_account(user, now=None) -> bool:
    created = getattr(user, "created_at", None)
    return created is not None and (now or utcnow()) - created < NEW_ACCOUNT_AGE


def allowance(user, campaign, limit, now=None) -> int:
    """How many of ``limit``'s actions this person may take per window in this campaign."""
    base = getattr(campaign, limit.field)
    return max(1, base // 2) if is_new_account(user, now) else base


def ensure_within_limit(user, campaign, limit):
    """Raise RateLimited if one more action would exceed the person's allowance."""
    if permissions.is_moderator(user):
        return
    now = utcnow()
    allowed = allowance(user, campaign, limit, now)
    if limit.count(user, campaign, now - limit.window) >= allowed:
        raise RateLimited(limit.message(allowed))


def limits_of(campaign) -> dict:
    return {"ideas_per_hour": campaign.limit_ideas_per_hour,
            "comments_per_minute": campaign.limit_comments_per_minute,
            "flags_per_day": campaign.limit_flags_per_day}
