"""Dashboard pages, the wall, the summary and the export downloads, through HTTP."""
import csv
import io
import json
import re

import pytest

from app.extensions import db
from app.models import ParticipantKind, Role
from tests import factories
from tests.http.conftest import page_text, statements_for, text_of


@pytest.fixture
def executive(app):
    return factories.make_user(role=Role.EXECUTIVE, display_name="Eve Executive")


@pytest.fixture
def busy(campaign):
    author = factories.make_user(display_name="Ada Author", kind=ParticipantKind.PARTNER, department="Retail")
    idea = factories.make_idea(campaign, author, title="Self-service number porting", tags=["porting"])
    factories.make_vote(idea)
    factories.make_comment(idea, body="Yes!")
    return idea


def test_an_executive_sees_the_whole_campaign_dashboard(client, campaign, busy, executive, login):
    login(executive)
    response = client.get(f"/c/{campaign.slug}/dashboard")
    assert response.status_code == 200
    html = page_text(response)
    for part in ("Leaderboard", "Rising in the last hour", "Participation over time",
                 "From idea to implementation", "Most active tags", "Who takes part", "Top contributors",
                 "Self-service number porting", "Ada Author", "#porting", "Retail"):
        assert part in html, part
    assert "<svg" in html and 'role="img"' in html  # charts drawn on the server
    assert f'data-campaign-id="{campaign.id}"' in html  # the live stream follows this campaign
    assert f'/c/{campaign.slug}/ideas.csv' in html and f'/c/{campaign.slug}/wall' in html
    assert "Themes so far" in html and "data-themes-section" in html  # live through the same stream


def test_participants_see_the_ideas_but_not_the_people(client, campaign, busy, member, login):
    login(member)
    html = page_text(client.get(f"/c/{campaign.slug}/dashboard"))
    assert "Self-service number porting" in html
    for hidden in ("Who takes part", "Top contributors", "Ada Author", "Active people", "New voices",
                   "ideas.csv"):
        assert hidden not in html, hidden


def test_a_campaign_may_keep_its_dashboard_to_organisers(client, campaign, busy, member, executive, login):
    campaign.public_leaderboard = False
    db.session.commit()
    # Signed out, the login page first (an organiser may see it); signed in, a 404.
    signed_out = client.get(f"/c/{campaign.slug}/dashboard")
    assert signed_out.status_code == 302 and signed_out.headers["Location"].startswith("/login?next=")
    login(member)
    assert client.get(f"/c/{campaign.slug}/dashboard").status_code == 404
    assert "/dashboard" not in text_of(client.get(f"/c/{campaign.slug}"))
    login(executive)
    assert client.get(f"/c/{campaign.slug}/dashboard").status_code == 200


def test_the_site_dashboard_is_for_organisers(client, campaign, busy, member, executive, login):
    assert client.get("/dashboard").status_code == 302  # to the login page
    login(member)
    assert client.get("/dashboard").status_code == 403
    login(executive)
    html = page_text(client.get("/dashboard?sort=discussed"))
    assert campaign.title in html and "Self-service number porting" in html
    assert 'data-site-dashboard' in html


def test_the_live_refresh_gets_the_panel_alone(client, campaign, busy, executive, login):
    login(executive)
    panel = text_of(client.get(f"/c/{campaign.slug}/dashboard?partial=1"))
    assert panel.lstrip().startswith("<div class=\"dashboard-panel\"") and "<html" not in panel
    wall = text_of(client.get(f"/c/{campaign.slug}/wall?partial=1"))
    assert wall.lstrip().startswith("<div class=\"wall-slides\"")
    assert text_of(client.get("/dashboard?partial=1")).lstrip().startswith("<div class=\"dashboard-panel\"")


def test_wall_mode_has_three_slides_and_no_inline_script(client, campaign, busy, executive, login):
    login(executive)
    response = client.get(f"/c/{campaign.slug}/wall")
    html = text_of(response)
    assert response.status_code == 200
    assert html.count("data-slide=") == 3 and "data-rotate-seconds" in html
    assert "<script>" not in html and "onclick" not in html
    assert client.get("/dashboard/wall").status_code == 200


