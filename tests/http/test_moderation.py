from app.models import IdeaStatus, Role
from tests import factories
from tests.http.conftest import text_of


def test_moderator_changes_status_and_everyone_sees_the_history(client, auth, campaign):
    idea = factories.make_idea(campaign)
    moderator = factories.make_user(role=Role.MODERATOR)
    auth.login(moderator)
    response = client.post(f"/ideas/{idea.id}/status", data={"status": "shortlisted", "note": "Promising"})
    assert response.status_code == 302
    assert idea.status is IdeaStatus.SHORTLISTED
    auth.logout()
    page = text_of(client.get(f"/ideas/{idea.id}"))
    assert "Shortlisted" in page and "Promising" in page
    assert "Change status" not in page  # the form is for moderators only


def test_declining_without_a_note_rerenders_with_the_message(client, auth, campaign):
    idea = factories.make_idea(campaign)
    auth.login(factories.make_user(role=Role.ADMIN))
    response = client.post(f"/ideas/{idea.id}/status", data={"status": "declined", "note": ""})
    assert response.status_code == 422
    assert 'id="note-error"' in text_of(response)
    assert idea.status is IdeaStatus.SUBMITTED


def test_participants_cannot_change_status(client, auth, campaign):
    idea = factories.make_idea(campaign)
    auth.login(idea.author)
    assert client.post(f"/ideas/{idea.id}/status", data={"status": "selected"}).status_code == 403
    assert idea.status is IdeaStatus.SUBMITTED


def test_status_badges_show_on_the_campaign_page(client, campaign):
    factories.make_idea(campaign, title="Badge holder")
    assert "Submitted" in text_of(client.get(f"/c/{campaign.slug}"))
