"""Codes of conduct: a campaign's rules, accepted once before a person's first post in it."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.domain import campaigns, permissions
from app.domain.clock import utcnow
from app.domain.errors import AuthenticationRequired, ValidationError
from app.extensions import db
from app.models import ConductAcceptance

FIELD = "accept_code_of_conduct"


def has_accepted(user, campaign) -> bool:
    if not permissions.is_authenticated(user):
        return False
    return db.session.scalar(select(ConductAcceptance.user_id).where(
        ConductAcceptance.user_id == user.id, ConductAcceptance.campaign_id == campaign.id)) is not None


def needs_acceptance(user, campaign) -> bool:
    """The campaign has a code of conduct this person has not accepted yet."""
    has_code = bool(campaign.code_of_conduct or campaign.code_of_conduct_translation)
    return has_code and not has_accepted(user, campaign)


def ensure_conduct_accepted(user, campaign, accept=False):
    """Before a post: record the acceptance given with it (``accept``), or refuse the post.
    Runs inside the post's transaction, so a refused post records no acceptance."""
    if not needs_acceptance(user, campaign):
        return
    if not accept:
        raise ValidationError(
            _l("Please read and accept the campaign's code of conduct first."),
            code="conduct_not_accepted",
            fields={FIELD: _l("Please read and accept the campaign's code of conduct first.")})
    db.session.add(ConductAcceptance(user_id=user.id, campaign_id=campaign.id, accepted_at=utcnow()))


def accept_code_of_conduct(user, campaign_id):
    """Accept a campaign's code of conduct on its own (harmless when already accepted)."""
    if not permissions.is_authenticated(user):
        raise AuthenticationRequired()
    campaign = campaigns.get_campaign(user, campaign_id)
    ensure_conduct_accepted(user, campaign, accept=True)
    db.session.commit()
    return campaign
