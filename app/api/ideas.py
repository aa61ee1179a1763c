"""Ideas: listing and searching a campaign's ideas, posting, editing, versions, following."""
from flask import request, url_for

from app.api import bp
from app.api.auth import current_user, token_required
from app.api.openapi import (
    DATE_TIME, ID_CONVERTER, nullable, operation, query_parameter, ref, register_schema,
)
from app.api.parsing import body, campaign_ref, query_int
from app.api.schemas import PERSON, iso, serialize_person
from app import ratelimits
from app.domain import ideas, languages, permissions
from app.domain.text import fewest_characters
from app.domain.conduct import FIELD as ACCEPT_FIELD
from app.domain.validation import FieldErrors
from app.models import ContentState, IdeaStatus

IDEA_FIELDS = ("title", "body", "tags", "language")
LANGUAGE_OUT = {"type": "string", "enum": list(languages.CONTENT_LANGUAGES),
                "description": "The language of the idea's text, `en` or `zh` (Traditional or "
                               "Simplified Chinese alike): as its author marked it, else detected "
                               "from its words. Pages mark the text with it (`lang`)."}
LANGUAGE_IN = {"type": "string", "enum": [*languages.CONTENT_LANGUAGES, languages.AUTO],
               "description": "`en`, `zh`, or `auto` to detect it from the words."}
STATES = [s.value for s in ContentState]
STATE = {"type": "string", "enum": STATES,
         "description": "`published` for everyone; `pending` waits for a moderator's approval "
                        "and `hidden` was hidden by a moderator: only the author and the "
                        "moderators see those."}
ACCEPT_CONDUCT = {"type": "boolean",
                  "description": "Accept the campaign's code of conduct with this post. Until it "
                                 "is accepted (here, or with POST /campaigns/{campaign}/"
                                 "code-of-conduct/acceptance), posting is refused with 422 "
                                 "`conduct_not_accepted` naming this field."}
MY_VOTE = {"type": "integer", "enum": [-1, 0, 1],
           "description": "The caller's vote: 1 up, -1 down, 0 none. Only when authenticated."}

register_schema("Idea", {
    "type": "object",
    "required": ["id", "campaign_id", "title", "language", "body", "body_html", "tags", "author",
                 "created_at", "edited_at", "version", "up_count", "down_count", "score",
                 "comment_count", "status", "state", "hidden_reason", "merged_into_id",
                 "comments_locked", "moderator_edited", "url"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer"},
        "campaign_id": {"type": "integer"},
        "status": {"type": "string", "enum": [s.value for s in IdeaStatus],
                   "description": "Where the idea stands in the moderators' pipeline."},
        "state": STATE,
        "hidden_reason": {"type": "string",
                          "description": "Why a moderator hid the idea; empty unless it is "
                                         "hidden and the caller is its author or a moderator."},
        "merged_into_id": nullable({"type": "integer",
                                    "description": "The idea this duplicate was merged into."}),
        "comments_locked": {"type": "boolean",
                            "description": "A moderator locked the comments: none can be added."},
        "moderator_edited": {"type": "boolean",
                             "description": "A moderator has edited the idea's text."},
        "title": {"type": "string"},
        "language": LANGUAGE_OUT,
        "body": {"type": "string", "description": "Markdown source."},
        "body_html": {"type": "string", "description": "Sanitised HTML."},
        "tags": {"type": "array", "items": {"type": "string"}},
        "author": PERSON,
        "created_at": DATE_TIME,
        "edited_at": nullable(DATE_TIME),
        "version": {"type": "integer", "minimum": 1},
        "up_count": {"type": "integer", "minimum": 0},
        "down_count": {"type": "integer", "minimum": 0},
        "score": {"type": "integer"},
        "comment_count": {"type": "integer", "minimum": 0},
        "url": {"type": "string", "format": "uri", "description": "The idea's web page."},
        "my_vote": MY_VOTE,
        "following": {"type": "boolean",
                      "description": "Whether the caller follows the idea. Only when authenticated, "
                                     "and not in lists."},
    },
})

register_schema("IdeaPage", {
    "type": "object",
    "required": ["items", "total", "more", "page", "per_page", "pages"],
    "additionalProperties": False,
    "properties": {
        "items": {"type": "array", "items": ref("Idea")},
        "total": {"type": "integer", "minimum": 0,
                  "description": "Ideas matching. A search or tag filter counts up to 1,000 (then "
                                 "`more` is true); pages reach the first 10,000 ideas of any list."},
        "more": {"type": "boolean", "description": "More ideas match than `total` counts: narrow "
                                                   "the search to see them."},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": ideas.PER_PAGE_MAX},
        "pages": {"type": "integer", "minimum": 1},
    },
})

