"""Campaigns and their time-box. ``campaign_phase`` is the one phase rule of the jam."""
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, true

from app.domain import events, languages, permissions
from app.domain.audit import record_audit
from app.domain.clock import utcnow
from app.domain.errors import AuthenticationRequired, CampaignNotOpen, NotFound, PermissionDenied
from app.domain.text import clean_block, clean_line, render_markdown
from app.domain.validation import ID_MAX, FieldErrors, parse_id
from app.extensions import db
from app.models import Campaign, CampaignAudience, ContentState, ParticipantKind, Phase, VotingMode

TITLE_MAX = 160
TITLE_MIN = 3
QUESTION_MAX = 300
QUESTION_MIN = 5
DESCRIPTION_MAX = 20_000
MAX_DURATION = timedelta(days=366)
# How far back the scheduler looks for start or end times that passed unannounced.
ANNOUNCE_WINDOW = timedelta(hours=1)


def campaign_phase(campaign, now: datetime | None = None) -> Phase:
    """Upcoming before its start, open until its end, closed afterwards."""
    now = now or utcnow()
    if now < campaign.starts_at:
        return Phase.UPCOMING
    if now < campaign.ends_at:
        return Phase.OPEN
    return Phase.CLOSED


def is_open(campaign, now=None) -> bool:
    return campaign_phase(campaign, now) is Phase.OPEN


def ensure_open(campaign):
    """Raise CampaignNotOpen, saying why, unless the campaign takes contributions now."""
    phase = campaign_phase(campaign)
    if phase is Phase.UPCOMING:
        raise CampaignNotOpen(_l("This campaign has not opened yet; contributions start when it opens."))
    if phase is Phase.CLOSED:
        raise CampaignNotOpen(_l("This campaign has closed and is now read-only."))


def ensure_can_take_part(user, campaign):
    """Combine the phase rule and the audience rule for any post, comment or vote."""
    if not permissions.is_authenticated(user):
        raise AuthenticationRequired()
    ensure_open(campaign)
    if not permissions.can_take_part(user, campaign):
        raise PermissionDenied(
            _l("This campaign is open to a different audience, so you can read but not take part."),
            code="not_in_audience",
        )


def initial_content_state(user, campaign):
    """Pre-moderation: posts from the campaign's chosen participant kinds wait for approval
    (moderators' own posts never do)."""
    if permissions.is_moderator(user) or user.kind not in campaign.premoderated_kinds:
        return ContentState.PUBLISHED
    return ContentState.PENDING


def allows_up_down(campaign) -> bool:
    """Whether the campaign takes up/down votes on ideas (its voting mode)."""
    return campaign.voting_mode in (VotingMode.UP_DOWN, VotingMode.BOTH)


def allows_pairwise(campaign) -> bool:
    """Whether the campaign asks participants to compare pairs of ideas (its voting mode)."""
    return campaign.voting_mode in (VotingMode.PAIRWISE, VotingMode.BOTH)


def visible_campaigns_clause(user):
    """A SQL condition selecting the campaigns ``user`` may see (mirrors can_view_campaign)."""
    if permissions.sees_everything(user):
        return true()
    if not permissions.is_authenticated(user):
        return Campaign.is_private.is_(False)
    in_audience = select(CampaignAudience.campaign_id).where(CampaignAudience.kind == user.kind)
    return or_(Campaign.is_private.is_(False), Campaign.id.in_(in_audience))


@dataclass
class CampaignLists:
    open: list
    upcoming: list
    closed: list


def list_campaigns(user) -> CampaignLists:
    """Every campaign the user may see, grouped by phase: open ones first by closing time."""
    now = utcnow()
    campaigns = db.session.scalars(
        select(Campaign).where(visible_campaigns_clause(user)).order_by(Campaign.starts_at)
    ).all()
    lists = CampaignLists([], [], [])
    for campaign in campaigns:
        getattr(lists, campaign_phase(campaign, now).value).append(campaign)
    lists.open.sort(key=lambda c: c.ends_at)
    lists.closed.sort(key=lambda c: c.ends_at, reverse=True)
    return lists


