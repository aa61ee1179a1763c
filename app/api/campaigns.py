"""Campaigns: the ones the caller may see, with their phase."""
from flask import request, url_for
from flask_babel import lazy_gettext as _l

from app.api import bp
from app.api.auth import current_user
from app.api.openapi import DATE_TIME, operation, query_parameter, register_schema
from app.api.parsing import campaign_ref
from app.api.schemas import KINDS, iso
from app.domain import campaigns, languages, permissions
from app.domain.validation import FieldErrors
from app.models import VotingMode

PHASES = ["open", "upcoming", "closed"]

register_schema("Campaign", {
    "type": "object",
    "required": ["id", "slug", "title", "question", "description", "description_html", "language",
                 "title_translation", "question_translation", "description_translation",
                 "description_translation_html",
                 "starts_at", "ends_at", "phase", "is_private", "public_leaderboard", "audience", "idea_count",
                 "can_take_part", "voting_mode", "url"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer"},
        "slug": {"type": "string"},
        "title": {"type": "string"},
        "question": {"type": "string"},
        "description": {"type": "string", "description": "Markdown source."},
        "description_html": {"type": "string", "description": "Sanitised HTML."},
        "language": {"type": "string", "enum": list(languages.CONTENT_LANGUAGES),
                     "description": "The language of `title`, `question` and `description`: `en` "
                                    "or `zh` (one Chinese text serves Traditional and Simplified "
                                    "readers). The `*_translation` fields hold them in the other "
                                    "one; pages show each reader theirs, else the other, marked."},
        "title_translation": {"type": "string", "description": "Empty when not given."},
        "question_translation": {"type": "string", "description": "Empty when not given."},
        "description_translation": {"type": "string", "description": "Markdown source."},
        "description_translation_html": {"type": "string", "description": "Sanitised HTML."},
        "starts_at": DATE_TIME,
        "ends_at": DATE_TIME,
        "phase": {"type": "string", "enum": PHASES},
        "is_private": {"type": "boolean"},
        "public_leaderboard": {"type": "boolean",
                               "description": "Whether participants see the campaign's dashboard."},
        "audience": {"type": "array", "items": {"type": "string", "enum": KINDS},
                     "description": "Participant kinds who may take part."},
        "idea_count": {"type": "integer", "minimum": 0},
        "can_take_part": {"type": "boolean",
                          "description": "Whether the caller may post, comment and vote now."},
        "voting_mode": {"type": "string", "enum": [m.value for m in VotingMode],
                        "description": "`up_down` votes on each idea, `pairwise` comparisons of "
                                       "two ideas, or `both`."},
        "url": {"type": "string", "format": "uri", "description": "The campaign's web page."},
    },
})

register_schema("CampaignList", {
    "type": "object",
    "required": ["items"],
    "additionalProperties": False,
    "properties": {"items": {
        "type": "array", "items": {"$ref": "#/components/schemas/Campaign"},
        "description": "Open campaigns first (closing soonest first), then upcoming, then closed.",
    }},
})


def serialize_campaign(campaign, user, phase=None):
    phase = phase or campaigns.campaign_phase(campaign).value
    return {
        "id": campaign.id,
        "slug": campaign.slug,
        "title": campaign.title,
        "question": campaign.question,
        "description": campaign.description,
        "description_html": campaign.description_html,
        "language": campaign.language,
        "title_translation": campaign.title_translation,
        "question_translation": campaign.question_translation,
        "description_translation": campaign.description_translation,
        "description_translation_html": campaign.description_translation_html,
        "starts_at": iso(campaign.starts_at),
        "ends_at": iso(campaign.ends_at),
        "phase": phase,
        "is_private": campaign.is_private,
        "public_leaderboard": campaign.public_leaderboard,
        "audience": sorted(kind.value for kind in campaign.audience_kinds),
        "idea_count": campaign.idea_count,
        "can_take_part": phase == "open" and permissions.can_take_part(user, campaign),
        "voting_mode": campaign.voting_mode.value,
        "url": url_for("campaigns.show", slug=campaign.slug, _external=True),
    }


@bp.get("/campaigns")
@operation("listCampaigns", "Campaigns the caller may see", tag="campaigns",
           query=[query_parameter("phase", {"type": "string", "enum": PHASES},
                                  "Only campaigns in this phase.")],
           responses={200: "CampaignList"}, errors={422})
def list_campaigns():
    phase = request.args.get("phase") or None
    if phase is not None and phase not in PHASES:
        errors = FieldErrors()
        errors.add("phase", _l("Choose open, upcoming or closed."))
        errors.raise_if_any()
    user = current_user()
    lists = campaigns.list_campaigns(user)
    return {"items": [serialize_campaign(campaign, user, name)
                      for name in PHASES if phase in (None, name)
                      for campaign in getattr(lists, name)]}


@bp.get("/campaigns/<campaign>")
@operation("getCampaign", "One campaign, by id or slug", tag="campaigns",
           responses={200: "Campaign"}, errors={404})
def get_campaign(campaign):
    user = current_user()
    return serialize_campaign(campaigns.get_campaign(user, campaign_ref(campaign)), user)