register_schema("IdeaInput", {
    "type": "object",
    "required": ["title", "body"],
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "minLength": fewest_characters(ideas.TITLE_MIN), "maxLength": ideas.TITLE_MAX},
        "body": {"type": "string", "maxLength": ideas.BODY_MAX, "description": "Markdown."},
        "tags": {"type": "array", "maxItems": ideas.TAGS_MAX,
                 "items": {"type": "string", "maxLength": ideas.TAG_MAX},
                 "description": "Lowercased, trimmed and de-duplicated; a leading # is dropped."},
        "language": {**LANGUAGE_IN, "description": LANGUAGE_IN["description"] + " Default `auto`."},
        ACCEPT_FIELD: ACCEPT_CONDUCT,
    },
})

register_schema("IdeaPatch", {
    "type": "object",
    "description": "Any of the fields of IdeaInput; omitted fields keep their current values.",
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "minLength": fewest_characters(ideas.TITLE_MIN), "maxLength": ideas.TITLE_MAX},
        "body": {"type": "string", "maxLength": ideas.BODY_MAX},
        "tags": {"type": "array", "maxItems": ideas.TAGS_MAX,
                 "items": {"type": "string", "maxLength": ideas.TAG_MAX}},
        "language": LANGUAGE_IN,
    },
})

register_schema("IdeaVersion", {
    "type": "object",
    "required": ["number", "title", "body", "tags", "editor", "created_at"],
    "additionalProperties": False,
    "properties": {
        "number": {"type": "integer", "minimum": 1},
        "title": {"type": "string"},
        "body": {"type": "string", "description": "Markdown source."},
        "tags": {"type": "array", "items": {"type": "string"}},
        "editor": PERSON,
        "created_at": DATE_TIME,
    },
})

register_schema("IdeaVersionList", {
    "type": "object",
    "required": ["items"],
    "additionalProperties": False,
    "properties": {"items": {"type": "array", "items": ref("IdeaVersion"),
                             "description": "Newest version first."}},
})

register_schema("FollowState", {
    "type": "object",
    "required": ["idea_id", "following"],
    "additionalProperties": False,
    "properties": {"idea_id": {"type": "integer"}, "following": {"type": "boolean"}},
})


def serialize_idea(idea, viewer, *, my_votes=None, following=None):
    """``my_votes`` (idea id -> vote) is given for authenticated callers only."""
    data = {
        "id": idea.id,
        "campaign_id": idea.campaign_id,
        "title": idea.title,
        "language": idea.language,
        "body": idea.body,
        "body_html": idea.body_html,
        "tags": [tag.name for tag in idea.tags],
        "author": serialize_person(idea.author),
        "created_at": iso(idea.created_at),
        "edited_at": iso(idea.edited_at),
        "version": idea.version,
        "up_count": idea.up_count,
        "down_count": idea.down_count,
        "score": idea.score,
        "comment_count": idea.comment_count,
        "status": idea.status.value,
        "state": idea.content_state.value,
        "hidden_reason": ((idea.hidden_reason or "")
                          if permissions.can_see_unpublished(viewer, idea) else ""),
        "merged_into_id": idea.merged_into_id,
        "comments_locked": bool(idea.comments_locked),
        "moderator_edited": idea.moderator_edited_at is not None,
        "url": url_for("ideas.show", idea_id=idea.id, _external=True),
    }
    if my_votes is not None:
        data["my_vote"] = my_votes.get(idea.id, 0)
    if following is not None:
        data["following"] = following
    return data


def idea_for_viewer(idea, user):
    """An idea with the viewer's own vote and follow state, as the idea page shows them."""
    if not user.is_authenticated:
        return serialize_idea(idea, user)
    return serialize_idea(idea, user, my_votes=ideas.votes_of(user, [idea.id]),
                          following=ideas.is_following(user, idea.id))


def serialize_version(version):
    return {
        "number": version.number,
        "title": version.title,
        "body": version.body,
        "tags": [name for name in version.tags.split(",") if name],
        "editor": serialize_person(version.editor),
        "created_at": iso(version.created_at),
    }


IDEA_PATH = f"/ideas/<{ID_CONVERTER}:idea_id>"


