"""Themes and duplicates: similar ideas for a text, a campaign's themes (moderators rename and
merge them), and the likely duplicate pairs of the moderation queue."""
from flask import request, url_for
from flask_babel import lazy_gettext as _l

from app.api import bp
from app.api.auth import current_user, token_required
from app.api.openapi import DATE_TIME, ID_CONVERTER, nullable, operation, query_parameter, ref, register_schema
from app.api.parsing import body, campaign_ref, query_int
from app.api.schemas import iso
from app.domain import campaigns, duplicates, themes
from app.domain.validation import FieldErrors

THEME_PATH = f"/themes/<{ID_CONVERTER}:theme_id>"

register_schema("SimilarIdea", {
    "type": "object",
    "required": ["id", "title", "snippet", "up_count", "down_count", "score", "comment_count",
                 "similarity", "url"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "snippet": {"type": "string", "description": "The start of the idea's text, as plain text."},
        "up_count": {"type": "integer", "minimum": 0},
        "down_count": {"type": "integer", "minimum": 0},
        "score": {"type": "integer"},
        "comment_count": {"type": "integer", "minimum": 0},
        "similarity": {"type": "number", "minimum": 0, "maximum": 1,
                       "description": "Cosine similarity of the words (TF-IDF), 1 for the same words."},
        "url": {"type": "string", "format": "uri"},
    },
})

register_schema("SimilarIdeas", {
    "type": "object",
    "required": ["campaign_id", "items"],
    "additionalProperties": False,
    "properties": {"campaign_id": {"type": "integer"},
                   "items": {"type": "array", "items": ref("SimilarIdea"),
                             "description": "Most similar first."}},
})

register_schema("ThemeIdea", {
    "type": "object",
    "required": ["id", "title", "up_count", "url"],
    "additionalProperties": False,
    "properties": {"id": {"type": "integer"}, "title": {"type": "string"},
                   "up_count": {"type": "integer", "minimum": 0},
                   "url": {"type": "string", "format": "uri"}},
})

register_schema("Theme", {
    "type": "object",
    "required": ["id", "campaign_id", "name", "label", "named", "terms", "size", "growth_last_hour",
                 "top_ideas"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer"},
        "campaign_id": {"type": "integer"},
        "name": {"type": "string", "description": "The moderators' name for it, else `label`."},
        "label": {"type": "string", "description": "Its most telling words, worked out at each refresh."},
        "named": {"type": "boolean", "description": "A moderator named it."},
        "terms": {"type": "array", "items": {"type": "string"}, "description": "Telling words, best first."},
        "size": {"type": "integer", "minimum": 0, "description": "Published ideas in it (last refresh)."},
        "growth_last_hour": {"type": "integer", "minimum": 0,
                             "description": "Of those, posted in the last hour."},
        "top_ideas": {"type": "array", "items": ref("ThemeIdea"), "description": "By the \"best\" sort."},
    },
})

register_schema("Themes", {
    "type": "object",
    "required": ["campaign_id", "refreshed_at", "items"],
    "additionalProperties": False,
    "properties": {
        "campaign_id": {"type": "integer"},
        "refreshed_at": nullable({**DATE_TIME, "description": "When the themes were last worked out."}),
        "items": {"type": "array", "items": ref("Theme"), "description": "Largest first."},
    },
})

register_schema("ThemeInput", {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {"name": {"type": "string", "maxLength": themes.NAME_MAX,
                            "description": "Empty to go back to the automatic label."}},
})

register_schema("ThemeMergeInput", {
    "type": "object",
    "required": ["into"],
    "additionalProperties": False,
    "properties": {"into": {"type": "integer", "minimum": 1,
                            "description": "Another theme of the same campaign."}},
})

register_schema("DuplicatePair", {
    "type": "object",
    "required": ["older", "newer", "similarity"],
    "additionalProperties": False,
    "properties": {
        "older": ref("SimilarIdea"),
        "newer": ref("SimilarIdea"),
        "similarity": {"type": "number", "minimum": 0, "maximum": 1},
    },
})

register_schema("DuplicatePairs", {
    "type": "object",
    "required": ["items"],
    "additionalProperties": False,
    "properties": {"items": {"type": "array", "items": ref("DuplicatePair"),
                             "description": "Most similar first."}},
})


def _similar(idea, similarity):
    return {"id": idea.id, "title": idea.title, "snippet": duplicates.snippet(idea.body),
            "up_count": idea.up_count, "down_count": idea.down_count, "score": idea.score,
            "comment_count": idea.comment_count, "similarity": round(float(similarity), 4),
            "url": url_for("ideas.show", idea_id=idea.id, _external=True)}


def serialize_theme(summary):
    return {"id": summary.id, "campaign_id": summary.campaign_id, "name": summary.name,
            "label": summary.label, "named": summary.named, "terms": summary.terms, "size": summary.size,
            "growth_last_hour": summary.growth_last_hour,
            "top_ideas": [{"id": idea.id, "title": idea.title, "up_count": idea.up_count,
                           "url": url_for("ideas.show", idea_id=idea.id, _external=True)}
                          for idea in summary.top_ideas]}


