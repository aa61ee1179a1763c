"""A campaign's rules over the API: reading and setting them, the code of conduct, and
pre-moderation."""
import pytest

from app.domain import limits
from app.extensions import db
from app.models import AuditEntry, Campaign, Comment, ConductAcceptance, Idea, Role
from tests import factories
from tests.api.conftest import MODERATOR_ROLES, OTHER_ROLES, count, error_of, set_rules

RULES = {"code_of_conduct": "Be **kind**.", "premoderated_kinds": ["customer", "partner"],
         "ideas_per_hour": 3, "comments_per_minute": 2, "flags_per_day": 4}


def rules_path(campaign):
    return f"/api/v1/campaigns/{campaign.id}/rules"


def acceptance_path(campaign):
    return f"/api/v1/campaigns/{campaign.id}/code-of-conduct/acceptance"


def ideas_path(campaign):
    return f"/api/v1/campaigns/{campaign.id}/ideas"


def stored_rules(campaign):
    db.session.expire_all()
    campaign = db.session.get(Campaign, campaign.id)
    return (campaign.code_of_conduct, sorted(k.value for k in campaign.premoderated_kinds),
            campaign.limit_ideas_per_hour, campaign.limit_comments_per_minute,
            campaign.limit_flags_per_day)


def test_anyone_who_sees_the_campaign_reads_its_rules(api, campaign):
    response = api.get(f"/api/v1/campaigns/{campaign.slug}/rules")
    assert response.status_code == 200
    assert response.get_json() == {
        "campaign_id": campaign.id, "code_of_conduct": "", "code_of_conduct_html": "",
        "code_of_conduct_translation": "", "code_of_conduct_translation_html": "",
        "acceptance_needed": False, "premoderated_kinds": [],
        "ideas_per_hour": campaign.limit_ideas_per_hour,
        "comments_per_minute": campaign.limit_comments_per_minute,
        "flags_per_day": campaign.limit_flags_per_day}


def test_private_campaigns_rules_do_not_leak(api, admin):
    private = factories.make_campaign(admin, audience=("staff",), is_private=True)
    assert api.get(rules_path(private)).status_code == 404
    assert api.get(rules_path(private), as_user=factories.make_user(kind="customer")).status_code == 404
    assert api.get(rules_path(private), as_user=factories.make_user()).status_code == 200
    assert api.get("/api/v1/campaigns/no-such-campaign/rules").status_code == 404


@pytest.mark.parametrize("role", MODERATOR_ROLES)
def test_setting_the_rules(api, campaign, role):
    response = api.put(rules_path(campaign), as_user=factories.make_user(role=role), json=RULES)
    assert response.status_code == 200
    body = response.get_json()
    assert body["code_of_conduct_html"] == "<p>Be <strong>kind</strong>.</p>\n"
    assert {k: body[k] for k in RULES} == RULES
    assert stored_rules(campaign) == ("Be **kind**.", ["customer", "partner"], 3, 2, 4)
    assert db.session.query(AuditEntry).filter_by(action="campaign.rules").count() == 1
    assert api.get(rules_path(campaign)).get_json() == {**body, "acceptance_needed": True}


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_others_may_not_set_the_rules(api, campaign, role):
    before = stored_rules(campaign)
    response = api.put(rules_path(campaign), as_user=factories.make_user(role=role), json=RULES)
    assert response.status_code == 403
    assert api.put(rules_path(campaign), json=RULES).status_code == 401
    assert stored_rules(campaign) == before


@pytest.mark.parametrize("change, field", [
    ({"code_of_conduct": None}, "code_of_conduct"),
    ({"code_of_conduct": 5}, "code_of_conduct"),
    ({"code_of_conduct": "x" * 20_001}, "code_of_conduct"),
    ({"premoderated_kinds": None}, "premoderated_kinds"),
    ({"premoderated_kinds": ["robots"]}, "premoderated_kinds"),
    ({"premoderated_kinds": "staff"}, "premoderated_kinds"),
    ({"ideas_per_hour": None}, "ideas_per_hour"),
    ({"ideas_per_hour": 0}, "ideas_per_hour"),
    ({"comments_per_minute": limits.LIMIT_MAX + 1}, "comments_per_minute"),
    ({"flags_per_day": "5"}, "flags_per_day"),
    ({"flags_per_day": True}, "flags_per_day"),
    ({"flags_per_day": 2.5}, "flags_per_day"),
    ({"votes_per_day": 5}, "votes_per_day"),
])
def test_bad_rules_change_nothing(api, campaign, moderator, change, field):
    before, entries = stored_rules(campaign), count(AuditEntry)
    payload = {k: v for k, v in {**RULES, **change}.items() if v is not None}
    response = api.put(rules_path(campaign), as_user=moderator, json=payload)
    assert response.status_code == 422 and field in error_of(response)["fields"]
    assert stored_rules(campaign) == before and count(AuditEntry) == entries


# --- the code of conduct -------------------------------------------------------------------------

@pytest.fixture
def with_conduct(campaign, idea):
    """The campaign, with an idea posted before it had a code of conduct."""
    set_rules(campaign, code_of_conduct="No selling.")
    return campaign