@bp.get("/campaigns/<campaign>/ideas")
@operation(
    "listIdeas", "One page of a campaign's ideas, sorted, filtered and searched", tag="ideas",
    query=[
        query_parameter("sort", {"type": "string", "enum": [s.value for s in ideas.IdeaSort]},
                        "Order of the ideas (docs/RANKING.md defines each). `best`: up-share "
                        "shrunk towards the campaign's, the default with up/down votes; "
                        "`ranked`: chance to beat a random idea in pairwise comparisons, the "
                        "default in pairwise-only campaigns, which offer no `best` or `top`."),
        query_parameter("tag", {"type": "string"}, "Only ideas with this tag."),
        query_parameter("q", {"type": "string", "maxLength": ideas.QUERY_MAX},
                        "Words to search for; Chinese works without spaces (電信 finds 中國電信)."),
        query_parameter("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number."),
        query_parameter("per_page", {"type": "integer", "minimum": 1,
                                     "maximum": ideas.PER_PAGE_MAX}, "Ideas per page."),
    ],
    responses={200: "IdeaPage"}, errors={404, 422},
    description="Only published ideas are listed, for every caller: pending and hidden ideas "
                "are found through the moderation queue or by their id.",
)
def list_ideas(campaign):
    errors = FieldErrors()
    page = query_int("page", errors)
    per_page = query_int("per_page", errors)
    errors.raise_if_any()
    user = current_user()
    args = request.args
    result = ideas.list_ideas(user, campaign_ref(campaign), sort=args.get("sort"),
                              tag=args.get("tag"), q=args.get("q"), page=1 if page is None else page,
                              per_page=per_page, strict=True)
    my_votes = result.my_votes if user.is_authenticated else None
    return {
        "items": [serialize_idea(idea, user, my_votes=my_votes) for idea in result.items],
        "total": result.total,
        "more": result.more,
        "page": result.page,
        "per_page": result.per_page,
        "pages": result.pages,
    }


@bp.post("/campaigns/<campaign>/ideas")
@operation("submitIdea", "Post an idea to an open campaign", tag="ideas", auth="required",
           body="IdeaInput", responses={201: "Idea"}, errors={403, 404, 409, 429},
           description="In a pre-moderated campaign the idea is `pending`: only its author "
                       "and the moderators see it until a moderator approves it. 429 "
                       "`rate_limited` beyond the campaign's ideas per hour.")
@token_required
@ratelimits.posting
def submit_idea(campaign):
    data = body(*IDEA_FIELDS, ACCEPT_FIELD)
    title, text, tags = data.text("title"), data.text("body"), data.text_list("tags")
    language = data.text("language")
    accept = data.boolean(ACCEPT_FIELD)
    data.check()
    user = current_user()
    idea = ideas.submit_idea(user, campaign_ref(campaign), title=title, body=text, tags=tags,
                             accept_code_of_conduct=bool(accept), language=language)
    location = url_for("api.get_idea", idea_id=idea.id)
    return idea_for_viewer(idea, user), 201, {"Location": location}


@bp.get(IDEA_PATH)
@operation("getIdea", "One idea", tag="ideas", responses={200: "Idea"}, errors={404},
           description="A pending or hidden idea is 404 except for its author and the "
                       "moderators.")
def get_idea(idea_id):
    user = current_user()
    return idea_for_viewer(ideas.get_idea(user, idea_id), user)


@bp.patch(IDEA_PATH)
@operation("editIdea", "Edit your idea while its campaign is open", tag="ideas",
           auth="required", body="IdeaPatch", responses={200: "Idea"}, errors={403, 404, 409},
           description="Omitted fields keep their current values. Each change is kept as a "
                       "new version; a request that changes nothing makes no version.")
@token_required
def edit_idea(idea_id):
    data = body(*IDEA_FIELDS)
    changes = {}
    if data.has("title"):
        changes["title"] = data.text("title")
    if data.has("body"):
        changes["body"] = data.text("body")
    if data.has("tags"):
        changes["tags"] = data.text_list("tags")
    if data.has("language"):
        changes["language"] = data.text("language") or languages.AUTO
    data.check()
    user = current_user()
    return idea_for_viewer(ideas.patch_idea(user, idea_id, changes), user)


@bp.get(IDEA_PATH + "/versions")
@operation("listIdeaVersions", "Every version of an idea's text, newest first", tag="ideas",
           responses={200: "IdeaVersionList"}, errors={404})
def list_versions(idea_id):
    return {"items": [serialize_version(v) for v in ideas.list_versions(current_user(), idea_id)]}


@bp.post(IDEA_PATH + "/follow")
@operation("followIdea", "Follow an idea", tag="ideas", auth="required",
           responses={200: "FollowState"}, errors={404})
@token_required
def follow_idea(idea_id):
    idea = ideas.follow_idea(current_user(), idea_id)
    return {"idea_id": idea.id, "following": True}


@bp.delete(IDEA_PATH + "/follow")
@operation("unfollowIdea", "Stop following an idea", tag="ideas", auth="required",
           responses={200: "FollowState"}, errors={404})
@token_required
def unfollow_idea(idea_id):
    idea = ideas.unfollow_idea(current_user(), idea_id)
    return {"idea_id": idea.id, "following": False}
