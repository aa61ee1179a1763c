"""Pages: "Themes so far" on the campaign page, the themes page with moderators' renames and
merges, the similar ideas of the idea form, and likely duplicates in the moderation queue."""
from urllib.parse import quote

from app.domain import themes
from app.extensions import db
from app.models import Idea, ParticipantKind, Theme
from tests import factories
from tests.http.conftest import login_target, page_text, text_of
from tests.themes_data import seed, theme_of


def test_the_campaign_page_shows_themes_so_far(client, campaign):
    page = text_of(client.get(f"/c/{campaign.slug}"))
    assert "Themes so far" in page and "No themes yet" in page
    roaming = seed(campaign)[1]
    themes.refresh_themes(campaign.id)
    page = page_text(client.get(f"/c/{campaign.slug}"))
    assert "No themes yet" not in page
    assert f'data-theme-id="{theme_of(roaming[0])}"' in page
    assert f'data-url="/c/{campaign.slug}/themes/summary"' in page
    assert f'href="/c/{campaign.slug}/themes"' in page


def test_the_summary_fragment_is_the_section_alone(client, campaign):
    seed(campaign)
    themes.refresh_themes(campaign.id)
    response = client.get(f"/c/{campaign.slug}/themes/summary")
    page = text_of(response)
    assert response.status_code == 200
    assert page.lstrip().startswith("<section") and "data-themes-section" in page and "<html" not in page


def test_the_themes_page_lets_only_moderators_edit(client, campaign, member, moderator, login):
    roaming = seed(campaign)[1]
    themes.refresh_themes(campaign.id)
    theme_id = theme_of(roaming[0])
    page = page_text(client.get(f"/c/{campaign.slug}/themes"))
    assert f'id="theme-{theme_id}"' in page and "Last worked out" in page
    assert "Save name" not in page
    login(member)
    assert "Save name" not in text_of(client.get(f"/c/{campaign.slug}/themes"))
    assert client.post(f"/themes/{theme_id}/name", data={"name": "Mine"}).status_code == 403
    login(moderator)
    assert "Save name" in text_of(client.get(f"/c/{campaign.slug}/themes"))
    response = client.post(f"/themes/{theme_id}/name", data={"name": "Travel without bill shock"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/c/{campaign.slug}/themes#theme-{theme_id}"
    page = page_text(client.get(f"/c/{campaign.slug}/themes"))
    assert "The theme's name is saved" in page and "Travel without bill shock" in page
    assert "Travel without bill shock" in page_text(client.get(f"/c/{campaign.slug}"))


def test_moderators_merge_themes_from_the_page(client, campaign, moderator, login):
    _bills, roaming, stores = seed(campaign)
    themes.refresh_themes(campaign.id)
    source, target = theme_of(roaming[0]), theme_of(stores[0])
    login(moderator)
    response = client.post(f"/themes/{source}/merge", data={"into": target})
    assert response.headers["Location"] == f"/c/{campaign.slug}/themes#theme-{target}"
    assert "The themes are merged" in page_text(client.get(f"/c/{campaign.slug}/themes"))
    assert db.session.get(Theme, source).merged_into_id == target
    client.post(f"/themes/{target}/merge", data={"into": target})
    assert "A theme cannot be merged into itself." in page_text(client.get(f"/c/{campaign.slug}/themes"))


def test_private_campaign_themes_do_not_leak(client, admin, login):
    private = factories.make_campaign(admin, audience=["staff"], is_private=True)
    seed(private, author=factories.make_user(kind=ParticipantKind.STAFF))
    themes.refresh_themes(private.id)
    theme_id = themes.list_themes(admin, private.id)[0].id
    for path in (f"/c/{private.slug}/themes", f"/c/{private.slug}/themes/summary",
                 f"/c/{private.slug}/similar-ideas?title=roaming"):
        assert login_target(client.get(path)) == path  # signed out: to the login page, nothing shown
    login(factories.make_user(kind=ParticipantKind.CUSTOMER))
    assert client.get(f"/c/{private.slug}/themes").status_code == 404
    assert client.post(f"/themes/{theme_id}/name", data={"name": "x"}).status_code == 404


def test_the_idea_form_asks_for_similar_ideas(client, campaign, member, login):
    login(member)
    page = text_of(client.get(f"/c/{campaign.slug}"))
    assert f'data-url="/c/{campaign.slug}/similar-ideas"' in page and "Similar ideas" in page


def test_similar_ideas_as_json(client, campaign):
    idea = factories.make_idea(campaign, title="Roaming day pass at one price", body="A flat price abroad.")
    factories.make_idea(campaign, title="Solar panels on stores", body="Cut emissions.")
    factories.make_vote(idea)
    response = client.get(f"/c/{campaign.slug}/similar-ideas?title={quote('roaming price')}&body=abroad")
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [item["id"] for item in items] == [idea.id]
    assert items[0]["url"] == f"/ideas/{idea.id}" and items[0]["up_count"] == 1
    assert items[0]["snippet"] == "A flat price abroad." and 0 < items[0]["similarity"] <= 1
    zh = factories.make_idea(campaign, title="漫遊日租單一價格", body="每天固定價格")
    items = client.get(f"/c/{campaign.slug}/similar-ideas?title={quote('漫遊價格')}").get_json()["items"]
    # The Chinese idea first; its English twin after it (meanings meet across languages).
    assert [item["id"] for item in items] == [zh.id, idea.id]


def test_the_queue_lists_likely_duplicates_with_one_click_merges(client, campaign, moderator, login):
    author = factories.make_user()
    first = factories.make_idea(campaign, author, title="Explain every bill charge in plain language",
                                body="Add a plain line under each charge on the bill.")
    second = factories.make_idea(campaign, author, title="Plain-language explanations of bill charges",
                                 body="Each charge on the bill needs a plain explanation.")
    for title in ("Roaming day pass", "Solar panels on stores", "Chatbot handover to humans",
                  "Store queue length in the app"):
        factories.make_idea(campaign, author, title=title, body=title)
    themes.refresh_themes(campaign.id)
    login(moderator)
    page = page_text(client.get("/moderation/queue"))
    assert "Likely duplicates" in page and f'id="duplicate-{first.id}-{second.id}"' in page
    assert f'action="/ideas/{second.id}/merge"' in page and f'name="into" value="{first.id}"' in page
    response = client.post(f"/ideas/{second.id}/merge", data={"into": first.id, "next": "/moderation/queue"})
    assert response.status_code == 302 and response.headers["Location"] == "/moderation/queue"
    page = page_text(client.get("/moderation/queue"))
    assert "The ideas are merged" in page and f'id="duplicate-{first.id}-{second.id}"' not in page
    assert db.session.get(Idea, second.id).merged_into_id == first.id
    filtered = page_text(client.get(f"/moderation/queue?campaign={campaign.slug}"))
    assert "No likely duplicates right now." in filtered


def test_participants_see_no_duplicates(client, campaign, member, login):
    login(member)
    assert client.get("/moderation/queue").status_code == 403
