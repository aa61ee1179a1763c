import re

from app.domain import api_tokens
from app.extensions import db
from app.models import ApiToken, ParticipantKind, User
from tests import factories
from tests.http.conftest import html_lang, login_target, text_of


def test_public_profile_lists_visible_ideas_and_comments(client, admin, campaign):
    person = factories.make_user(display_name="Ada", department="R&D", country="TW")
    idea = factories.make_idea(campaign, person, title="Visible idea title")
    factories.make_comment(idea, person, body="Visible remark")
    private = factories.make_campaign(admin, audience=("partner",), is_private=True)
    hidden = factories.make_idea(private, factories.make_user(kind=ParticipantKind.PARTNER))
    factories.make_comment(hidden, factories.make_user(kind=ParticipantKind.PARTNER),
                           body="Hidden remark")
    response = client.get(f"/people/{person.id}")
    assert response.status_code == 200
    html = text_of(response)
    assert "Ada" in html and "R&amp;D" in html and "TW" in html and "Staff" in html
    assert "Visible idea title" in html and "Visible remark" in html
    assert hidden.title not in html and "Hidden remark" not in html


def test_profile_hides_private_campaign_work_from_outsiders(client, admin, login):
    partner = factories.make_user(kind=ParticipantKind.PARTNER, display_name="Pat")
    private = factories.make_campaign(admin, audience=("partner",), is_private=True)
    factories.make_idea(private, partner, title="Secret partner idea")
    assert "Secret partner idea" not in text_of(client.get(f"/people/{partner.id}"))
    login(partner)
    assert "Secret partner idea" in text_of(client.get(f"/people/{partner.id}"))


def test_unknown_person_404(client, login):
    assert login_target(client.get("/people/4242")) == "/people/4242"
    login(factories.make_user())
    assert client.get("/people/4242").status_code == 404


def test_settings_needs_login(client):
    response = client.get("/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login") and "next=" in response.headers["Location"]


def test_update_profile(client, member, login):
    login(member)
    page = text_of(client.get("/profile"))
    assert 'value="Asia/Taipei"' in page and member.email in page
    response = client.post("/profile", data={
        "display_name": "Mia M.", "department": "Sales", "country": "gb",
        "locale": "zh_Hant", "timezone": "Asia/Taipei"})
    assert response.status_code == 302
    user = db.session.get(User, member.id)
    assert (user.display_name, user.department, user.country, user.locale, user.timezone) == (
        "Mia M.", "Sales", "GB", "zh_Hant", "Asia/Taipei")
    assert html_lang(client.get("/profile")) == "zh-Hant"


def test_invalid_profile_rerenders(client, member, login):
    login(member)
    response = client.post("/profile", data={"display_name": "", "country": "GBR",
                                             "timezone": "Mars/Olympus"})
    assert response.status_code == 422
    html = text_of(response)
    assert 'id="display_name-error"' in html and 'id="country-error"' in html
    assert "Choose a time zone from the list." in html
    assert db.session.get(User, member.id).display_name == "Mia Member"


def test_create_token_shows_plaintext_once(client, member, login):
    login(member)
    response = client.post("/profile/tokens", data={"name": "reporting script"})
    assert response.status_code == 201
    match = re.search(r'value="(ij_[^"]+)"', text_of(response))
    assert match
    plaintext = match.group(1)
    assert api_tokens.user_for_token(plaintext).id == member.id
    again = text_of(client.get("/profile"))
    assert "reporting script" in again and plaintext not in again
    assert plaintext not in str(client.get_cookie("session"))  # never kept in the session


def test_token_name_required(client, member, login):
    login(member)
    response = client.post("/profile/tokens", data={"name": ""})
    assert response.status_code == 422 and 'id="name-error"' in text_of(response)
    assert db.session.query(ApiToken).count() == 0


def test_revoke_token(client, member, login):
    token, plaintext = api_tokens.create_api_token(member, name="old")
    login(member)
    assert client.post(f"/profile/tokens/{token.id}/revoke").status_code == 302
    assert api_tokens.user_for_token(plaintext) is None


def test_cannot_revoke_someone_elses_token(client, member, login):
    other = factories.make_user()
    token, plaintext = api_tokens.create_api_token(other, name="theirs")
    login(member)
    assert client.post(f"/profile/tokens/{token.id}/revoke").status_code == 404
    assert api_tokens.user_for_token(plaintext).id == other.id
