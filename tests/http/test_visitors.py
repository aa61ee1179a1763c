"""Signed-out visitors: the campaign page says at the top what the jam is and how to join; a
link into a private campaign leads through the login page and back, and the redirect looks
the same for a private campaign and for one that does not exist."""

from app.domain import accounts
from app.models import ParticipantKind
from tests import factories
from tests.http.conftest import login_target, page_text, text_of


def test_a_visitor_reads_what_the_jam_is_and_how_to_join_near_the_top(client, campaign):
    factories.make_idea(campaign, title="An idea further down")
    page = page_text(client.get(f"/c/{campaign.slug}"))
    welcome = page.index("data-visitor-welcome")
    assert "A jam is a time-boxed conversation" in page and "left)" in page
    assert welcome < page.index("An idea further down")
    assert page.index("Log in to post and vote") < page.index("An idea further down")
    assert f'href="/login?next=/c/{campaign.slug}' in page and "Join the jam" in page


def test_members_do_not_get_the_welcome(client, campaign, member, login):
    login(member)
    assert "data-visitor-welcome" not in text_of(client.get(f"/c/{campaign.slug}"))


def test_a_link_into_a_private_campaign_leads_through_the_login_page_and_back(client, app):
    private = factories.make_campaign(is_private=True, audience=("staff",))
    idea = factories.make_idea(private, factories.make_user(kind=ParticipantKind.STAFF))
    assert login_target(client.get(f"/c/{private.slug}")) == f"/c/{private.slug}"
    assert login_target(client.get(f"/ideas/{idea.id}")) == f"/ideas/{idea.id}"
    staff = factories.make_user(kind=ParticipantKind.STAFF)
    back = client.post("/login", data={"email": staff.email, "password": factories.PASSWORD,
                                       "next": f"/ideas/{idea.id}"})
    assert back.status_code == 302 and back.headers["Location"].endswith(f"/ideas/{idea.id}")
    assert client.get(f"/ideas/{idea.id}").status_code == 200


def test_the_redirect_tells_nothing_about_what_exists(client, app):
    private = factories.make_campaign(is_private=True, audience=("staff",))
    hidden_idea = factories.make_idea(private, factories.make_user(kind=ParticipantKind.STAFF))
    for real, made_up in ((f"/c/{private.slug}", "/c/no-such-jam"),
                          (f"/ideas/{hidden_idea.id}", "/ideas/987654"),
                          (f"/ideas/{hidden_idea.id}/versions", "/ideas/987654/versions")):
        first, second = client.get(real), client.get(made_up)
        assert (first.status_code, login_target(first)) == (302, real)
        assert (second.status_code, login_target(second)) == (302, made_up)
        assert sorted(first.headers.keys()) == sorted(second.headers.keys())


def test_signed_in_outsiders_the_api_and_scripts_still_get_404(client, login):
    private = factories.make_campaign(is_private=True, audience=("staff",))
    idea = factories.make_idea(private, factories.make_user(kind=ParticipantKind.STAFF))
    assert client.get(f"/api/v1/campaigns/{private.slug}").status_code == 404
    # A page's own script re-reading the page (live updates) learns it is gone.
    assert client.get(f"/ideas/{idea.id}", headers={"Sec-Fetch-Mode": "cors"}).status_code == 404
    assert login_target(client.get(f"/ideas/{idea.id}", headers={"Sec-Fetch-Mode": "navigate"}))
    assert client.get("/no/such/page").status_code == 404  # not a link into anything
    login(factories.make_user(kind=ParticipantKind.CUSTOMER))
    for path in (f"/c/{private.slug}", f"/ideas/{idea.id}", "/c/no-such-jam"):
        response = client.get(path)
        assert response.status_code == 404 and private.title not in text_of(response)


def test_a_registration_link_is_not_affected(client, app):
    token = accounts.make_registration_token("newcomer@example.com")
    assert client.get(f"/register/{token}").status_code == 200
