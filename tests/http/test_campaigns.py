from datetime import datetime, timedelta, timezone

from app.domain import campaigns as campaign_domain
from app.extensions import db
from app.models import Campaign, Idea, ParticipantKind, Role
from tests import factories
from tests.http.conftest import login_target, text_of


def test_campaign_page_shows_details_and_ideas(client, campaign):
    idea = factories.make_idea(campaign, title="Faster onboarding", tags=["mobile"])
    response = client.get(f"/c/{campaign.slug}")
    assert response.status_code == 200
    html = text_of(response)
    assert campaign.title in html and campaign.question in html
    assert "<strong>best</strong>" in html  # description_html
    assert "Faster onboarding" in html and f'href="/ideas/{idea.id}"' in html
    assert "#mobile" in html and "1 idea" in html
    assert f'data-countdown="' in html
    assert "Log in</a> or" in html  # anonymous: told how to take part
    assert 'action="/c/' + campaign.slug + '/ideas"' not in html


def test_unknown_campaign_is_404(client, login):
    # Signed out: the login page, as for a private campaign, so nothing tells them apart.
    assert login_target(client.get("/c/no-such-campaign")) == "/c/no-such-campaign"
    login(factories.make_user())
    assert client.get("/c/no-such-campaign").status_code == 404


def test_private_campaign_is_404_for_outsiders(client, admin, login):
    private = factories.make_campaign(admin, audience=("partner",), is_private=True)
    assert login_target(client.get(f"/c/{private.slug}")) == f"/c/{private.slug}"
    login(factories.make_user(kind=ParticipantKind.STAFF))
    assert client.get(f"/c/{private.slug}").status_code == 404


def test_private_campaign_visible_to_audience(client, admin, login):
    private = factories.make_campaign(admin, audience=("partner",), is_private=True)
    login(factories.make_user(kind=ParticipantKind.PARTNER))
    response = client.get(f"/c/{private.slug}")
    assert response.status_code == 200 and "Private" in text_of(response)


def test_sort_tag_search_and_pagination(app, client, campaign):
    app.config["IDEAS_PER_PAGE"] = 2
    a = factories.make_idea(campaign, title="Alpha launch plan", tags=["billing"])
    b = factories.make_idea(campaign, title="Beta support desk")
    c = factories.make_idea(campaign, title="Gamma launch party")
    factories.make_vote(b)
    html = text_of(client.get(f"/c/{campaign.slug}?sort=top"))
    assert html.index(b.title) < html.index(c.title)
    assert "Page 1 of 2" in html and "3 ideas" in html
    html = text_of(client.get(f"/c/{campaign.slug}?sort=newest&page=2"))
    assert a.title in html and b.title not in html
    html = text_of(client.get(f"/c/{campaign.slug}?tag=billing"))
    assert a.title in html and b.title not in html and "1 idea" in html
    html = text_of(client.get(f"/c/{campaign.slug}?q=launch"))
    assert a.title in html and c.title in html and b.title not in html
    assert client.get(f"/c/{campaign.slug}?sort=bogus&page=x").status_code == 200


def test_post_idea_success(client, campaign, member, login):
    login(member)
    page = text_of(client.get(f"/c/{campaign.slug}"))
    assert f'action="/c/{campaign.slug}/ideas"' in page
    response = client.post(f"/c/{campaign.slug}/ideas", data={
        "title": "Self-service top-ups", "body": "Let people **top up** online.", "tags": "billing, Mobile"})
    assert response.status_code == 302
    idea = db.session.query(Idea).one()
    assert response.headers["Location"] == f"/ideas/{idea.id}"
    assert idea.author_id == member.id and [t.name for t in idea.tags] == ["billing", "mobile"]


def test_invalid_idea_rerenders_with_field_message_and_writes_nothing(client, campaign, member, login):
    login(member)
    response = client.post(f"/c/{campaign.slug}/ideas", data={"title": "Hi", "body": "", "tags": ""})
    assert response.status_code == 422
    html = text_of(response)
    assert 'id="title-error"' in html and "Use at least 5 characters." in html
    assert 'id="body-error"' in html and "This field is required." in html
    assert 'value="Hi"' in html  # what the person typed is kept
    assert db.session.query(Idea).count() == 0


