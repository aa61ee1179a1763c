"""Shortlisting and review: scorecards, reviewers, the board, and the final decision.

A campaign defines its review criteria (impact, feasibility, cost...; each scored 1–5, with
a weight). Moderators assign reviewers to shortlisted ideas; each reviewer scores privately
(nobody else sees their scorecard, only the summary). The board shows every idea of the
campaign in a column per status with its votes and its review summary — the weighted mean
of the reviewers' weighted scores, their spread and how many reviewed — and moderators move
ideas between columns one at a time or in bulk. A final decision (selected or declined)
records an owner and a note that participants read on the idea.
"""
import math
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select

from app.domain import audit, campaigns, ideas, moderation, permissions
from app.domain.clock import utcnow
from app.domain.errors import Conflict, NotFound, PermissionDenied
from app.domain.text import clean_block, clean_line
from app.domain.validation import FieldErrors, parse_id
from app.extensions import db
from app.models import (Decision, Idea, IdeaStatus, ParticipantKind, Review, ReviewAssignment,
                        ReviewCriterion, ReviewScore, Role, Tag, User)

CRITERIA_MAX = 10
NAME_MAX = 80
WEIGHT_MAX = 10
NOTE_MAX = 2_000
SCORE_RANGE = range(1, 6)
REVIEWERS_MAX = 20
DECISION_OUTCOMES = (IdeaStatus.SELECTED, IdeaStatus.DECLINED)
BOARD_COLUMNS = (IdeaStatus.SUBMITTED, IdeaStatus.UNDER_REVIEW, IdeaStatus.SHORTLISTED,
                 IdeaStatus.SELECTED, IdeaStatus.IN_PROGRESS, IdeaStatus.IMPLEMENTED,
                 IdeaStatus.DECLINED)


def _require_moderator(actor):
    if not permissions.can_moderate(actor):
        raise PermissionDenied()


# --- criteria ----------------------------------------------------------------------------

def list_criteria(campaign_id):
    return db.session.scalars(select(ReviewCriterion).where(ReviewCriterion.campaign_id == campaign_id)
                              .order_by(ReviewCriterion.position, ReviewCriterion.id)).all()


def _reviews_started(campaign_id) -> bool:
    return db.session.scalar(select(func.count()).select_from(Review).join(Idea)
                             .where(Idea.campaign_id == campaign_id)) > 0


def set_review_criteria(actor, campaign_id, criteria):
    """Replace a campaign's scorecard: ``criteria`` is a list of ``{"name", "weight"}``, each
    with an optional ``"name_translation"`` (the name in the campaign's other language).

    Until the first review arrives; after that the scorecard is fixed, so every review of
    a campaign is scored on the same lines.
    """
    _require_moderator(actor)
    campaign = campaigns.get_campaign(actor, campaign_id)
    errors = FieldErrors()
    rows, names = [], set()
    if not isinstance(criteria, (list, tuple)) or not criteria:
        errors.add("criteria", _l("Add at least one criterion."))
        criteria = []
    elif len(criteria) > CRITERIA_MAX:
        errors.add("criteria", _l("Use at most %(n)d criteria.", n=CRITERIA_MAX))
    for position, item in enumerate(criteria if isinstance(criteria, (list, tuple)) else []):
        name = clean_line(item.get("name") if isinstance(item, dict) else None)
        weight = item.get("weight") if isinstance(item, dict) else None
        translation = item.get("name_translation") if isinstance(item, dict) else None
        if translation is not None and not isinstance(translation, str):
            errors.add("criteria", _l("Give this field as text."))
        translation = clean_line(translation) if isinstance(translation, str) else ""
        if len(translation) > NAME_MAX:
            errors.add("criteria", _l("Give each criterion a name of at most %(n)d characters.", n=NAME_MAX))
        if not name or len(name) > NAME_MAX:
            errors.add("criteria", _l("Give each criterion a name of at most %(n)d characters.", n=NAME_MAX))
        elif name.lower() in names:
            errors.add("criteria", _l("Each criterion needs its own name."))
        names.add(name.lower())
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= WEIGHT_MAX:
            errors.add("criteria", _l("Give each criterion a weight above 0 and at most %(n)d.", n=WEIGHT_MAX))
        rows.append((position, name, translation, weight))
    errors.raise_if_any()
    if _reviews_started(campaign.id):
        raise Conflict(_l("Reviews have started: the scorecard can no longer change."),
                       code="reviews_started")
    before = [{"name": c.name, "weight": c.weight} for c in list_criteria(campaign.id)]
    db.session.execute(delete(ReviewCriterion).where(ReviewCriterion.campaign_id == campaign.id))
    for position, name, translation, weight in rows:
        db.session.add(ReviewCriterion(campaign_id=campaign.id, name=name, name_translation=translation,
                                       weight=float(weight), position=position))
    audit.record_audit(actor, "review.criteria", target_type="campaign", target_id=campaign.id,
                       campaign_id=campaign.id, before={"criteria": before},
                       after={"criteria": [{"name": n, "weight": float(w)} for _, n, _t, w in rows]})
    db.session.commit()
    return list_criteria(campaign.id)