def get_campaign(user, slug_or_id):
    """A campaign the user may see, by slug or id; NotFound otherwise (private ones don't leak)."""
    campaign_id = parse_id(slug_or_id)
    if campaign_id is not None:
        campaign = db.session.get(Campaign, campaign_id)
    elif isinstance(slug_or_id, str) and len(slug_or_id) <= 120:
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug_or_id))
    else:
        campaign = None
    if campaign is None or not permissions.can_view_campaign(user, campaign):
        raise NotFound(_l("We could not find that campaign."))
    return campaign


def slugify(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60] or "campaign"
    # An all-digit slug would read as an id in URLs (/c/2024).
    return f"c-{slug}" if slug.isdigit() else slug


def _unique_slug(title, exclude_id=None):
    base = slugify(title)
    slug, n = base, 2
    while True:
        existing = db.session.scalar(select(Campaign.id).where(Campaign.slug == slug))
        if existing is None or existing == exclude_id:
            return slug
        slug, n = f"{base}-{n}", n + 1


def _as_utc(value, errors, field):
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            errors.add(field, _l("Enter a date and time such as 2026-12-01T09:00Z."))
            return None
    if not isinstance(value, datetime):
        errors.add(field, _l("This field is required."))
        return None
    if value.tzinfo is None:
        errors.add(field, _l("Give the time zone of this time."))
        return None
    return value.astimezone(timezone.utc)


def parse_voting_mode(value, errors):
    """A VotingMode from an enum or its value; anything else is reported on ``voting_mode``."""
    if isinstance(value, VotingMode):
        return value
    try:
        return VotingMode(value)
    except ValueError:
        errors.add("voting_mode", _l("Choose up/down votes, pairs, or both."))
        return None


@dataclass(frozen=True)
class Translation:
    """A campaign's title, question and description in the language other than its own."""

    title: str = ""
    question: str = ""
    description: str = ""


def _translation(errors, value):
    """The cleaned translated texts (all optional; a title or question given is held to the
    same lengths as the main one). Accepts a Translation or a dict (API)."""
    if value is None:
        return Translation()
    if isinstance(value, dict):
        unknown = set(value) - {"title", "question", "description"}
        if unknown:
            errors.add("translation", _l("This field is not recognised."))
        value = Translation(**{k: v for k, v in value.items() if k not in unknown})
    title = errors.text("title_translation", clean_line(value.title), max_length=TITLE_MAX,
                        min_length=TITLE_MIN, required=False)
    question = errors.text("question_translation", clean_line(value.question),
                           max_length=QUESTION_MAX, min_length=QUESTION_MIN, required=False)
    description = errors.text("description_translation", clean_block(value.description),
                              max_length=DESCRIPTION_MAX, required=False)
    return Translation(title or "", question or "", description or "")


def _validated(title, question, description, starts_at, ends_at, audience, voting_mode):
    errors = FieldErrors()
    title = errors.text("title", clean_line(title), max_length=TITLE_MAX, min_length=TITLE_MIN)
    question = errors.text("question", clean_line(question), max_length=QUESTION_MAX,
                           min_length=QUESTION_MIN)
    description = errors.text("description", clean_block(description), max_length=DESCRIPTION_MAX,
                              required=False)
    starts_at = _as_utc(starts_at, errors, "starts_at")
    ends_at = _as_utc(ends_at, errors, "ends_at")
    if starts_at and ends_at:
        if ends_at <= starts_at:
            errors.add("ends_at", _l("The end must come after the start."))
        elif ends_at - starts_at > MAX_DURATION:
            errors.add("ends_at", _l("A campaign can last at most a year."))
    kinds = set()
    for value in audience or ():
        try:
            kinds.add(value if isinstance(value, ParticipantKind) else ParticipantKind(value))
        except ValueError:
            errors.add("audience", _l("Choose staff, partner or customer."))
    if not kinds:
        errors.add("audience", _l("Choose at least one kind of participant."))
    voting_mode = parse_voting_mode(voting_mode, errors)
    return errors, (title, question, description, starts_at, ends_at, kinds, voting_mode)


