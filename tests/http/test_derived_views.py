"""Derived views (themes, similar ideas, likely duplicates, dashboards, exports, leaderboards)
drop an idea the moment a moderator hides it or merges it away, on the pages and in the API,
without waiting for the next theme refresh."""
import pytest

from app.domain import comparisons, moderation, themes
from app.domain.api_tokens import create_api_token
from app.domain.merges import merge_idea
from app.models import Role
from tests import factories
from tests.http.conftest import page_text
from tests.themes_data import seed

# The withdrawn ideas: one whose own word becomes one of its theme's telling words, and a
# near copy of another idea, so that the pair is a likely duplicate.
MARKED = ("Zeppelin roaming zeppelin", "Roaming abroad by zeppelin: zeppelin day passes.")
TWIN = ("Roaming day pass for every traveller abroad", "One flat roaming price per day abroad.")

# (who looks, path); {slug} and {id} are the campaign's.
VIEWS = [
    ("member", "/c/{slug}"),
    ("member", "/c/{slug}/themes"),
    ("member", "/c/{slug}/themes/summary"),
    ("member", "/c/{slug}/similar-ideas?title=zeppelin+roaming+day+pass"),
    ("member", "/c/{slug}/dashboard"),
    ("member", "/c/{slug}/summary"),
    ("member", "/c/{slug}/ranking"),
    ("executive", "/dashboard"),
    ("executive", "/c/{slug}/ideas.csv"),
    ("executive", "/c/{slug}/ideas.json"),
    ("member", "/api/v1/campaigns/{id}/themes"),
    ("member", "/api/v1/campaigns/{id}/similar-ideas?title=zeppelin+roaming+day+pass"),
    ("member", "/api/v1/campaigns/{id}/dashboard"),
    ("member", "/api/v1/campaigns/{id}/ranking"),
    ("executive", "/api/v1/campaigns/{id}/export"),
    ("moderator", "/api/v1/campaigns/{id}/duplicates"),
]


def _mentions(text):
    lowered = text.lower()
    return "zeppelin" in lowered or TWIN[0].lower() in lowered


def _withdraw(how, moderator, idea, into):
    if how == "hidden":
        moderation.hide_idea(moderator, idea.id, reason="Off topic.")
    else:
        merge_idea(moderator, idea.id, into=into.id, note="Same idea.")


# A merged idea keeps its own page and its place in the campaign's list and in exports (marked
# "merged into"); only the views derived from the campaign's ideas drop it.
KEPT_WHEN_MERGED = {"/c/{slug}", "/c/{slug}/ideas.csv", "/c/{slug}/ideas.json", "/api/v1/campaigns/{id}/export"}
CASES = [(who, path, how) for who, path in VIEWS for how in ("hidden", "merged")
         if not (how == "merged" and path in KEPT_WHEN_MERGED)]


@pytest.mark.parametrize("who,path,how", CASES)
def test_a_withdrawn_idea_leaves_every_derived_view_at_once(client, campaign, admin, moderator, member,
                                                            login, who, path, how):
    _bills, roaming, _stores = seed(campaign)
    author = factories.make_user()
    marked = factories.make_idea(campaign, author, title=MARKED[0], body=MARKED[1])
    twin = factories.make_idea(campaign, author, title=TWIN[0], body=TWIN[1])
    for _ in range(6):  # at the top of every leaderboard
        voter = factories.make_user()
        factories.make_vote(marked, voter)
        factories.make_vote(twin, voter)
    comparisons.refresh_ranking(campaign.id)
    themes.refresh_themes(campaign.id)
    viewer = {"member": member, "moderator": moderator,
              "executive": factories.make_user(role=Role.EXECUTIVE)}[who]
    url = path.format(slug=campaign.slug, id=campaign.id)
    headers = {}
    if url.startswith("/api/"):
        headers["Authorization"] = f"Bearer {create_api_token(viewer, name='t')[1]}"
    else:
        login(viewer)

    before = client.get(url, headers=headers)
    assert before.status_code == 200 and _mentions(page_text(before)), "the view showed them before"

    _withdraw(how, moderator, marked, roaming[0])
    _withdraw(how, moderator, twin, roaming[0])
    after = client.get(url, headers=headers)
    assert after.status_code == 200
    assert not _mentions(page_text(after))