def test_post_idea_requires_login(client, campaign):
    response = client.post(f"/c/{campaign.slug}/ideas", data={"title": "An idea", "body": "Text"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.query(Idea).count() == 0


def test_closed_campaign_is_read_only_and_shows_results(client, admin, member, login):
    campaign = factories.make_campaign(admin, phase="open")
    winner = factories.make_idea(campaign, title="The winning idea")
    factories.make_vote(winner)
    campaign_domain.close_campaign(admin, campaign.id)
    login(member)
    html = text_of(client.get(f"/c/{campaign.slug}"))
    assert "Results" in html and "The winning idea" in html
    assert "This campaign has closed and is now read-only." in html
    assert f'action="/c/{campaign.slug}/ideas"' not in html
    assert 'data-vote-form' not in html
    response = client.post(f"/c/{campaign.slug}/ideas", data={"title": "Too late idea", "body": "x"})
    assert response.status_code == 409
    assert db.session.query(Idea).count() == 1


def test_upcoming_campaign_says_not_open_yet(client, admin, member, login):
    campaign = factories.make_campaign(admin, phase="upcoming")
    login(member)
    html = text_of(client.get(f"/c/{campaign.slug}"))
    assert "has not opened yet" in html


def test_other_audience_can_read_but_not_take_part(client, admin, login):
    campaign = factories.make_campaign(admin, audience=("partner",))
    login(factories.make_user(kind=ParticipantKind.CUSTOMER))
    html = text_of(client.get(f"/c/{campaign.slug}"))
    assert "open to a different audience" in html
    response = client.post(f"/c/{campaign.slug}/ideas", data={"title": "Not for me", "body": "x"})
    assert response.status_code == 403


def test_moderator_closes_and_extends(client, campaign, login):
    moderator = factories.make_user(role=Role.MODERATOR)
    login(moderator)
    html = text_of(client.get(f"/c/{campaign.slug}"))
    assert f'action="/c/{campaign.slug}/close"' in html and "Edit campaign" not in html
    response = client.post(f"/c/{campaign.slug}/close")
    assert response.status_code == 302
    assert campaign_domain.campaign_phase(db.session.get(Campaign, campaign.id)).value == "closed"
    new_end = (datetime.now(timezone.utc) + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/c/{campaign.slug}/extend", data={"ends_at": new_end})
    assert response.status_code == 302
    assert campaign_domain.campaign_phase(db.session.get(Campaign, campaign.id)).value == "open"


def test_extend_into_the_past_is_refused(client, campaign, admin, login):
    login(admin)
    response = client.post(f"/c/{campaign.slug}/extend", data={"ends_at": "2020-01-01T10:00"})
    assert response.status_code == 422
    assert "The new end must be later" in text_of(response)


def test_open_early(client, admin, login):
    campaign = factories.make_campaign(admin, phase="upcoming")
    login(admin)
    assert client.post(f"/c/{campaign.slug}/open").status_code == 302
    assert campaign_domain.campaign_phase(db.session.get(Campaign, campaign.id)).value == "open"


def test_participant_cannot_change_phase(client, campaign, member, login):
    login(member)
    assert f"/c/{campaign.slug}/close" not in text_of(client.get(f"/c/{campaign.slug}"))
    assert client.post(f"/c/{campaign.slug}/close").status_code == 403


def test_admin_creates_campaign_in_own_time_zone(client, admin, login):
    admin.timezone = "Asia/Taipei"
    db.session.commit()
    login(admin)
    assert client.get("/campaigns/new").status_code == 200
    response = client.post("/campaigns/new", data={
        "title": "Customer care jam", "question": "How can we help customers faster?",
        "description": "Tell us.", "starts_at": "2030-03-01T09:00", "ends_at": "2030-03-08T18:00",
        "audience": ["staff", "partner"], "is_private": "y"})
    assert response.status_code == 302
    campaign = db.session.query(Campaign).filter_by(title="Customer care jam").one()
    assert campaign.starts_at == datetime(2030, 3, 1, 1, 0, tzinfo=timezone.utc)  # 09:00 in Taipei
    assert campaign.is_private and {k.value for k in campaign.audience_kinds} == {"staff", "partner"}
    assert response.headers["Location"] == f"/c/{campaign.slug}"


def test_create_campaign_validation(client, admin, login):
    login(admin)
    response = client.post("/campaigns/new", data={
        "title": "Jam", "question": "Why?", "starts_at": "2030-03-08T09:00", "ends_at": "2030-03-01T09:00"})
    assert response.status_code == 422
    html = text_of(response)
    assert "The end must come after the start." in html
    assert "Choose at least one kind of participant." in html
    assert db.session.query(Campaign).count() == 0


def test_participant_cannot_create_or_edit_campaigns(client, campaign, member, login):
    login(member)
    assert client.get("/campaigns/new").status_code == 403
    assert client.get(f"/c/{campaign.slug}/edit").status_code == 403
    assert client.post("/campaigns/new", data={"title": "Sneaky jam"}).status_code == 403


def test_admin_edits_campaign(client, campaign, admin, login):
    login(admin)
    page = text_of(client.get(f"/c/{campaign.slug}/edit"))
    assert campaign.question in page and 'type="datetime-local"' in page
    response = client.post(f"/c/{campaign.slug}/edit", data={
        "title": "Renamed jam", "question": campaign.question, "description": "New text",
        "starts_at": "2030-01-01T00:00", "ends_at": "2030-01-05T00:00", "audience": ["customer"]})
    assert response.status_code == 302
    updated = db.session.get(Campaign, campaign.id)
    assert updated.title == "Renamed jam" and not updated.is_private
    assert {k.value for k in updated.audience_kinds} == {"customer"}