# --- reviewers and reviews ------------------------------------------------------------------

def assign_reviewers(actor, idea_id, reviewer_ids):
    """Ask people to review a shortlisted idea (never its author); returns the assignments."""
    _require_moderator(actor)
    idea = ideas.get_idea(actor, idea_id)
    if idea.status is not IdeaStatus.SHORTLISTED:
        raise Conflict(_l("Only shortlisted ideas are reviewed."), code="not_shortlisted")
    errors = FieldErrors()
    wanted = []
    for raw in reviewer_ids or []:
        person = db.session.get(User, parse_id(raw)) if parse_id(raw) else None
        if person is None or not person.active:
            errors.add("reviewer_ids", _l("Choose people with an active account."))
        elif person.id == idea.author_id:
            errors.add("reviewer_ids", _l("The author cannot review their own idea."))
        elif person.id not in wanted:
            wanted.append(person.id)
    if not wanted and "reviewer_ids" not in errors.fields:
        errors.add("reviewer_ids", _l("Choose at least one reviewer."))
    if len(wanted) > REVIEWERS_MAX:
        errors.add("reviewer_ids", _l("Choose at most %(n)d reviewers.", n=REVIEWERS_MAX))
    errors.raise_if_any()
    existing = set(db.session.scalars(select(ReviewAssignment.reviewer_id)
                                      .where(ReviewAssignment.idea_id == idea.id)))
    now = utcnow()
    for reviewer_id in wanted:
        if reviewer_id not in existing:
            db.session.add(ReviewAssignment(idea_id=idea.id, reviewer_id=reviewer_id,
                                            assigned_by_id=actor.id, assigned_at=now))
    audit.record_audit(actor, "review.assign", target_type="idea", target_id=idea.id,
                       campaign_id=idea.campaign_id, before={"reviewers": sorted(existing)},
                       after={"reviewers": sorted(existing | set(wanted))})
    db.session.commit()
    return reviewers_of(idea.id)


def open_review_sheet(viewer, idea_id):
    """The idea whose review page the viewer opens: its scorecards, reviewers and their
    summary are for the organisers and the reviewers assigned to it only."""
    idea = ideas.get_idea(viewer, idea_id)
    if not permissions.can_view_reviews(viewer, assigned=is_assigned(viewer, idea.id)):
        raise PermissionDenied()
    return idea


CANDIDATE_QUERY_MAX = 80


def reviewer_candidates(actor, idea_id, q="", limit=300):
    """People a moderator may ask to review an idea (active staff and moderators, not its
    author), by name; `q` keeps those whose name, department or country holds those words
    (case-insensitive, every word must match somewhere). Empty for anyone who may not assign."""
    if not permissions.can_moderate(actor):
        return []
    idea = ideas.get_idea(actor, idea_id)
    query = select(User).where(
        User.active.is_(True), User.id != idea.author_id,
        (User.kind == ParticipantKind.STAFF) | User.role.in_([Role.MODERATOR, Role.ADMIN]))
    words = (q if isinstance(q, str) else "")[:CANDIDATE_QUERY_MAX].split()
    for word in words[:5]:
        pattern = "%" + word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(*(func.lower(func.coalesce(column, "")).like(pattern, escape="\\")
                                  for column in (User.display_name, User.department, User.country))))
    return db.session.scalars(query.order_by(User.display_name, User.id).limit(limit)).all()


def reviewers_of(idea_id):
    return db.session.scalars(select(ReviewAssignment).where(ReviewAssignment.idea_id == idea_id)
                              .order_by(ReviewAssignment.assigned_at)).all()


def is_assigned(user, idea_id) -> bool:
    if not permissions.is_authenticated(user):
        return False
    return db.session.get(ReviewAssignment, (idea_id, user.id)) is not None


def my_review(user, idea_id):
    """The reviewer's own scorecard for an idea, or None. Nobody else's."""
    if not permissions.is_authenticated(user):
        return None
    return db.session.scalar(select(Review).where(Review.idea_id == idea_id, Review.reviewer_id == user.id))


