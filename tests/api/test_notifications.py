"""The caller's notifications over the API: what they may read now, as the bell words it."""
import pytest

from app.domain import accounts, ideas, moderation, sanctions
from app.extensions import db
from app.models import Role
from tests import factories

SECRET = "Staff-only pricing plan for 2027"


def test_a_former_member_reads_nothing_of_a_private_idea(api, admin):
    moderator = factories.make_user(role=Role.MODERATOR)
    campaign = factories.make_campaign(admin, audience=["staff"], is_private=True)
    idea = factories.make_idea(campaign, factories.make_user(), title="Shared plan")
    staff = factories.make_user()
    token = api.token_for(staff)
    ideas.follow_idea(staff, idea.id)
    moderation.change_idea_status(moderator, idea.id, status="under_review")
    listed = api.get("/api/v1/notifications", token=token).get_json()
    assert listed["unread"] == 1 and "Shared plan" in listed["items"][0]["text"]

    accounts.update_person(admin, staff.id, kind="customer")
    ideas.edit_idea(idea.author, idea.id, title=SECRET, body="Only for staff.")
    moderation.change_idea_status(moderator, idea.id, status="shortlisted")
    sanctions.warn_person(moderator, staff.id, reason="Please stay on topic.")
    response = api.get("/api/v1/notifications", token=token)
    assert response.status_code == 200
    body = response.get_json()
    assert SECRET not in str(body) and "Shared plan" not in str(body)
    assert body["unread"] == 1
    assert [(item["kind"], item["text"], item["url"]) for item in body["items"]] == [
        ("warning", "A moderator warned you: Please stay on topic.",
         f"/notifications#notification-{body['items'][0]['id']}")]


def test_marking_read(api, member_with_note):
    person, token = member_with_note
    assert api.post("/api/v1/notifications/read", token=token).get_json() == {"unread": 0}
    body = api.get("/api/v1/notifications", token=token).get_json()
    assert body["unread"] == 0 and all(item["read"] for item in body["items"])


def test_in_the_persons_language(api, member_with_note):
    person, token = member_with_note
    person.locale = "zh_Hant"
    db.session.commit()
    text = api.get("/api/v1/notifications", token=token).get_json()["items"][0]["text"]
    assert "Please stay on topic." in text and "A moderator warned you" not in text


def test_anonymous_callers_are_refused(api, app):
    assert api.get("/api/v1/notifications").status_code == 401
    assert api.post("/api/v1/notifications/read").status_code == 401


@pytest.fixture
def member_with_note(api, app):
    person = factories.make_user()
    sanctions.warn_person(factories.make_user(role=Role.MODERATOR), person.id, reason="Please stay on topic.")
    return person, api.token_for(person)