def test_the_summary_prints_on_one_page(client, campaign, busy, executive, login):
    login(executive)
    html = page_text(client.get(f"/c/{campaign.slug}/summary"))
    assert campaign.question in html and "Self-service number porting" in html and "Top ideas" in html


def test_exports_download_csv_and_json(client, campaign, busy, executive, login):
    login(executive)
    response = client.get(f"/c/{campaign.slug}/ideas.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f'filename="{campaign.slug}-ideas.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0]["title"] == "Self-service number porting" and rows[0]["author_kind"] == "partner"
    data = json.loads(client.get(f"/c/{campaign.slug}/ideas.json").get_data(as_text=True))
    assert data[0]["comments"] == 1 and data[0]["up_votes"] == 1


def test_participants_cannot_download_exports(client, campaign, busy, member, login):
    assert client.get(f"/c/{campaign.slug}/ideas.csv").status_code == 302
    login(member)
    assert client.get(f"/c/{campaign.slug}/ideas.csv").status_code == 403
    assert client.get(f"/c/{campaign.slug}/ideas.json").status_code == 403


def test_a_dashboard_in_chinese(client, campaign, busy, executive, login):
    login(executive)
    client.post("/language", data={"locale": "zh_Hant"})
    html = page_text(client.get(f"/c/{campaign.slug}/dashboard"))
    for words in ("排行榜", "參與情況", "誰在參與", "從點子到落實"):
        assert words in html, words


def test_the_campaign_form_sets_whether_participants_see_the_dashboard(client, campaign, admin, login):
    login(admin)
    html = text_of(client.get(f"/c/{campaign.slug}/edit"))
    checkbox = re.search(r'<input[^>]*name="public_leaderboard"[^>]*>', html).group(0)
    assert "checked" in checkbox
    response = client.post(f"/c/{campaign.slug}/edit", data={
        "title": campaign.title, "question": campaign.question, "description": "",
        "starts_at": "2030-01-01T00:00", "ends_at": "2030-01-05T00:00", "audience": ["staff"],
        "voting_mode": "both"})
    assert response.status_code == 302
    db.session.refresh(campaign)
    assert campaign.public_leaderboard is False  # an unticked box turns it off


def test_the_wall_page_carries_what_its_scripts_read(client, campaign, executive, login):
    login(executive)
    for path in ("/dashboard/wall?rotate=2", f"/c/{campaign.slug}/wall"):
        body = re.search(r"<body[^>]*>", text_of(client.get(path))).group(0)
        for attribute in ("data-user-id=", "data-wall", "data-rotate-seconds="):
            assert re.search(rf"\s{attribute}", body), (path, attribute)
    assert 'data-rotate-seconds="2"' in text_of(client.get("/dashboard/wall?rotate=2"))
    assert 'data-rotate-seconds="1"' in text_of(client.get("/dashboard/wall?rotate=0"))


@pytest.mark.parametrize("path", ["/c/{slug}/dashboard", "/dashboard", "/c/{slug}/wall"])
def test_no_query_per_row_however_big_the_jam(client, campaign, executive, login, path):
    """The dashboards read a fixed number of statements whatever the number of ideas,
    comments, voters and tags (no statement per row)."""
    path = path.format(slug=campaign.slug)
    login(executive)

    def grow(n):
        for k in range(n):
            author = factories.make_user(department=f"Dept {k % 11}", country=["TW", "GB", "US"][k % 3])
            idea = factories.make_idea(campaign, author, title=f"Idea {k} grows the jam", tags=[f"t{k % 13}"])
            factories.make_vote(idea)
            factories.make_comment(idea)

    grow(4)
    small = statements_for(client, path)
    grow(20)
    assert statements_for(client, path) == small
    assert small <= 30, small