def _validated_texts(errors, language, translation, title, question):
    """The campaign's language ("en" or "zh"; None detects it from the title and question)
    and its translation; raises every field error found so far."""
    text = f"{title or ''} {question or ''}"
    language = (languages.detect_language(text) if language is None
                else languages.parse_language(errors, "language", language, allow_auto=False))
    translation = _translation(errors, translation)
    errors.raise_if_any()
    return language, translation


def _apply_texts(campaign, language, translation):
    campaign.language = language
    campaign.title_translation = translation.title
    campaign.question_translation = translation.question
    campaign.description_translation = translation.description
    campaign.description_translation_html = render_markdown(translation.description)


def create_campaign(actor, *, title, question, description="", starts_at, ends_at,
                    audience, is_private=False, voting_mode=VotingMode.BOTH, public_leaderboard=True,
                    language=None, translation=None):
    """Set up a new time-boxed campaign (admins only); ``public_leaderboard`` lets participants
    see its dashboard of ideas. ``language`` ("en", "zh"; None detects it) is the language of
    the texts given; ``translation`` (a Translation) gives them in the other language."""
    if not permissions.can_create_campaign(actor):
        raise PermissionDenied()
    errors, values = _validated(title, question, description, starts_at, ends_at, audience, voting_mode)
    title, question, description, starts_at, ends_at, kinds, voting_mode = values
    language, translation = _validated_texts(errors, language, translation, title, question)
    campaign = Campaign(
        slug=_unique_slug(title), title=title, question=question, description=description,
        description_html=render_markdown(description), starts_at=starts_at, ends_at=ends_at,
        is_private=bool(is_private), created_by_id=actor.id, created_at=utcnow(), voting_mode=voting_mode,
        public_leaderboard=bool(public_leaderboard),
        audience=[CampaignAudience(kind=k) for k in sorted(kinds, key=lambda k: k.value)],
    )
    _apply_texts(campaign, language, translation)
    db.session.add(campaign)
    db.session.flush()
    record_audit(actor, "campaign.create", target_type="campaign", target_id=campaign.id,
                 campaign_id=campaign.id, after=_audit_view(campaign))
    db.session.commit()
    return campaign


def _audit_view(campaign):
    return {"title": campaign.title, "question": campaign.question, "language": campaign.language,
            "title_translation": campaign.title_translation,
            "question_translation": campaign.question_translation,
            "starts_at": campaign.starts_at.isoformat(), "ends_at": campaign.ends_at.isoformat(),
            "is_private": campaign.is_private, "voting_mode": campaign.voting_mode.value,
            "public_leaderboard": campaign.public_leaderboard,
            "audience": sorted(row.kind.value for row in campaign.audience)}


def update_campaign(actor, campaign_id, *, title, question, description, starts_at, ends_at,
                    audience, is_private, voting_mode=None, public_leaderboard=None, language=None,
                    translation=None):
    """Change a campaign's texts, time-box, audience, voting mode and whether participants see
    its dashboard (admins only; a ``voting_mode``, ``public_leaderboard``, ``language`` or
    ``translation`` of None keeps it)."""
    campaign = get_campaign(actor, campaign_id)
    if not permissions.can_edit_campaign(actor, campaign):
        raise PermissionDenied()
    errors, values = _validated(title, question, description, starts_at, ends_at, audience,
                                voting_mode if voting_mode is not None else campaign.voting_mode)
    title, question, description, starts_at, ends_at, kinds, voting_mode = values
    if translation is None:
        translation = Translation(campaign.title_translation, campaign.question_translation,
                                  campaign.description_translation)
    language, translation = _validated_texts(errors, language or campaign.language, translation,
                                             title, question)
    before = _audit_view(campaign)
    campaign.voting_mode = voting_mode
    if public_leaderboard is not None:
        campaign.public_leaderboard = bool(public_leaderboard)
    campaign.title, campaign.question, campaign.description = title, question, description
    campaign.description_html = render_markdown(description)
    _apply_texts(campaign, language, translation)
    campaign.starts_at, campaign.ends_at, campaign.is_private = starts_at, ends_at, bool(is_private)
    campaign.audience = [CampaignAudience(kind=k) for k in sorted(kinds, key=lambda k: k.value)]
    db.session.flush()
    record_audit(actor, "campaign.update", target_type="campaign", target_id=campaign.id,
                 campaign_id=campaign.id, before=before, after=_audit_view(campaign))
    # Viewers re-join after this entry, so a campaign made private drops its outsiders.
    events.record_campaign_event(campaign.id, "campaign.updated", {
        "title": title, "question": question, "is_private": campaign.is_private,
        "audience": sorted(k.value for k in kinds), "phase": campaign_phase(campaign).value,
        "voting_mode": campaign.voting_mode.value,
        "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat(),
    })
    db.session.commit()
    return campaign


