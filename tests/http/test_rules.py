import pytest

from app.domain import conduct, rules
from app.extensions import db
from app.models import Campaign, Comment, ContentState, Idea, ParticipantKind, Role
from tests import factories
from tests.http.conftest import page_text, text_of

RULES = {"code_of_conduct": "Be **kind**. No selling.", "premoderated_kinds": ["customer", "partner"],
         "ideas_per_hour": "3", "comments_per_minute": "2", "flags_per_day": "7"}


def set_code(campaign, moderator, code="Be **kind**. No selling."):
    rules.update_campaign_rules(moderator, campaign.id, code_of_conduct=code, premoderated_kinds=[],
                                ideas_per_hour=10, comments_per_minute=5, flags_per_day=20)


def test_moderators_set_a_campaigns_rules(client, campaign, moderator, login):
    login(moderator)
    assert f'href="/c/{campaign.slug}/rules"' in text_of(client.get(f"/c/{campaign.slug}"))
    page = text_of(client.get(f"/c/{campaign.slug}/rules"))
    limit = f'value="{campaign.limit_ideas_per_hour}"'  # the form starts from the current rules
    assert 'name="code_of_conduct"' in page and 'value="customer"' in page and limit in page
    response = client.post(f"/c/{campaign.slug}/rules", data=RULES)
    assert response.status_code == 302 and response.headers["Location"] == f"/c/{campaign.slug}"
    saved = db.session.get(Campaign, campaign.id)
    assert rules.rules_of(saved) == {"code_of_conduct": "Be **kind**. No selling.", "code_of_conduct_translation": "",
                                     "premoderated_kinds": ["customer", "partner"],
                                     "ideas_per_hour": 3, "comments_per_minute": 2, "flags_per_day": 7}
    page = text_of(client.get(f"/c/{campaign.slug}/rules"))
    assert "Be **kind**. No selling." in page and 'checked id="premoderated_kinds-2"' in page


@pytest.mark.parametrize("field, value", [
    ("ideas_per_hour", "0"), ("comments_per_minute", "1001"), ("flags_per_day", "many"), ("ideas_per_hour", ""),
])
def test_bad_rules_are_explained_and_change_nothing(client, campaign, moderator, login, field, value):
    before = rules.rules_of(campaign)
    login(moderator)
    response = client.post(f"/c/{campaign.slug}/rules", data={**RULES, field: value})
    assert response.status_code == 422 and f'id="{field}-error"' in text_of(response)
    assert rules.rules_of(db.session.get(Campaign, campaign.id)) == before


def test_participants_cannot_set_rules(client, campaign, member, login):
    login(member)
    assert f"/c/{campaign.slug}/rules" not in text_of(client.get(f"/c/{campaign.slug}"))
    assert client.get(f"/c/{campaign.slug}/rules").status_code == 403
    assert client.post(f"/c/{campaign.slug}/rules", data=RULES).status_code == 403
    assert db.session.get(Campaign, campaign.id).code_of_conduct == ""


def test_admins_may_set_rules_too(client, campaign, admin, login):
    login(admin)
    response = client.post(f"/c/{campaign.slug}/rules", data=RULES)
    assert response.status_code == 302
    assert db.session.get(Campaign, campaign.id).code_of_conduct == RULES["code_of_conduct"]


# --- the code of conduct, for participants -----------------------------------------------------

def test_the_campaign_page_shows_its_code_of_conduct(client, campaign, moderator):
    assert 'id="code-of-conduct"' not in text_of(client.get(f"/c/{campaign.slug}"))
    set_code(campaign, moderator)
    page = text_of(client.get(f"/c/{campaign.slug}"))
    assert '<details class="card conduct" id="code-of-conduct">' in page
    assert "<strong>kind</strong>" in page


def test_posting_an_idea_needs_the_code_accepted_once(client, campaign, member, moderator, login):
    set_code(campaign, moderator)
    login(member)
    page = text_of(client.get(f"/c/{campaign.slug}"))
    assert 'name="accept_code_of_conduct"' in page and "I have read and accept the code of conduct" in page
    refused = client.post(f"/c/{campaign.slug}/ideas", data={"title": "Kinder meetings", "body": "Shorter ones"})
    assert refused.status_code == 422
    assert 'id="accept_code_of_conduct-error"' in text_of(refused)
    assert "Please read and accept the campaign's code of conduct first." in page_text(refused)
    assert 'value="Kinder meetings"' in text_of(refused)
    assert db.session.query(Idea).count() == 0
    accepted = client.post(f"/c/{campaign.slug}/ideas", data={
        "title": "Kinder meetings", "body": "Shorter ones", "accept_code_of_conduct": "y"})
    assert accepted.status_code == 302 and db.session.query(Idea).count() == 1
    assert conduct.has_accepted(member, campaign)
    assert 'name="accept_code_of_conduct"' not in text_of(client.get(f"/c/{campaign.slug}"))


def test_commenting_needs_the_code_accepted(client, campaign, member, moderator, login):
    idea = factories.make_idea(campaign)
    top = factories.make_comment(idea)
    set_code(campaign, moderator)
    login(member)
    page = text_of(client.get(f"/ideas/{idea.id}"))
    assert 'id="code-of-conduct"' in page and 'id="accept_code_of_conduct"' in page
    assert f'id="reply-conduct-{top.id}"' in page
    refused = client.post(f"/ideas/{idea.id}/comments", data={"body": "I agree"})
    assert refused.status_code == 422 and 'id="accept_code_of_conduct-error"' in text_of(refused)
    json = client.post(f"/ideas/{idea.id}/comments", data={"body": "I agree", "parent_id": top.id},
                       headers={"Accept": "application/json"})
    assert json.status_code == 422 and "accept_code_of_conduct" in json.get_json()["error"]["fields"]
    assert db.session.query(Comment).count() == 1
    reply = client.post(f"/ideas/{idea.id}/comments",
                        data={"body": "I agree", "parent_id": top.id, "accept_code_of_conduct": "y"})
    assert reply.status_code == 302 and db.session.query(Comment).count() == 2
    page = text_of(client.get(f"/ideas/{idea.id}"))
    assert 'name="accept_code_of_conduct"' not in page and 'id="code-of-conduct"' not in page


def test_premoderated_kinds_wait_for_approval(client, campaign, moderator, login):
    login(moderator)
    client.post(f"/c/{campaign.slug}/rules", data={**RULES, "code_of_conduct": ""})
    login(factories.make_user(kind=ParticipantKind.CUSTOMER))
    client.post(f"/c/{campaign.slug}/ideas", data={"title": "Waiting for a nod", "body": "Please"})
    assert db.session.query(Idea).one().content_state is ContentState.PENDING
    login(factories.make_user(role=Role.PARTICIPANT))
    assert "Waiting for a nod" not in text_of(client.get(f"/c/{campaign.slug}"))
