from app.models import User
from app.extensions import db
from tests import factories
from tests.http.conftest import html_lang, text_of


def test_home_lists_campaigns_by_phase(client, admin):
    factories.make_campaign(admin, title="Open jam", phase="open")
    factories.make_campaign(admin, title="Future jam", phase="upcoming")
    factories.make_campaign(admin, title="Old jam", phase="closed")
    response = client.get("/")
    assert response.status_code == 200
    html = text_of(response)
    assert html.index("Open jam") < html.index("Future jam") < html.index("Old jam")
    assert "badge-open" in html and "badge-upcoming" in html and "badge-closed" in html
    assert "data-countdown=" in html
    assert "How could we launch new services faster?" in html


def test_home_hides_private_campaign_from_outsiders(client, admin, login):
    factories.make_campaign(admin, title="Partner secret", audience=("partner",), is_private=True)
    assert "Partner secret" not in text_of(client.get("/"))
    login(factories.make_user(kind=factories.ParticipantKind.PARTNER))
    assert "Partner secret" in text_of(client.get("/"))


def test_header_shows_login_or_name_and_admin_link(client, admin, login):
    html = text_of(client.get("/"))
    assert 'href="/login' in html and 'href="/register"' in html and "/admin/people" not in html
    login(admin)
    html = text_of(client.get("/"))
    assert admin.display_name in html and 'action="/logout"' in html and "/admin/people" in html


def test_pages_are_csp_friendly(client, campaign):
    html = text_of(client.get(f"/c/{campaign.slug}"))
    assert "<script>" not in html and "style=" not in html and " onclick" not in html
    assert 'name="csrf-token"' in html
    assert '<script src="/static/js/app.js" defer></script>' in html


def test_language_switch_changes_html_lang(client):
    assert html_lang(client.get("/")) == "en"
    response = client.post("/language", data={"locale": "zh_Hant", "next": "/"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert html_lang(client.get("/")) == "zh-Hant"


def test_language_switch_is_stored_on_the_user(client, member, login):
    login(member)
    client.post("/language", data={"locale": "zh_Hant", "next": "/"})
    assert db.session.get(User, member.id).locale == "zh_Hant"
    assert html_lang(client.get("/")) == "zh-Hant"


def test_language_switch_redirects_only_to_local_paths(client):
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/language", data={"locale": "en", "next": evil})
        assert response.status_code == 302
        assert response.headers["Location"] == "/"


def test_unknown_language_is_ignored_or_refused(client, member, login):
    client.post("/language", data={"locale": "xx", "next": "/"})
    assert html_lang(client.get("/")) == "en"
    login(member)
    assert client.post("/language", data={"locale": "xx", "next": "/"}).status_code == 404


def test_language_switch_is_post_only(client):
    assert client.get("/language?locale=zh_Hant").status_code == 405


def test_unknown_page_renders_error_template(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "We could not find that page." in text_of(response)