def phase_dedupe_key(campaign, reason):
    """One key per opening or closing instant, shared by manual and scheduled announcements."""
    boundary = {"opened": campaign.starts_at, "closed": campaign.ends_at}.get(reason)
    return f"phase:{campaign.id}:{reason}:{boundary.isoformat()}" if boundary else None


def _audit_phase(actor, campaign, reason, before):
    record_audit(actor, f"campaign.{reason}", target_type="campaign", target_id=campaign.id,
                 campaign_id=campaign.id, before=before, after=_time_box(campaign))


def _time_box(campaign):
    return {"starts_at": campaign.starts_at.isoformat(), "ends_at": campaign.ends_at.isoformat()}


def record_phase_event(campaign, reason):
    """Tell the campaign's viewers its phase or time-box changed (countdowns and forms follow)."""
    events.record_campaign_event(campaign.id, "campaign.phase", {
        "phase": campaign_phase(campaign).value, "reason": reason,
        "starts_at": campaign.starts_at.isoformat(), "ends_at": campaign.ends_at.isoformat(),
    }, dedupe_key=phase_dedupe_key(campaign, reason))


def announce_scheduled_phases(now=None):
    """Record a phase event for campaigns that opened or closed by the clock since the
    last announcement. Safe to run from every process: a unique key per boundary lets one
    record win and the others change nothing. Returns the number recorded."""
    from sqlalchemy.exc import IntegrityError

    from app.models import CampaignEvent

    now = now or utcnow()
    recorded = 0
    window_start = now - ANNOUNCE_WINDOW
    due = db.session.scalars(select(Campaign).where(
        or_(Campaign.starts_at.between(window_start, now), Campaign.ends_at.between(window_start, now))
    )).all()
    for campaign in due:
        reason = "closed" if campaign.ends_at <= now else "opened"
        key = phase_dedupe_key(campaign, reason)
        if db.session.scalar(select(CampaignEvent.id).where(CampaignEvent.dedupe_key == key)):
            continue
        try:
            record_phase_event(campaign, reason)
            db.session.commit()
            recorded += 1
        except IntegrityError:
            db.session.rollback()  # another process announced it first
    db.session.rollback()  # end the read transaction
    return recorded


def _phase_change(actor, campaign_id):
    campaign = get_campaign(actor, campaign_id)
    if not permissions.can_change_campaign_phase(actor, campaign):
        raise PermissionDenied()
    return campaign


def open_campaign_early(actor, campaign_id):
    """Open an upcoming campaign now."""
    campaign = _phase_change(actor, campaign_id)
    if campaign_phase(campaign) is not Phase.UPCOMING:
        raise CampaignNotOpen(_l("Only an upcoming campaign can be opened early."), code="not_upcoming")
    before = _time_box(campaign)
    campaign.starts_at = utcnow()
    _audit_phase(actor, campaign, "open", before)
    record_phase_event(campaign, "opened")
    db.session.commit()
    return campaign


