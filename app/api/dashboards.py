"""Dashboards and exports: a campaign's or every campaign's figures, and its ideas as JSON or CSV."""
from flask import Response, request, stream_with_context, url_for
from flask_babel import lazy_gettext as _l

from app.api import bp
from app.api.auth import current_user, token_required
from app.api.openapi import DATE_TIME, nullable, operation, query_parameter, ref, register_schema
from app.api.parsing import campaign_ref
from app.api.schemas import iso
from app.domain import dashboards, exports
from app.domain.errors import ValidationError
from app.domain.ideas import IdeaSort
from app.models import IdeaStatus, ParticipantKind

_COUNT = {"type": "integer", "minimum": 0}

register_schema("DashboardIdea", {
    "type": "object",
    "required": ["id", "campaign_id", "title", "status", "score", "up_count", "down_count",
                 "comment_count", "pairwise_chance", "url"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer"}, "campaign_id": {"type": "integer"}, "title": {"type": "string"},
        "status": {"type": "string", "enum": [s.value for s in IdeaStatus]},
        "score": {"type": "integer"}, "up_count": _COUNT, "down_count": _COUNT, "comment_count": _COUNT,
        "pairwise_chance": {"type": "number", "minimum": 0, "maximum": 1},
        "url": {"type": "string", "format": "uri"},
    },
})

register_schema("DashboardPeriod", {
    "type": "object",
    "required": ["starts_at", "ideas", "comments", "votes", "active_people", "new_people"],
    "additionalProperties": False,
    "description": "One hour or one UTC day. `active_people` is per hour only (0 in days).",
    "properties": {"starts_at": DATE_TIME, "ideas": _COUNT, "comments": _COUNT, "votes": _COUNT,
                   "active_people": _COUNT, "new_people": _COUNT},
})

register_schema("DashboardSegment", {
    "type": "object",
    "required": ["value", "people", "ideas", "comments", "votes", "is_rest"],
    "additionalProperties": False,
    "properties": {"value": {"type": "string", "description": "Empty when not given, or for the rest."},
                   "people": _COUNT, "ideas": _COUNT, "comments": _COUNT, "votes": _COUNT,
                   "is_rest": {"type": "boolean", "description": "All smaller segments together."}},
})

register_schema("Dashboard", {
    "type": "object",
    "required": ["campaign_id", "generated_at", "shows_people", "sort", "sorts", "totals", "leaderboard",
                 "rising", "hours", "days", "funnel", "tags", "contributors", "segments", "campaigns"],
    "additionalProperties": False,
    "description": "Participants get the ideas' part; `shows_people` says whether the people's part "
                   "(active people, new voices, contributors, segments) is included.",
    "properties": {
        "campaign_id": nullable({"type": "integer"}),
        "generated_at": DATE_TIME,
        "shows_people": {"type": "boolean"},
        "sort": {"type": "string", "enum": [s.value for s in IdeaSort]},
        "sorts": {"type": "array", "items": {"type": "string", "enum": [s.value for s in IdeaSort]}},
        "totals": {"type": "object", "additionalProperties": False,
                   "required": ["ideas", "comments", "votes", "people", "active_this_hour", "new_voices_today"],
                   "properties": {name: _COUNT for name in ("ideas", "comments", "votes", "people",
                                                            "active_this_hour", "new_voices_today")}},
        "leaderboard": {"type": "array", "items": ref("DashboardIdea")},
        "rising": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["idea", "votes_last_hour", "comments_last_hour"],
            "properties": {"idea": ref("DashboardIdea"), "votes_last_hour": _COUNT,
                           "comments_last_hour": _COUNT}}},
        "hours": {"type": "array", "items": ref("DashboardPeriod")},
        "days": {"type": "array", "items": ref("DashboardPeriod")},
        "funnel": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["status", "now_in", "reached", "average_days"],
            "properties": {"status": {"type": "string", "enum": [s.value for s in IdeaStatus]},
                           "now_in": _COUNT, "reached": nullable(_COUNT),
                           "average_days": nullable({"type": "number", "minimum": 0})}}},
        "tags": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["name", "ideas"],
            "properties": {"name": {"type": "string"}, "ideas": _COUNT}}},
        "contributors": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["user_id", "display_name", "kind", "ideas", "comments", "votes_cast",
                         "votes_received", "points"],
            "properties": {"user_id": {"type": "integer"}, "display_name": {"type": "string"},
                           "kind": {"type": "string", "enum": [k.value for k in ParticipantKind]},
                           "ideas": _COUNT, "comments": _COUNT, "votes_cast": _COUNT,
                           "votes_received": _COUNT, "points": _COUNT}}},
        "segments": {"type": "object", "additionalProperties": False, "properties": {
            dimension: {"type": "array", "items": ref("DashboardSegment")}
            for dimension in ("kind", "department", "country")}},
        "campaigns": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["id", "slug", "title", "phase", "ideas", "comments", "votes", "people"],
            "properties": {"id": {"type": "integer"}, "slug": {"type": "string"}, "title": {"type": "string"},
                           "phase": {"type": "string", "enum": ["upcoming", "open", "closed"]},
                           "ideas": _COUNT, "comments": _COUNT, "votes": _COUNT, "people": _COUNT}}},
    },
})

