"""Ideas: listing, searching, posting, editing, versions and following."""
from datetime import timedelta

import pytest

from app.models import Idea, IdeaFollow, IdeaVersion, ParticipantKind, Role, Tag
from tests import factories
from tests.api.conftest import count, error_of


def ideas_path(campaign):
    return f"/api/v1/campaigns/{campaign.id}/ideas"


class TestListing:
    def test_a_page_of_ideas_with_totals(self, api, campaign):
        for n in range(3):
            factories.make_idea(campaign, title=f"Idea about {n} things")
        response = api.get(ideas_path(campaign) + "?per_page=2&sort=newest")
        assert response.status_code == 200
        page = response.get_json()
        assert (page["total"], page["page"], page["per_page"], page["pages"]) == (3, 1, 2, 2)
        assert [i["title"] for i in page["items"]] == ["Idea about 2 things", "Idea about 1 things"]
        second = api.get(ideas_path(campaign) + "?per_page=2&sort=newest&page=2").get_json()
        assert [i["title"] for i in second["items"]] == ["Idea about 0 things"]

    def test_the_slug_works_too(self, api, campaign, idea):
        response = api.get(f"/api/v1/campaigns/{campaign.slug}/ideas")
        assert [i["id"] for i in response.get_json()["items"]] == [idea.id]

    def test_items_are_fully_serialised(self, api, campaign):
        author = factories.make_user(display_name="Ada")
        idea = factories.make_idea(campaign, author, title="Solar roofs", body="Use **sun**",
                                   tags=["Energy", "#green"])
        item = api.get(ideas_path(campaign)).get_json()["items"][0]
        assert item["id"] == idea.id
        assert item["campaign_id"] == campaign.id
        assert item["body"] == "Use **sun**"
        assert item["body_html"] == "<p>Use <strong>sun</strong></p>\n"
        assert item["tags"] == ["energy", "green"]
        assert item["author"] == {"id": author.id, "display_name": "Ada", "kind": "staff"}
        assert item["created_at"].endswith("Z") and item["edited_at"] is None
        assert (item["version"], item["score"], item["comment_count"]) == (1, 0, 0)
        assert item["url"].endswith(f"/ideas/{idea.id}")
        assert "my_vote" not in item  # anonymous

    def test_items_carry_my_vote_when_authenticated(self, api, campaign, user, token):
        liked = factories.make_idea(campaign, title="Liked idea")
        disliked = factories.make_idea(campaign, title="Disliked idea")
        factories.make_idea(campaign, title="Ignored idea")
        factories.make_vote(liked, user, 1)
        factories.make_vote(disliked, user, -1)
        items = api.get(ideas_path(campaign) + "?sort=newest", token=token).get_json()["items"]
        assert {i["title"]: i["my_vote"] for i in items} == {
            "Liked idea": 1, "Disliked idea": -1, "Ignored idea": 0}

    def test_sort_by_top_and_discussed(self, api, campaign):
        quiet = factories.make_idea(campaign, title="Quiet idea")
        popular = factories.make_idea(campaign, title="Popular idea")
        talked = factories.make_idea(campaign, title="Talked about idea")
        factories.make_vote(popular)
        factories.make_vote(popular)
        factories.make_comment(talked)
        top = api.get(ideas_path(campaign) + "?sort=top").get_json()["items"]
        assert top[0]["id"] == popular.id
        discussed = api.get(ideas_path(campaign) + "?sort=discussed").get_json()["items"]
        assert discussed[0]["id"] == talked.id
        trending = api.get(ideas_path(campaign) + "?sort=trending")
        assert trending.status_code == 200
        assert {i["id"] for i in trending.get_json()["items"]} == {quiet.id, popular.id, talked.id}

    def test_filter_by_tag(self, api, campaign):
        tagged = factories.make_idea(campaign, tags=["5g"])
        factories.make_idea(campaign, tags=["cloud"])
        items = api.get(ideas_path(campaign) + "?tag=5G").get_json()["items"]
        assert [i["id"] for i in items] == [tagged.id]

    def test_chinese_search(self, api, campaign):
        found = factories.make_idea(campaign, title="與中國電信合作推出新服務")
        factories.make_idea(campaign, title="Better coffee machines")
        response = api.get(ideas_path(campaign), query_string={"q": "電信"})
        assert [i["id"] for i in response.get_json()["items"]] == [found.id]
        assert response.get_json()["total"] == 1

    def test_english_search_matches_word_prefixes(self, api, campaign):
        found = factories.make_idea(campaign, title="Launching services faster")
        factories.make_idea(campaign, title="Better coffee machines")
        items = api.get(ideas_path(campaign) + "?q=launch").get_json()["items"]
        assert [i["id"] for i in items] == [found.id]

    @pytest.mark.parametrize("query, field", [
        ("sort=worst", "sort"), ("page=0", "page"), ("page=abc", "page"), ("page=-1", "page"),
        ("per_page=1000", "per_page"), ("per_page=0", "per_page"), ("per_page=x", "per_page"), ("page=99999999999999999999", "page"),
        ("page=1.5", "page"), ("page=%EF%BC%91", "page"), ("q=" + "a" * 201, "q"),
    ])
    def test_bad_parameters_are_validation_errors(self, api, campaign, query, field):
        response = api.get(ideas_path(campaign) + "?" + query)
        assert response.status_code == 422
        assert error_of(response)["code"] == "validation_failed"
        assert field in error_of(response)["fields"]

    def test_a_page_past_the_end_is_empty(self, api, campaign, idea):
        page = api.get(ideas_path(campaign) + "?page=5").get_json()
        assert page["items"] == [] and page["total"] == 1

    def test_unknown_campaign(self, api):
        assert api.get("/api/v1/campaigns/4242/ideas").status_code == 404


