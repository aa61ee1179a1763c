"""A campaign's rules for taking part: its code of conduct, pre-moderation and pace limits."""
from flask_babel import lazy_gettext as _l

from app.api import bp
from app.api.auth import current_user, token_required
from app.api.openapi import operation, register_schema
from app.api.parsing import body, campaign_ref
from app.api.schemas import KINDS
from app.domain import campaigns, conduct, limits, rules

LIMIT = {"type": "integer", "minimum": 1, "maximum": limits.LIMIT_MAX}
_FIELDS = ("code_of_conduct", "premoderated_kinds", "ideas_per_hour", "comments_per_minute",
           "flags_per_day")
_OPTIONAL = ("code_of_conduct_translation",)
_TRANSLATION_NOTE = ("The code of conduct in the campaign's other language (see the campaign's "
                     "`language`): Chinese when the campaign's texts are English, else English. "
                     "Readers get the one in their language.")

register_schema("CampaignRules", {
    "type": "object",
    "required": ["campaign_id", "code_of_conduct", "code_of_conduct_html",
                 "code_of_conduct_translation", "code_of_conduct_translation_html", "acceptance_needed",
                 "premoderated_kinds", "ideas_per_hour", "comments_per_minute", "flags_per_day"],
    "additionalProperties": False,
    "properties": {
        "campaign_id": {"type": "integer"},
        "code_of_conduct": {"type": "string", "description": "Markdown source; empty for none."},
        "code_of_conduct_html": {"type": "string", "description": "Sanitised HTML."},
        "code_of_conduct_translation": {"type": "string",
                                        "description": "Markdown; empty for none. " + _TRANSLATION_NOTE},
        "code_of_conduct_translation_html": {"type": "string", "description": "Sanitised HTML."},
        "acceptance_needed": {"type": "boolean",
                              "description": "The caller must accept the code of conduct before "
                                             "posting (always true for anonymous callers when "
                                             "there is a code)."},
        "premoderated_kinds": {"type": "array", "items": {"type": "string", "enum": KINDS},
                               "description": "Participant kinds whose posts wait for a "
                                              "moderator's approval."},
        "ideas_per_hour": {**LIMIT, "description": "Per person; halved for accounts younger "
                                                   "than a week. Moderators are not limited."},
        "comments_per_minute": LIMIT,
        "flags_per_day": LIMIT,
    },
})

register_schema("CampaignRulesInput", {
    "type": "object",
    "description": "The campaign's whole rules: every field is needed, except "
                   "`code_of_conduct_translation` (left out, it stays as it is).",
    "required": list(_FIELDS),
    "additionalProperties": False,
    "properties": {
        "code_of_conduct": {"type": "string", "maxLength": rules.CONDUCT_MAX,
                            "description": "Markdown; empty for none."},
        "code_of_conduct_translation": {"type": "string", "maxLength": rules.CONDUCT_MAX,
                                        "description": "Markdown; empty for none. " + _TRANSLATION_NOTE},
        "premoderated_kinds": {"type": "array",
                               "items": {"type": "string", "enum": KINDS}},
        "ideas_per_hour": LIMIT,
        "comments_per_minute": LIMIT,
        "flags_per_day": LIMIT,
    },
})


def serialize_rules(campaign, user):
    return {"campaign_id": campaign.id, **rules.rules_of(campaign),
            "code_of_conduct_html": campaign.code_of_conduct_html or "",
            "code_of_conduct_translation_html": campaign.code_of_conduct_translation_html or "",
            "acceptance_needed": conduct.needs_acceptance(user, campaign)}


RULES_PATH = "/campaigns/<campaign>/rules"


@bp.get(RULES_PATH)
@operation("getCampaignRules", "A campaign's code of conduct, pre-moderation and pace limits",
           tag="campaigns", responses={200: "CampaignRules"}, errors={404})
def get_campaign_rules(campaign):
    user = current_user()
    return serialize_rules(campaigns.get_campaign(user, campaign_ref(campaign)), user)


@bp.put(RULES_PATH)
@operation("setCampaignRules", "Set a campaign's rules (moderators and admins)",
           tag="moderation", auth="required", body="CampaignRulesInput",
           responses={200: "CampaignRules"}, errors={403, 404},
           description="Replaces the code of conduct, the pre-moderated kinds and the pace "
                       "limits; the change is kept in the audit log.")
@token_required
def set_campaign_rules(campaign):
    data = body(*_FIELDS, *_OPTIONAL)
    code = data.text("code_of_conduct")
    translation = data.text("code_of_conduct_translation")
    kinds = data.text_list("premoderated_kinds", _l("Choose staff, partner or customer."))
    data.require(*_FIELDS)
    data.check()
    user = current_user()
    updated = rules.update_campaign_rules(
        user, campaign_ref(campaign), code_of_conduct=code, premoderated_kinds=kinds,
        ideas_per_hour=data.raw("ideas_per_hour"),
        comments_per_minute=data.raw("comments_per_minute"),
        flags_per_day=data.raw("flags_per_day"), code_of_conduct_translation=translation)
    return serialize_rules(updated, user)


@bp.post("/campaigns/<campaign>/code-of-conduct/acceptance")
@operation("acceptCodeOfConduct", "Accept a campaign's code of conduct", tag="campaigns",
           auth="required", responses={200: "CampaignRules"}, errors={404},
           description="Needed once per campaign before posting (or send "
                       "`accept_code_of_conduct: true` with the first idea or comment). "
                       "Accepting again changes nothing.")
@token_required
def accept_code_of_conduct(campaign):
    user = current_user()
    return serialize_rules(conduct.accept_code_of_conduct(user, campaign_ref(campaign)), user)