register_schema("IdeaExport", {
    "type": "object",
    "required": ["campaign_id", "items"],
    "additionalProperties": False,
    "properties": {
        "campaign_id": {"type": "integer"},
        "items": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": list(exports.COLUMNS),
            "properties": {
                "id": {"type": "integer"}, "title": {"type": "string"},
                "status": {"type": "string", "enum": [s.value for s in IdeaStatus]},
                "score": {"type": "integer"}, "up_votes": _COUNT, "down_votes": _COUNT,
                "best_score": {"type": "number"}, "pairwise_chance": {"type": "number"},
                "comments": _COUNT, "tags": {"type": "array", "items": {"type": "string"}},
                "author_kind": {"type": "string", "enum": [k.value for k in ParticipantKind]},
                "author_department": {"type": "string"}, "author_country": {"type": "string"},
                "created_at": {"type": "string"}, "merged_into": nullable({"type": "integer"}),
            }}},
    },
})

_SORT = query_parameter("sort", {"type": "string", "enum": [s.value for s in IdeaSort]},
                        "The leaderboard's order (a campaign offers the sorts of its voting mode; "
                        "every campaign at once: top, trending, discussed, newest).")


def _idea(idea):
    return {"id": idea.id, "campaign_id": idea.campaign_id, "title": idea.title, "status": idea.status.value,
            "score": idea.score, "up_count": idea.up_count, "down_count": idea.down_count,
            "comment_count": idea.comment_count, "pairwise_chance": round(idea.pairwise_chance, 4),
            "url": url_for("ideas.show", idea_id=idea.id, _external=True)}


def _period(period):
    return {"starts_at": iso(period.starts_at), "ideas": period.ideas, "comments": period.comments,
            "votes": period.votes, "active_people": period.active_people, "new_people": period.new_people}


def serialize_dashboard(board):
    totals = board.totals
    return {
        "campaign_id": board.campaign.id if board.campaign else None,
        "generated_at": iso(board.generated_at), "shows_people": board.shows_people,
        "sort": board.sort.value, "sorts": [s.value for s in board.sorts],
        "totals": {"ideas": totals.ideas, "comments": totals.comments, "votes": totals.votes,
                   "people": totals.people, "active_this_hour": totals.active_this_hour,
                   "new_voices_today": totals.new_voices_today},
        "leaderboard": [_idea(idea) for idea in board.leaderboard],
        "rising": [{"idea": _idea(row.idea), "votes_last_hour": row.votes_last_hour,
                    "comments_last_hour": row.comments_last_hour} for row in board.rising],
        "hours": [_period(p) for p in board.hours], "days": [_period(p) for p in board.days],
        "funnel": [{"status": step.status.value, "now_in": step.now_in, "reached": step.reached,
                    "average_days": None if step.average_days is None else round(step.average_days, 3)}
                   for step in board.funnel],
        "tags": [{"name": tag.name, "ideas": tag.ideas} for tag in board.tags],
        "contributors": [{"user_id": row.user.id, "display_name": row.user.display_name,
                          "kind": row.user.kind.value, "ideas": row.ideas, "comments": row.comments,
                          "votes_cast": row.votes_cast, "votes_received": row.votes_received,
                          "points": row.points} for row in board.contributors],
        "segments": {dimension: [vars(row) for row in rows] for dimension, rows in board.segments.items()},
        "campaigns": [{"id": row.campaign.id, "slug": row.campaign.slug, "title": row.campaign.title,
                       "phase": row.phase, "ideas": row.ideas, "comments": row.comments, "votes": row.votes,
                       "people": row.people} for row in board.campaigns],
    }


@bp.get("/dashboard")
@operation("getSiteDashboard", "Every campaign's figures at once (moderators, executives, admins)",
           tag="dashboards", auth="required", query=[_SORT], responses={200: "Dashboard"},
           errors={403, 422})
@token_required
def get_site_dashboard():
    board = dashboards.get_dashboard(current_user(), sort=request.args.get("sort"), strict=True)
    return serialize_dashboard(board)


@bp.get("/campaigns/<campaign>/dashboard")
@operation("getCampaignDashboard", "A campaign's leaderboard, rising ideas, activity and funnel",
           tag="dashboards", query=[_SORT], responses={200: "Dashboard"}, errors={404, 422},
           description="Anyone who may see the campaign gets its ideas' part, unless the campaign "
                       "keeps its dashboard to its organisers (then 404); who took part is for "
                       "moderators, executives and admins only.")
def get_campaign_dashboard(campaign):
    board = dashboards.get_dashboard(current_user(), campaign_ref(campaign), sort=request.args.get("sort"),
                                     strict=True)
    return serialize_dashboard(board)


@bp.get("/campaigns/<campaign>/export")
@operation("exportIdeas", "A campaign's published ideas with scores, status, tags and author kind",
           tag="dashboards", auth="required", csv=True,
           query=[query_parameter("format", {"type": "string", "enum": ["json", "csv"], "default": "json"},
                                  "JSON (`IdeaExport`) or CSV with the same columns, tags joined by `; `.")],
           responses={200: "IdeaExport"}, errors={403, 404, 422},
           description="Moderators, executives and admins. Streamed in batches, oldest idea first; "
                       "authors appear by kind, department and country, never by name.")
@token_required
def export_ideas(campaign):
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "csv"):
        raise ValidationError(fields={"format": _l("Choose json or csv.")})
    export = exports.export_ideas(current_user(), campaign_ref(campaign))
    if fmt == "csv":
        return Response(stream_with_context(exports.as_csv(export.rows)), mimetype="text/csv; charset=utf-8")
    return Response(stream_with_context(_wrapped(export)), mimetype="application/json")


def _wrapped(export):
    yield '{"campaign_id": %d, "items": ' % export.campaign.id
    yield from exports.as_json(export.rows)
    yield "}"