class TestSubmitting:
    def test_post_an_idea(self, api, campaign, user, token):
        response = api.post(ideas_path(campaign), token=token, json={
            "title": "  Free Wi-Fi in every store ", "body": "Customers *love* it.",
            "tags": ["retail", "Wi-Fi", "retail"]})
        assert response.status_code == 201
        idea = response.get_json()
        assert idea["title"] == "Free Wi-Fi in every store"
        assert idea["tags"] == ["retail", "wi-fi"]
        assert idea["author"]["id"] == user.id
        assert idea["my_vote"] == 0 and idea["following"] is True
        assert response.headers["Location"].endswith(f"/api/v1/ideas/{idea['id']}")
        assert api.get(response.headers["Location"]).get_json()["title"] == idea["title"]

    def test_tags_are_optional(self, api, campaign, token):
        response = api.post(ideas_path(campaign), token=token,
                            json={"title": "No tags at all", "body": "Fine."})
        assert response.status_code == 201
        assert response.get_json()["tags"] == []

    @pytest.mark.parametrize("payload, fields", [
        ({}, {"title", "body"}),
        ({"title": "Hi", "body": "x"}, {"title"}),
        ({"title": "A fine title", "body": "   "}, {"body"}),
        ({"title": 5, "body": "x"}, {"title"}),
        ({"title": "A fine title", "body": ["x"]}, {"body"}),
        ({"title": "A fine title", "body": "x", "tags": "x"}, {"tags"}),
        ({"title": "A fine title", "body": "x", "tags": [1, 2]}, {"tags"}),
        ({"title": "A fine title", "body": "x", "tags": {"a": 1}}, {"tags"}),
        ({"title": "A fine title", "body": "x", "tags": list("abcdef")}, {"tags"}),
        ({"title": "A fine title", "body": "x", "tags": ["t" * 31]}, {"tags"}),
        ({"title": "T" * 161, "body": "x"}, {"title"}),
        ({"title": "A fine title", "body": "x" * 10_001}, {"body"}),
        ({"title": True, "body": 5}, {"title", "body"}),
        ({"title": True, "body": None}, {"title"}),  # type errors first, then the domain
        ({"title": "A fine title", "body": "x", "author_id": 1}, {"author_id"}),
        ({"title": "\u0000\u0001\u0002", "body": "\ud800"}, {"title", "body"}),
    ])
    def test_invalid_ideas_are_422_and_write_nothing(self, api, campaign, token, payload, fields):
        before = (count(Idea), count(IdeaVersion), count(Tag), count(IdeaFollow))
        response = api.post(ideas_path(campaign), token=token, json=payload)
        assert response.status_code == 422
        assert error_of(response)["code"] == "validation_failed"
        assert set(error_of(response)["fields"]) == fields
        assert (count(Idea), count(IdeaVersion), count(Tag), count(IdeaFollow)) == before

    @pytest.mark.parametrize("data", ["not json", "[1, 2]", '"text"', "null", "", "{", "1e999999"])
    def test_malformed_bodies_are_400(self, api, campaign, token, data):
        before = count(Idea)
        response = api.post(ideas_path(campaign), token=token, data=data,
                            headers={"Content-Type": "application/json"})
        assert response.status_code == 400
        assert error_of(response)["code"] in {"invalid_json", "body_not_object"}
        assert count(Idea) == before

    @pytest.mark.parametrize("phase", ["upcoming", "closed"])
    def test_not_in_an_upcoming_or_closed_campaign(self, api, admin, token, phase):
        shut = factories.make_campaign(admin, phase=phase)
        response = api.post(ideas_path(shut), token=token,
                            json={"title": "Too early or late", "body": "x"})
        assert response.status_code == 409
        assert error_of(response)["code"] == "campaign_not_open"
        assert count(Idea) == 0

    def test_the_campaign_closes_with_the_clock(self, api, campaign, token, clock):
        clock.advance(timedelta(days=3))
        response = api.post(ideas_path(campaign), token=token,
                            json={"title": "After the end", "body": "x"})
        assert response.status_code == 409
        assert error_of(response)["code"] == "campaign_not_open"
        assert count(Idea) == 0

    def test_outside_the_audience_is_403(self, api, admin):
        customers_only = factories.make_campaign(admin, audience=("customer",))
        staff = factories.make_user(kind=ParticipantKind.STAFF)
        response = api.post(ideas_path(customers_only), as_user=staff,
                            json={"title": "Staff idea here", "body": "x"})
        assert response.status_code == 403
        assert error_of(response)["code"] == "not_in_audience"

    def test_executives_only_watch(self, api, campaign):
        executive = factories.make_user(role=Role.EXECUTIVE)
        response = api.post(ideas_path(campaign), as_user=executive,
                            json={"title": "Executive idea", "body": "x"})
        assert response.status_code == 403
        assert count(Idea) == 0

    def test_unknown_campaign_is_404(self, api, token):
        response = api.post("/api/v1/campaigns/nope/ideas", token=token,
                            json={"title": "Lost idea here", "body": "x"})
        assert response.status_code == 404