def submit_review(reviewer, idea_id, *, scores, note=""):
    """Score an idea you were assigned, 1–5 on every criterion; submitting again replaces it.

    ``scores`` maps criterion ids (ints or digit strings) to scores.
    """
    idea = ideas.get_idea(reviewer, idea_id)
    if not is_assigned(reviewer, idea.id):
        raise PermissionDenied(_l("Only the reviewers assigned to this idea can review it."),
                               code="not_a_reviewer")
    criteria = list_criteria(idea.campaign_id)
    errors = FieldErrors()
    if not criteria:
        raise Conflict(_l("This campaign has no review criteria yet."), code="no_criteria")
    given = {}
    for key, value in (scores.items() if isinstance(scores, dict) else []):
        given[parse_id(key) if not isinstance(key, int) else key] = value
    parsed = {}
    for criterion in criteria:
        value = given.get(criterion.id)
        number = parse_id(value) if isinstance(value, str) else value
        if isinstance(number, bool) or number not in SCORE_RANGE:
            errors.add(f"score_{criterion.id}", _l("Score %(name)s from 1 to 5.", name=criterion.name))
        else:
            parsed[criterion.id] = number
    note = errors.text("note", clean_block(note) if isinstance(note, str) else "", max_length=NOTE_MAX,
                       required=False)
    errors.raise_if_any()
    review = my_review(reviewer, idea.id)
    if review is None:
        review = Review(idea_id=idea.id, reviewer_id=reviewer.id, submitted_at=utcnow())
        db.session.add(review)
    review.note, review.submitted_at = note, utcnow()
    review.scores = [ReviewScore(criterion_id=cid, score=score) for cid, score in parsed.items()]
    db.session.commit()
    return review


@dataclass
class ReviewSummary:
    """What the board shows of an idea's reviews: never a single reviewer's scorecard."""

    count: int = 0
    assigned: int = 0
    mean: float | None = None  # mean of the reviewers' weighted scores, 1–5
    spread: float | None = None  # their standard deviation: how much the reviewers disagree
    by_criterion: dict = field(default_factory=dict)  # criterion id -> mean score


def weighted_score(review, weights) -> float:
    """One reviewer's overall score: the weighted mean of their criterion scores."""
    total = sum(weights[s.criterion_id] for s in review.scores if s.criterion_id in weights)
    return sum(weights[s.criterion_id] * s.score for s in review.scores if s.criterion_id in weights) / total


def summarise_reviews(idea_ids, criteria):
    """Review summaries for many ideas at once: {idea id: ReviewSummary}."""
    weights = {c.id: c.weight for c in criteria}
    summaries = {idea_id: ReviewSummary() for idea_id in idea_ids}
    if not idea_ids:
        return summaries
    for idea_id, count in db.session.execute(
            select(ReviewAssignment.idea_id, func.count()).where(ReviewAssignment.idea_id.in_(idea_ids))
            .group_by(ReviewAssignment.idea_id)):
        summaries[idea_id].assigned = count
    per_idea = {}
    for review in db.session.scalars(select(Review).where(Review.idea_id.in_(idea_ids))):
        if weights and review.scores:
            per_idea.setdefault(review.idea_id, []).append(review)
    for idea_id, reviews in per_idea.items():
        overall = [weighted_score(r, weights) for r in reviews]
        mean = sum(overall) / len(overall)
        spread = math.sqrt(sum((x - mean) ** 2 for x in overall) / len(overall))
        by_criterion = {}
        for criterion_id in weights:
            values = [s.score for r in reviews for s in r.scores if s.criterion_id == criterion_id]
            if values:
                by_criterion[criterion_id] = sum(values) / len(values)
        summary = summaries[idea_id]
        summary.count, summary.mean, summary.spread = len(reviews), mean, spread
        summary.by_criterion = by_criterion
    return summaries


# --- the board ----------------------------------------------------------------------------------

@dataclass
class BoardCard:
    idea: Idea
    summary: ReviewSummary


@dataclass
class Board:
    campaign: object
    columns: list  # [(IdeaStatus, [BoardCard])]
    criteria: list
    tag: str | None
    min_score: int | None
    author_kind: ParticipantKind | None


