"""A campaign's rules for taking part: its code of conduct, which participant kinds are
pre-moderated, and its pace limits. Moderators and admins set them."""
from flask_babel import lazy_gettext as _l

from app.domain import audit, campaigns, limits, permissions
from app.domain.errors import PermissionDenied
from app.domain.text import clean_block, render_markdown
from app.domain.validation import FieldErrors
from app.extensions import db
from app.models import CampaignPremoderation, ParticipantKind

CONDUCT_MAX = 20_000


def rules_of(campaign) -> dict:
    return {"code_of_conduct": campaign.code_of_conduct,
            "code_of_conduct_translation": campaign.code_of_conduct_translation,
            "premoderated_kinds": sorted(k.value for k in campaign.premoderated_kinds),
            **limits.limits_of(campaign)}


def _whole(errors, name, value):
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limits.LIMIT_MAX:
        errors.add(name, _l("Enter a whole number from %(low)d to %(high)d.", low=1,
                            high=limits.LIMIT_MAX))
        return None
    return value


def update_campaign_rules(actor, campaign_id, *, code_of_conduct, premoderated_kinds,
                          ideas_per_hour, comments_per_minute, flags_per_day,
                          code_of_conduct_translation=None):
    """Set a campaign's code of conduct, pre-moderated kinds and pace limits; audited.
    ``code_of_conduct_translation`` is the code in the campaign's other language (None keeps
    it); participants accept whichever they read, once."""
    campaign = campaigns.get_campaign(actor, campaign_id)
    if not permissions.can_set_campaign_rules(actor, campaign):
        raise PermissionDenied()
    errors = FieldErrors()
    conduct = errors.text("code_of_conduct", clean_block(code_of_conduct or ""),
                          max_length=CONDUCT_MAX, required=False)
    if code_of_conduct_translation is None:
        code_of_conduct_translation = campaign.code_of_conduct_translation
    translation = errors.text("code_of_conduct_translation", clean_block(code_of_conduct_translation),
                              max_length=CONDUCT_MAX, required=False) or ""
    kinds = set()
    for value in premoderated_kinds or ():
        try:
            kinds.add(value if isinstance(value, ParticipantKind) else ParticipantKind(value))
        except ValueError:
            errors.add("premoderated_kinds", _l("Choose staff, partner or customer."))
    numbers = {field: _whole(errors, name, value) for name, field, value in (
        ("ideas_per_hour", limits.IDEAS.field, ideas_per_hour),
        ("comments_per_minute", limits.COMMENTS.field, comments_per_minute),
        ("flags_per_day", limits.FLAGS.field, flags_per_day))}
    errors.raise_if_any()
    before = rules_of(campaign)
    campaign.code_of_conduct, campaign.code_of_conduct_html = conduct, render_markdown(conduct)
    campaign.code_of_conduct_translation = translation
    campaign.code_of_conduct_translation_html = render_markdown(translation)
    campaign.premoderation = [CampaignPremoderation(kind=k) for k in sorted(kinds, key=lambda k: k.value)]
    for field, value in numbers.items():
        setattr(campaign, field, value)
    db.session.flush()
    audit.record_audit(actor, "campaign.rules", target_type="campaign", target_id=campaign.id,
                       campaign_id=campaign.id, before=before, after=rules_of(campaign))
    db.session.commit()
    return campaign