def test_posting_needs_the_code_of_conduct_accepted(api, with_conduct, user, token):
    campaign = with_conduct
    assert api.get(rules_path(campaign), token=token).get_json()["acceptance_needed"] is True
    refused = api.post(ideas_path(campaign), token=token, json={"title": "My first idea", "body": "B"})
    assert refused.status_code == 422
    assert error_of(refused)["code"] == "conduct_not_accepted"
    assert "accept_code_of_conduct" in error_of(refused)["fields"]
    assert count(Idea) == 1 and count(ConductAcceptance) == 0

    declined = api.post(ideas_path(campaign), token=token,
                        json={"title": "My first idea", "body": "B", "accept_code_of_conduct": False})
    assert declined.status_code == 422 and count(Idea) == 1
    accepted = api.post(ideas_path(campaign), token=token,
                        json={"title": "My first idea", "body": "B", "accept_code_of_conduct": True})
    assert accepted.status_code == 201 and count(ConductAcceptance) == 1
    later = api.post(ideas_path(campaign), token=token, json={"title": "My second idea", "body": "B"})
    assert later.status_code == 201
    assert api.get(rules_path(campaign), token=token).get_json()["acceptance_needed"] is False


def test_a_refused_post_records_no_acceptance(api, with_conduct, token):
    response = api.post(ideas_path(with_conduct), token=token,
                        json={"title": "Tiny", "body": "B", "accept_code_of_conduct": True})
    assert response.status_code == 422 and "title" in error_of(response)["fields"]
    assert count(ConductAcceptance) == 0


def test_commenting_needs_it_too(api, with_conduct, idea, token):
    path = f"/api/v1/ideas/{idea.id}/comments"
    refused = api.post(path, token=token, json={"body": "Nice"})
    assert refused.status_code == 422 and "accept_code_of_conduct" in error_of(refused)["fields"]
    assert count(Comment) == 0
    accepted = api.post(path, token=token, json={"body": "Nice", "accept_code_of_conduct": True})
    assert accepted.status_code == 201


def test_accepting_on_its_own(api, with_conduct, token):
    response = api.post(acceptance_path(with_conduct), token=token)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["acceptance_needed"], body["code_of_conduct"]) == (False, "No selling.")
    assert api.post(acceptance_path(with_conduct), token=token).status_code == 200  # harmless again
    assert count(ConductAcceptance) == 1
    assert api.post(ideas_path(with_conduct), token=token,
                    json={"title": "My first idea", "body": "B"}).status_code == 201


def test_accepting_needs_a_token_and_a_visible_campaign(api, admin, token):
    campaign = factories.make_campaign(admin)
    assert api.post(acceptance_path(campaign)).status_code == 401
    private = factories.make_campaign(admin, audience=("customer",), is_private=True)
    assert api.post(acceptance_path(private), token=token).status_code == 404
    assert count(ConductAcceptance) == 0


@pytest.mark.parametrize("value", ["yes", 1, [True]])
def test_acceptance_is_a_boolean(api, with_conduct, idea, token, value):
    response = api.post(ideas_path(with_conduct), token=token,
                        json={"title": "My first idea", "body": "B", "accept_code_of_conduct": value})
    assert response.status_code == 422 and "accept_code_of_conduct" in error_of(response)["fields"]
    response = api.post(f"/api/v1/ideas/{idea.id}/comments", token=token,
                        json={"body": "Nice", "accept_code_of_conduct": value})
    assert response.status_code == 422 and "accept_code_of_conduct" in error_of(response)["fields"]
    assert count(ConductAcceptance) == 0 and count(Idea) == 1 and count(Comment) == 0


# --- pre-moderation and pace limits ---------------------------------------------------------------

def test_premoderated_kinds_wait_for_approval(api, campaign, moderator):
    set_rules(campaign, premoderated_kinds=["customer"])
    customer = factories.make_user(kind="customer")
    staff = factories.make_user()
    waiting = api.post(ideas_path(campaign), as_user=customer, json={"title": "Customer idea", "body": "B"})
    direct = api.post(ideas_path(campaign), as_user=staff, json={"title": "Staff idea", "body": "B"})
    own = api.post(ideas_path(campaign), as_user=factories.make_user(role=Role.MODERATOR, kind="customer"),
                   json={"title": "Moderator idea", "body": "B"})
    assert [r.get_json()["state"] for r in (waiting, direct, own)] == ["pending", "published", "published"]
    listed = [i["id"] for i in api.get(ideas_path(campaign), as_user=moderator).get_json()["items"]]
    assert waiting.get_json()["id"] not in listed and direct.get_json()["id"] in listed


def test_the_ideas_per_hour_limit(api, campaign, token):
    set_rules(campaign, ideas_per_hour=1)
    first = api.post(ideas_path(campaign), token=token, json={"title": "First idea", "body": "B"})
    assert first.status_code == 201
    response = api.post(ideas_path(campaign), token=token, json={"title": "Second idea", "body": "B"})
    assert response.status_code == 429 and error_of(response)["code"] == "rate_limited"
    assert count(Idea) == 1


def test_the_comments_per_minute_limit(api, idea, token):
    set_rules(idea.campaign, comments_per_minute=1)
    path = f"/api/v1/ideas/{idea.id}/comments"
    assert api.post(path, token=token, json={"body": "One"}).status_code == 201
    response = api.post(path, token=token, json={"body": "Two"})
    assert response.status_code == 429 and error_of(response)["code"] == "rate_limited"
    assert count(Comment) == 1