def get_board(actor, campaign_id, *, tag=None, min_score=None, author_kind=None):
    """A campaign's ideas in a column per status, with votes and review summaries.

    Filters: a tag, a minimum net score, the author's kind. Moderators (who move the cards)
    and executives (who follow them) may look; reviews stay summarised.
    """
    if not permissions.can_view_board(actor):
        raise PermissionDenied()
    campaign = campaigns.get_campaign(actor, campaign_id)
    errors = FieldErrors()
    tag = (clean_line(tag).lower() or None) if isinstance(tag, str) else None
    if min_score in (None, ""):
        min_score = None
    else:
        try:
            min_score = int(min_score)
        except (TypeError, ValueError):
            errors.add("min_score", _l("Enter a whole number."))
            min_score = None
    if author_kind in (None, ""):
        author_kind = None
    else:
        try:
            author_kind = ParticipantKind(author_kind)
        except ValueError:
            errors.add("author_kind", _l("Choose staff, partner or customer."))
            author_kind = None
    errors.raise_if_any()
    stmt = select(Idea).where(Idea.campaign_id == campaign.id, ideas.published_clause(),
                              Idea.merged_into_id.is_(None))
    if tag:
        stmt = stmt.where(Idea.tags.any(Tag.name == tag))
    if min_score is not None:
        stmt = stmt.where(Idea.score >= min_score)
    if author_kind is not None:
        stmt = stmt.where(Idea.author.has(User.kind == author_kind))
    found = db.session.scalars(stmt.order_by(Idea.score.desc(), Idea.id.desc())).all()
    criteria = list_criteria(campaign.id)
    summaries = summarise_reviews([i.id for i in found], criteria)
    columns = [(status, [BoardCard(i, summaries[i.id]) for i in found if i.status is status])
               for status in BOARD_COLUMNS]
    return Board(campaign=campaign, columns=columns, criteria=criteria, tag=tag,
                 min_score=min_score, author_kind=author_kind)


def move_ideas(actor, idea_ids, *, status, note="", confirm=False):
    """Move several ideas of the board to one status, in one go: all or none. Moving any of
    them backwards (see moderation.is_backward_move) needs `confirm`."""
    _require_moderator(actor)
    errors = FieldErrors()
    ids = [parse_id(i) for i in (idea_ids or [])]
    if not ids or None in ids:
        errors.add("idea_ids", _l("Select at least one idea."))
    status = moderation.parse_status(status, errors)
    note = errors.text("note", clean_block(note) if isinstance(note, str) else "",
                       max_length=moderation.NOTE_MAX, required=status in moderation.NOTE_REQUIRED)
    errors.raise_if_any()
    chosen = [ideas.get_idea(actor, idea_id) for idea_id in dict.fromkeys(ids)]
    for idea in chosen:
        moderation.check_backward_move(idea.status, status, confirm, errors)
    errors.raise_if_any()
    moved = []
    for idea in chosen:
        if idea.status is not status:
            moderation.apply_status_change(actor, idea, status, note)
            moved.append(idea.id)
    db.session.commit()
    return moved


# --- the decision ---------------------------------------------------------------------------------

def record_decision(actor, idea_id, *, outcome, owner_id=None, note, confirm=False):
    """Decide on an idea: selected (with an owner for the next steps) or declined, with a
    note. The idea's status follows, its author and followers are told, and the decision is
    shown on the idea for everyone. Taking an idea backwards (say, from in progress to
    selected) needs `confirm`."""
    _require_moderator(actor)
    idea = ideas.get_idea(actor, idea_id)
    errors = FieldErrors()
    outcome = moderation.parse_status(outcome, errors)
    if outcome is not None and outcome not in DECISION_OUTCOMES:
        errors.add("status", _l("Decide selected or declined."))
    owner = None
    if owner_id not in (None, ""):
        owner = db.session.get(User, parse_id(owner_id)) if parse_id(owner_id) else None
        if owner is None or not owner.active:
            errors.add("owner_id", _l("Choose a person with an active account."))
    elif outcome is IdeaStatus.SELECTED:
        errors.add("owner_id", _l("A selected idea needs an owner for the next steps."))
    note = errors.text("note", clean_block(note) if isinstance(note, str) else "", max_length=NOTE_MAX)
    if outcome in DECISION_OUTCOMES:
        moderation.check_backward_move(idea.status, outcome, confirm, errors)
    errors.raise_if_any()
    if idea.status is not outcome:
        moderation.apply_status_change(actor, idea, outcome, note)
    decision = db.session.get(Decision, idea.id)
    before = None
    if decision is None:
        decision = Decision(idea_id=idea.id)
        db.session.add(decision)
    else:
        before = {"outcome": decision.outcome.value, "owner_id": decision.owner_id, "note": decision.note}
    decision.outcome, decision.owner_id, decision.note = outcome, owner.id if owner else None, note
    decision.decided_by_id, decision.decided_at = actor.id, utcnow()
    audit.record_audit(actor, "idea.decision", target_type="idea", target_id=idea.id,
                       campaign_id=idea.campaign_id, before=before,
                       after={"outcome": outcome.value, "owner_id": decision.owner_id, "note": note},
                       reason=note)
    db.session.commit()
    return decision


def get_decision(viewer, idea_id):
    """The decision on an idea, for everyone who can see it (or None)."""
    idea = ideas.get_idea(viewer, idea_id)
    return db.session.get(Decision, idea.id)


def require_decision(viewer, idea_id):
    """The decision on an idea, or NotFound when none is recorded yet."""
    decision = get_decision(viewer, idea_id)
    if decision is None:
        raise NotFound(_l("No decision has been recorded for this idea yet."), code="no_decision")
    return decision
