"""A campaign's live stream, for clients catching up after a disconnect or a gap."""
from app.api import bp
from app.api.auth import current_user
from app.api.openapi import operation, query_parameter, register_schema
from app.api.parsing import campaign_ref, query_int
from app.domain import campaigns
from app.domain.validation import FieldErrors

register_schema("StreamEvent", {
    "type": "object",
    "required": ["campaign_id", "seq", "kind"],
    "additionalProperties": False,
    "properties": {
        "campaign_id": {"type": "integer"},
        "seq": {"type": "integer", "minimum": 1, "description": "Gapless number within the campaign."},
        "kind": {"type": "string", "description": (
            "idea.created, idea.edited, idea.counts, idea.status, idea.hidden, idea.restored, "
            "idea.merged, idea.unmerged, idea.comments_locked, comment.created, comment.edited, "
            "comment.deleted, comment.hidden, comment.restored, campaign.phase, "
            "campaign.updated, ranking.updated, flag.created (moderators only); or skip: an "
            "entry the caller may not see.")},
        "idea_id": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
        "payload": {"type": "object"},
    },
})

register_schema("StreamPage", {
    "type": "object",
    "required": ["campaign_id", "seq", "events", "more"],
    "additionalProperties": False,
    "properties": {
        "campaign_id": {"type": "integer"},
        "seq": {"type": "integer", "minimum": 0, "description": "The stream's latest number now."},
        "events": {"type": "array", "items": {"$ref": "#/components/schemas/StreamEvent"}},
        "more": {"type": "boolean", "description": "More entries follow: ask again after the last."},
    },
})


@bp.get("/campaigns/<campaign>/events")
@operation("listCampaignEvents", "What happened in a campaign after a stream number",
           tag="campaigns",
           query=[query_parameter("after", {"type": "integer", "minimum": 0},
                                  "The last stream number the client applied (0 for all).")],
           responses={200: "StreamPage"}, errors={404, 422})
def list_campaign_events(campaign):
    errors = FieldErrors()
    after = query_int("after", errors)
    errors.raise_if_any()
    page = campaigns.list_campaign_events(current_user(), campaign_ref(campaign),
                                          after=0 if after is None else after)
    return {"campaign_id": page.campaign_id, "seq": page.seq, "events": page.events,
            "more": page.more}