def _limit(errors, maximum):
    limit = query_int("limit", errors)
    if limit is not None and not 1 <= limit <= maximum:
        errors.add("limit", _l("Enter a whole number from %(low)d to %(high)d.", low=1, high=maximum))
    return limit


def _campaign_id(viewer, campaign):
    return campaigns.get_campaign(viewer, campaign_ref(campaign)).id


@bp.get("/campaigns/<campaign>/similar-ideas")
@operation("findSimilarIdeas", "The campaign's ideas most like a text (say, an idea being written)",
           tag="themes",
           query=[query_parameter("title", {"type": "string"}, "The title being written."),
                  query_parameter("body", {"type": "string"}, "The text being written."),
                  query_parameter("limit", {"type": "integer", "minimum": 1,
                                            "maximum": duplicates.SIMILAR_MAX,
                                            "default": duplicates.SIMILAR_LIMIT}, "How many.")],
           responses={200: "SimilarIdeas"}, errors={404, 422},
           description="English and Chinese alike: words for English, characters and character "
                       "pairs for Chinese, weighted by TF-IDF. Only published ideas that are not "
                       "merged; an empty list for text with no telling word.")
def find_similar_ideas(campaign):
    errors = FieldErrors()
    limit = _limit(errors, duplicates.SIMILAR_MAX)
    errors.raise_if_any()
    viewer = current_user()
    campaign_id = _campaign_id(viewer, campaign)
    found = duplicates.find_similar_ideas(viewer, campaign_id, title=request.args.get("title", ""),
                                          body=request.args.get("body", ""),
                                          limit=limit or duplicates.SIMILAR_LIMIT)
    return {"campaign_id": campaign_id, "items": [_similar(item.idea, item.similarity) for item in found]}


@bp.get("/campaigns/<campaign>/themes")
@operation("listThemes", "The campaign's themes, largest first", tag="themes",
           query=[query_parameter("limit", {"type": "integer", "minimum": 1}, "At most this many.")],
           responses={200: "Themes"}, errors={404, 422},
           description="Found in the published ideas while the jam runs and refreshed soon after "
                       "ideas change; empty before the first refresh.")
def list_themes(campaign):
    errors = FieldErrors()
    limit = query_int("limit", errors)
    errors.raise_if_any()
    viewer = current_user()
    campaign_id = _campaign_id(viewer, campaign)
    summaries = themes.list_themes(viewer, campaign_id, limit=limit or None)
    refresh = themes.last_refresh(viewer, campaign_id)
    return {"campaign_id": campaign_id, "refreshed_at": iso(refresh.refreshed_at) if refresh else None,
            "items": [serialize_theme(summary) for summary in summaries]}


@bp.patch(THEME_PATH)
@operation("renameTheme", "Name a theme (moderators and admins)", tag="themes", auth="required",
           body="ThemeInput", responses={200: "Theme"}, errors={403, 404, 409},
           description="The name stays through later refreshes. 409 `theme_merged` for a theme "
                       "merged into another.")
@token_required
def rename_theme(theme_id):
    data = body("name")
    name = data.text("name")
    data.require("name")
    data.check()
    user = current_user()
    theme = themes.rename_theme(user, theme_id, name=name)
    return serialize_theme(themes.get_theme_summary(user, theme.id))


@bp.post(THEME_PATH + "/merge")
@operation("mergeThemes", "Merge a theme into another (moderators and admins)", tag="themes",
           auth="required", body="ThemeMergeInput", responses={200: "Theme"}, errors={403, 404, 409},
           description="Returns the theme merged into, which now holds the ideas of both; later "
                       "refreshes keep them together.")
@token_required
def merge_themes(theme_id):
    data = body("into")
    into = data.optional_id("into")
    data.require("into")
    data.check()
    user = current_user()
    target = themes.merge_themes(user, theme_id, into=into)
    return serialize_theme(themes.get_theme_summary(user, target.id))


@bp.get("/campaigns/<campaign>/duplicates")
@operation("listDuplicatePairs", "Likely duplicate ideas (moderators and admins)", tag="themes",
           auth="required",
           query=[query_parameter("limit", {"type": "integer", "minimum": 1,
                                            "maximum": duplicates.PAIRS_MAX,
                                            "default": duplicates.PAIRS_LIMIT}, "How many pairs.")],
           responses={200: "DuplicatePairs"}, errors={403, 404, 422},
           description="Pairs where one idea is the other's most similar idea, at least as alike "
                       "as the duplicate threshold, as of the last theme refresh. Merge one with "
                       "POST /ideas/{idea_id}/merge.")
@token_required
def list_duplicate_pairs(campaign):
    errors = FieldErrors()
    limit = _limit(errors, duplicates.PAIRS_MAX)
    errors.raise_if_any()
    pairs = duplicates.list_duplicate_pairs(current_user(), campaign_id=campaign_ref(campaign),
                                            limit=limit or duplicates.PAIRS_LIMIT)
    return {"items": [{"older": _similar(pair.older, pair.similarity),
                       "newer": _similar(pair.newer, pair.similarity),
                       "similarity": round(float(pair.similarity), 4)} for pair in pairs]}
