"""The idea page offers the campaign's most similar ideas written in the other language."""
from app.domain import moderation
from app.models import Role
from tests import factories as f
from tests.http.conftest import text_of


def seed(campaign):
    roaming = f.make_idea(campaign, title="Cross-border roaming plan with China Telecom",
                          body="Partner with China Telecom on a roaming plan with one flat daily price.")
    twin = f.make_idea(campaign, title="與中國電信合作推出跨境漫遊方案",
                       body="針對每週往返大陸的客戶，和中國電信合作推出單一日租價格的跨境漫遊方案。")
    english = f.make_idea(campaign, title="Roaming day pass with one simple price",
                          body="A flat daily roaming price abroad.")
    unrelated = f.make_idea(campaign, title="倉庫屋頂裝太陽能板", body="倉庫屋頂又平又空，裝太陽能板。")
    return roaming, twin, english, unrelated


def test_the_page_of_an_english_idea_offers_its_chinese_twin(client, campaign, member, login):
    roaming, twin, english, unrelated = seed(campaign)
    login(member)
    html = text_of(client.get(f"/ideas/{roaming.id}"))
    assert "Similar ideas in the other language" in html
    assert twin.title in html
    assert english.title not in html  # the same language: not offered here
    assert unrelated.title not in html


def test_a_hidden_idea_is_never_offered(client, campaign, member, login):
    roaming, twin, _english, _unrelated = seed(campaign)
    moderation.hide_idea(f.make_user(role=Role.MODERATOR), twin.id, reason="Spam")
    login(member)
    html = text_of(client.get(f"/ideas/{roaming.id}"))
    assert twin.title not in html