def extend_campaign(actor, campaign_id, *, ends_at):
    """Move the end of a campaign later; a closed campaign reopens until the new end."""
    campaign = _phase_change(actor, campaign_id)
    errors = FieldErrors()
    ends_at = _as_utc(ends_at, errors, "ends_at")
    if ends_at is not None and (ends_at <= campaign.ends_at or ends_at <= utcnow()):
        errors.add("ends_at", _l("The new end must be later than the current end and in the future."))
    elif ends_at is not None and ends_at - campaign.starts_at > MAX_DURATION:
        errors.add("ends_at", _l("A campaign can last at most a year."))
    errors.raise_if_any()
    before = _time_box(campaign)
    campaign.ends_at = ends_at
    _audit_phase(actor, campaign, "extend", before)
    record_phase_event(campaign, "extended")
    db.session.commit()
    return campaign


def close_campaign(actor, campaign_id):
    """Close an open campaign now; it becomes read-only and shows its results."""
    campaign = _phase_change(actor, campaign_id)
    if campaign_phase(campaign) is not Phase.OPEN:
        raise CampaignNotOpen(_l("Only an open campaign can be closed."), code="not_open")
    before = _time_box(campaign)
    campaign.ends_at = utcnow()
    _audit_phase(actor, campaign, "close", before)
    record_phase_event(campaign, "closed")
    db.session.commit()
    return campaign


CATCH_UP_LIMIT = 500


@dataclass
class StreamPage:
    campaign_id: int
    seq: int
    events: list
    more: bool


def list_campaign_events(user, campaign_id, *, after, limit=CATCH_UP_LIMIT):
    """What a viewer missed of a campaign's live stream: the entries numbered after ``after``.

    Entries the viewer may not see arrive as placeholders with their number, so a client
    can tell "nothing for you" from "missed". ``more`` says another call is needed.
    """
    campaign = get_campaign(user, campaign_id)
    errors = FieldErrors()
    # Past ID_MAX no entry can be numbered, and PostgreSQL would refuse to compare.
    if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after <= ID_MAX:
        errors.add("after", _l("Enter a whole number from 0."))
    errors.raise_if_any()
    entries = events.events_after(campaign.id, after, include_moderated=permissions.is_moderator(user),
                                  limit=limit + 1)
    return StreamPage(campaign_id=campaign.id, seq=events.current_seq(campaign.id),
                      events=entries[:limit], more=len(entries) > limit)


# --- what a person may do right now: the phase rule and the permission rule together ------
# Pages use these to decide which forms and buttons to show; the write paths enforce the
# same two rules through ensure_open / ensure_can_take_part and the permission predicates.

def may_contribute(user, campaign) -> bool:
    """Post, comment and vote now."""
    return is_open(campaign) and permissions.can_take_part(user, campaign)


def takes_votes(idea) -> bool:
    """A merged idea's votes live on in the idea it was merged into; an unpublished one
    is not up for a vote."""
    return idea.merged_into_id is None and idea.content_state is ContentState.PUBLISHED


def may_vote_on(user, idea) -> bool:
    return (is_open(idea.campaign) and allows_up_down(idea.campaign) and takes_votes(idea)
            and permissions.can_vote_on_idea(user, idea))


def may_compare(user, campaign) -> bool:
    """Compare pairs of ideas now."""
    return allows_pairwise(campaign) and may_contribute(user, campaign)


def may_edit_idea(user, idea) -> bool:
    return is_open(idea.campaign) and permissions.can_edit_idea(user, idea)


def may_comment_on(user, idea) -> bool:
    """Comment on (or reply under) this idea now: the person may contribute to its campaign,
    the idea is published and a moderator has not locked its comments."""
    return (may_contribute(user, idea.campaign) and idea.content_state is ContentState.PUBLISHED
            and not idea.comments_locked)


def may_change_comment(user, comment, campaign) -> bool:
    """Edit or delete one's comment now."""
    return is_open(campaign) and permissions.can_edit_comment(user, comment)