class TestReading:
    def test_get_an_idea(self, api, idea):
        response = api.get(f"/api/v1/ideas/{idea.id}")
        assert response.status_code == 200
        data = response.get_json()
        assert data["title"] == "A greener data centre"
        assert "my_vote" not in data and "following" not in data

    def test_my_vote_and_following_when_authenticated(self, api, idea, user, token):
        factories.make_vote(idea, user, -1)
        data = api.get(f"/api/v1/ideas/{idea.id}", token=token).get_json()
        assert data["my_vote"] == -1 and data["following"] is False

    @pytest.mark.parametrize("path", ["/api/v1/ideas/999", "/api/v1/ideas/abc", "/api/v1/ideas/0",
                                      "/api/v1/ideas/-1", "/api/v1/ideas/99999999999999999999",
                                      "/api/v1/ideas/%C2%B2"])
    def test_unknown_ideas_are_404(self, api, path):
        response = api.get(path)
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"


class TestEditing:
    def test_the_author_edits_and_versions_are_kept(self, api, campaign):
        author = factories.make_user()
        idea = factories.make_idea(campaign, author, title="First title", body="First body",
                                   tags=["one"])
        token = api.token_for(author)
        response = api.patch(f"/api/v1/ideas/{idea.id}", token=token,
                             json={"title": "Second title"})
        assert response.status_code == 200
        data = response.get_json()
        assert (data["title"], data["body"], data["tags"]) == ("Second title", "First body", ["one"])
        assert data["version"] == 2 and data["edited_at"].endswith("Z")
        data = api.patch(f"/api/v1/ideas/{idea.id}", token=token,
                         json={"body": "New *body*", "tags": ["two", "three"]}).get_json()
        assert (data["title"], data["body_html"], data["tags"]) == (
            "Second title", "<p>New <em>body</em></p>\n", ["three", "two"])
        versions = api.get(f"/api/v1/ideas/{idea.id}/versions").get_json()["items"]
        assert [(v["number"], v["title"], v["tags"]) for v in versions] == [
            (3, "Second title", ["two", "three"]), (2, "Second title", ["one"]),
            (1, "First title", ["one"])]
        assert versions[0]["editor"]["id"] == author.id

    def test_an_empty_patch_changes_nothing(self, api, campaign):
        author = factories.make_user()
        idea = factories.make_idea(campaign, author)
        response = api.patch(f"/api/v1/ideas/{idea.id}", as_user=author, json={})
        assert response.status_code == 200
        assert response.get_json()["version"] == 1
        assert count(IdeaVersion) == 1

    def test_null_tags_clear_them(self, api, campaign):
        author = factories.make_user()
        idea = factories.make_idea(campaign, author, tags=["x"])
        data = api.patch(f"/api/v1/ideas/{idea.id}", as_user=author, json={"tags": None}).get_json()
        assert data["tags"] == []

    def test_only_the_author(self, api, idea, token):
        response = api.patch(f"/api/v1/ideas/{idea.id}", token=token, json={"title": "Hijacked!"})
        assert response.status_code == 403
        assert error_of(response)["code"] == "not_author"
        assert count(IdeaVersion) == 1

    def test_needs_a_token(self, api, idea):
        response = api.patch(f"/api/v1/ideas/{idea.id}", json={"title": "Anonymous edit"})
        assert response.status_code == 401

    def test_not_once_closed(self, api, campaign, clock):
        author = factories.make_user()
        idea = factories.make_idea(campaign, author)
        clock.advance(timedelta(days=3))
        response = api.patch(f"/api/v1/ideas/{idea.id}", as_user=author, json={"title": "Too late now"})
        assert response.status_code == 409
        assert error_of(response)["code"] == "campaign_not_open"

    @pytest.mark.parametrize("payload, field", [
        ({"title": 5}, "title"), ({"title": None}, "title"), ({"title": "Hi"}, "title"),
        ({"body": ""}, "body"), ({"tags": "x"}, "tags"), ({"tags": [None]}, "tags"),
        ({"version": 3}, "version"),
    ])
    def test_invalid_edits_write_nothing(self, api, campaign, payload, field):
        author = factories.make_user()
        idea = factories.make_idea(campaign, author, title="Original title")
        response = api.patch(f"/api/v1/ideas/{idea.id}", as_user=author, json=payload)
        assert response.status_code == 422
        assert field in error_of(response)["fields"]
        assert count(IdeaVersion) == 1
        assert api.get(f"/api/v1/ideas/{idea.id}").get_json()["title"] == "Original title"

    def test_unknown_idea(self, api, token):
        assert api.patch("/api/v1/ideas/999", token=token, json={"title": "Nothing here"}).status_code == 404

    def test_versions_of_an_unknown_idea(self, api):
        assert api.get("/api/v1/ideas/999/versions").status_code == 404


class TestFollowing:
    def test_follow_and_unfollow(self, api, idea, user, token):
        response = api.post(f"/api/v1/ideas/{idea.id}/follow", token=token)
        assert response.status_code == 200
        assert response.get_json() == {"idea_id": idea.id, "following": True}
        assert api.get(f"/api/v1/ideas/{idea.id}", token=token).get_json()["following"] is True
        again = api.post(f"/api/v1/ideas/{idea.id}/follow", token=token)
        assert again.status_code == 200
        response = api.delete(f"/api/v1/ideas/{idea.id}/follow", token=token)
        assert response.get_json() == {"idea_id": idea.id, "following": False}
        assert api.get(f"/api/v1/ideas/{idea.id}", token=token).get_json()["following"] is False

    def test_needs_a_token(self, api, idea):
        before = count(IdeaFollow)
        assert api.post(f"/api/v1/ideas/{idea.id}/follow").status_code == 401
        assert api.delete(f"/api/v1/ideas/{idea.id}/follow").status_code == 401
        assert count(IdeaFollow) == before

    def test_unknown_idea(self, api, token):
        assert api.post("/api/v1/ideas/999/follow", token=token).status_code == 404
