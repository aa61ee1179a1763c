"""Moderator and reviewer forms that cannot do harm by default: they start at the current
state, a backwards move asks for a confirmation, the bulk action has no default; the review
page shows the idea and finds reviewers through a small JSON look-up."""
import re

from app.domain import moderation
from app.models import IdeaStatus, ParticipantKind
from tests import factories
from tests.http.conftest import page_text, text_of


def selected_option(page, select_id):
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [re.search(r'value="([^"]*)"', option).group(1)
            for option in re.findall(r"<option[^>]*>", select) if re.search(r"\sselected", option)]


def test_the_status_menu_starts_at_the_ideas_status(client, campaign, moderator, login):
    idea = factories.make_idea(campaign)
    moderation.change_idea_status(moderator, idea.id, status="shortlisted")
    login(moderator)
    page = text_of(client.get(f"/ideas/{idea.id}"))
    assert selected_option(page, "status") == ["shortlisted"]
    # Pressing the button as the page comes changes nothing and says so.
    unchanged = client.post(f"/ideas/{idea.id}/status", data={"status": "shortlisted", "note": "x"})
    assert unchanged.status_code == 422 and idea.status is IdeaStatus.SHORTLISTED


def test_moving_an_idea_back_asks_for_a_confirmation(client, campaign, moderator, login):
    idea = factories.make_idea(campaign)
    moderation.change_idea_status(moderator, idea.id, status="selected")
    login(moderator)
    page = text_of(client.get(f"/ideas/{idea.id}"))
    backward = re.search(r'data-backward="([^"]*)"', page).group(1)
    assert "submitted" in backward and "implemented" not in backward
    refused = client.post(f"/ideas/{idea.id}/status", data={"status": "submitted", "note": "Oops"})
    assert refused.status_code == 422 and idea.status is IdeaStatus.SELECTED
    text = page_text(refused)
    assert "moves the idea back to an earlier status" in text and 'name="confirm"' in text
    assert selected_option(text, "status") == ["submitted"]  # what was chosen stays chosen
    done = client.post(f"/ideas/{idea.id}/status", data={"status": "submitted", "note": "Oops",
                                                          "confirm": "y"})
    assert done.status_code == 302 and idea.status is IdeaStatus.SUBMITTED


def test_board_moves_back_need_a_confirmation(client, campaign, moderator, login):
    idea = factories.make_idea(campaign)
    moderation.change_idea_status(moderator, idea.id, status="shortlisted")
    login(moderator)
    page = text_of(client.get(f"/c/{campaign.slug}/board"))
    assert selected_option(page, "bulk-status") == [""]  # no status by default
    json = {"Accept": "application/json"}
    refused = client.post(f"/c/{campaign.slug}/board/move", headers=json,
                          data={"idea_ids": [str(idea.id)], "status": "submitted"})
    assert refused.status_code == 422 and "confirm" in refused.get_json()["error"]["fields"]
    assert idea.status is IdeaStatus.SHORTLISTED
    moved = client.post(f"/c/{campaign.slug}/board/move", headers=json,
                        data={"idea_ids": [str(idea.id)], "status": "submitted", "confirm": "y"})
    assert moved.status_code == 200 and idea.status is IdeaStatus.SUBMITTED
    nothing = client.post(f"/c/{campaign.slug}/board/move", data={"idea_ids": [str(idea.id)], "status": ""})
    assert nothing.status_code == 302 and idea.status is IdeaStatus.SUBMITTED


def test_the_bulk_action_has_no_default(client, campaign, moderator, login):
    idea = factories.make_idea(campaign)
    login(moderator)
    page = text_of(client.get("/moderation/queue"))
    assert selected_option(page, "action") in ([], [""])
    assert re.search(r'<select[^>]*id="action"[^>]*>\s*<option[^>]*value=""', page)
    response = client.post("/moderation/bulk", data={"keys": [f"idea:{idea.id}"], "reason": "Spam"})
    assert response.status_code == 302
    assert idea.content_state.value == "published"


def test_a_decision_is_never_made_by_default(client, campaign, moderator, login):
    idea = factories.make_idea(campaign)
    login(moderator)
    page = text_of(client.get(f"/ideas/{idea.id}/review"))
    assert selected_option(page, "outcome") == [""]


def test_the_review_page_shows_the_idea_and_finds_reviewers(client, campaign, moderator, login):
    author = factories.make_user(kind=ParticipantKind.PARTNER)
    idea = factories.make_idea(campaign, author, title="Kiosk returns", body="Let **stores** take returns.",
                               tags=["retail"])
    moderation.change_idea_status(moderator, idea.id, status="shortlisted")
    mei = factories.make_user(display_name="Mei Lin", department="Retail ops", country="TW")
    factories.make_user(display_name="Ana Ruiz", department="Finance", country="ES")
    login(moderator)
    page = page_text(client.get(f"/ideas/{idea.id}/review"))
    assert "Kiosk returns" in page and "<strong>stores</strong>" in page and "retail" in page
    assert "Partner" in page and "0 comments" in page
    assert 'name="reviewer_ids"' not in page  # nobody is listed to assign until searched for
    found = client.get(f"/ideas/{idea.id}/reviewer-candidates?q=retail tw").get_json()
    assert found["items"] == [{"id": mei.id, "name": "Mei Lin", "department": "Retail ops", "country": "TW"}]
    searched = page_text(client.get(f"/ideas/{idea.id}/review?reviewer_q=mei"))
    ticks = re.findall(r'name="reviewer_ids" value="(\d+)"', searched)
    assert ticks == [str(mei.id)]
    assert client.post(f"/ideas/{idea.id}/reviewers", data={"reviewer_ids": [str(mei.id)]}).status_code == 302


def test_the_reviewer_look_up_is_for_organisers(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    login(member)
    assert client.get(f"/ideas/{idea.id}/reviewer-candidates?q=a").status_code == 403
