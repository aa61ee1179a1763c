from app.domain import invites
from app.extensions import db
from app.models import Invite, ParticipantKind, Role, User
from tests import factories
from tests.http.conftest import text_of

ADMIN_PAGES = ["/admin/people", "/admin/invites"]


def test_admin_pages_are_403_for_participants(client, member, login):
    login(member)
    for url in ADMIN_PAGES:
        assert client.get(url).status_code == 403
    assert client.post("/admin/invites", data={"kind": "staff", "max_uses": 1,
                                               "expires_in_days": 1}).status_code == 403
    assert client.post(f"/admin/people/{member.id}", data={f"p{member.id}-role": "admin"}).status_code == 403
    assert db.session.get(User, member.id).role is Role.PARTICIPANT
    assert db.session.query(Invite).count() == 0


def test_admin_pages_redirect_anonymous_to_login(client):
    for url in ADMIN_PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_people_list_search_and_pagination(client, admin, login):
    for n in range(55):
        factories.make_user(display_name=f"Worker {n:02d}")
    factories.make_user(display_name="Zelda Unique")
    login(admin)
    html = text_of(client.get("/admin/people"))
    assert "Page 1 of 2" in html and "57 people" in html
    assert "Zelda Unique" in html
    html = text_of(client.get("/admin/people?q=zelda"))
    assert "Zelda Unique" in html and "Worker 01" not in html and "1 person" in html
    assert "Worker 00" in text_of(client.get("/admin/people?page=2"))


def test_admin_changes_role_kind_and_active(client, admin, member, login):
    login(admin)
    response = client.post(f"/admin/people/{member.id}", data={
        f"p{member.id}-role": "moderator", f"p{member.id}-kind": "partner",
        f"p{member.id}-next": "/admin/people?q=mia"})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/people?q=mia"
    person = db.session.get(User, member.id)
    assert person.role is Role.MODERATOR and person.kind is ParticipantKind.PARTNER
    assert person.active is False  # the unchecked box deactivates


def test_deactivation_ends_sessions(app, client, admin, member, login):
    other = app.test_client()
    other.post("/login", data={"email": member.email, "password": factories.PASSWORD})
    assert other.get("/profile").status_code == 200
    login(admin)
    client.post(f"/admin/people/{member.id}", data={
        f"p{member.id}-role": "participant", f"p{member.id}-kind": "staff"})
    assert other.get("/profile").status_code == 302


def test_admin_cannot_demote_self(client, admin, login):
    login(admin)
    response = client.post(f"/admin/people/{admin.id}", data={
        f"p{admin.id}-role": "participant", f"p{admin.id}-kind": "staff", f"p{admin.id}-active": "y"},
        follow_redirects=True)
    assert "You cannot remove your own admin rights" in text_of(response)
    assert db.session.get(User, admin.id).role is Role.ADMIN


def test_create_invite_shows_full_url(client, admin, login):
    login(admin)
    assert client.get("/admin/invites").status_code == 200
    response = client.post("/admin/invites", data={"kind": "partner", "max_uses": "10",
                                                   "expires_in_days": "14"}, follow_redirects=True)
    invite = db.session.query(Invite).one()
    assert invite.kind is ParticipantKind.PARTNER and invite.max_uses == 10
    assert f"http://localhost/register?invite={invite.code}" in text_of(response)


def test_invalid_invite_rerenders(client, admin, login):
    login(admin)
    response = client.post("/admin/invites", data={"kind": "partner", "max_uses": "0",
                                                   "expires_in_days": "abc"})
    assert response.status_code == 422
    html = text_of(response)
    assert 'id="expires_in_days-error"' in html
    assert db.session.query(Invite).count() == 0
    response = client.post("/admin/invites", data={"kind": "martian", "max_uses": "0",
                                                   "expires_in_days": "3"})
    assert response.status_code == 422
    html = text_of(response)
    assert 'id="max_uses-error"' in html and 'id="kind-error"' in html


def test_revoke_invite(client, admin, login):
    invite = invites.create_invite(admin, kind="staff", max_uses=5, expires_in_days=5)
    login(admin)
    assert client.post(f"/admin/invites/{invite.id}/revoke").status_code == 302
    assert not invites.is_usable(db.session.get(Invite, invite.id))
    assert "Revoked" in text_of(client.get("/admin/invites"))


def test_form_library_messages_are_in_traditional_chinese(client, admin, login):
    login(admin)
    client.post("/language", data={"locale": "zh_Hant"})
    response = client.post("/admin/invites", data={"kind": "partner", "max_uses": "many",
                                                   "expires_in_days": "3"})
    html = text_of(response)
    assert response.status_code == 422
    assert "不是有效的整數值" in html  # WTForms' zh_TW catalogue, not Simplified "整数"
    assert "整数" not in html
