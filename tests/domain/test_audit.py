import pytest
from sqlalchemy import func, select

from app.domain import accounts, audit, campaigns, invites
from app.domain.errors import PermissionDenied, ValidationError
from app.extensions import db
from app.models import AuditEntry, AuditLogIsAppendOnly, Role
from tests import factories as f


def actions():
    return [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_admin_and_moderator_actions_are_logged(app, admin):
    campaign = f.make_campaign(admin)
    person = f.make_user()
    accounts.update_person(admin, person.id, role="moderator")
    invite = invites.create_invite(admin, kind="partner", max_uses=3, expires_in_days=2)
    invites.revoke_invite(admin, invite.id)
    campaigns.close_campaign(admin, campaign.id)
    assert actions() == ["campaign.create", "person.update", "invite.create", "invite.revoke",
                         "campaign.close"]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "person.update")).one()
    assert entry.before["role"] == "participant" and entry.after["role"] == "moderator"


def test_refused_actions_leave_no_entry(app, admin):
    with pytest.raises(ValidationError):
        invites.create_invite(admin, kind="martian", max_uses=1, expires_in_days=1)
    assert actions() == []


def test_entries_cannot_be_changed_or_deleted(app, admin):
    f.make_campaign(admin)
    entry = db.session.scalars(select(AuditEntry)).one()
    entry.reason = "rewritten history"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.scalars(select(AuditEntry)).one())
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1


def test_only_admins_browse_and_export(app, admin):
    f.make_campaign(admin)
    for role in (Role.MODERATOR, Role.EXECUTIVE, Role.PARTICIPANT):
        with pytest.raises(PermissionDenied):
            audit.list_audit_entries(f.make_user(role=role))
    page = audit.list_audit_entries(admin, action="campaign.create")
    assert page.total == 1
    csv_text = audit.export_audit_csv(admin)
    assert csv_text.splitlines()[0].startswith("id,created_at,actor_id,action")
    assert "campaign.create" in csv_text


def test_filters_are_validated(app, admin):
    with pytest.raises(ValidationError) as info:
        audit.list_audit_entries(admin, actor_id="x", campaign_id="-3")
    assert set(info.value.fields) == {"actor_id", "campaign_id"}


def test_export_defuses_spreadsheet_formulas(app, admin):
    from app.domain import moderation

    campaign = f.make_campaign(admin)
    idea = f.make_idea(campaign)
    moderation.change_idea_status(admin, idea.id, status="declined", note="=HYPERLINK(\"x\")")
    assert "'=HYPERLINK" in audit.export_audit_csv(admin, action="idea.status")
