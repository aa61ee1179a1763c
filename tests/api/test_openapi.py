"""The OpenAPI document matches the API: same routes and methods, valid document, and
responses that validate against its schemas (every ApiClient call checks that; the
walk-through below reaches every operation's success response)."""
import jsonschema
import pytest
from openapi_spec_validator import validate

from app.api.openapi import openapi_path
from app.domain import themes
from app.models import Role
from tests import factories
from tests.api.conftest import schema_validator


@pytest.fixture
def document(api):
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def api_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")]


def test_the_document_is_valid_openapi(document):
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_route_is_documented_with_its_methods(app, document):
    routes = {}
    for rule in api_rules(app):
        routes.setdefault(openapi_path(rule), set()).update(rule.methods - {"HEAD", "OPTIONS"})
    documented = {path: {m.upper() for m in item} for path, item in document["paths"].items()}
    assert documented == routes


def test_every_documented_path_parameter_is_in_the_path(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            in_path = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert in_path == set(part[1:-1] for part in path.split("/") if part.startswith("{")), (
                method, path)


def test_operation_ids_are_unique(document):
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))


def test_bearer_security_scheme(document):
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["bearerAuth"]["description"]}
    assert document["paths"]["/api/v1/me"]["get"]["security"] == [{"bearerAuth": []}]
    assert {} in document["paths"]["/api/v1/campaigns"]["get"]["security"]


def test_every_operation_documents_the_error_schema(document):
    error_ref = {"$ref": "#/components/schemas/Error"}
    for response in document["components"]["responses"].values():
        assert response["content"]["application/json"]["schema"] == error_ref
    for item in document["paths"].values():
        for operation in item.values():
            assert "401" in operation["responses"]
            if "requestBody" in operation:
                assert {"400", "422"} <= set(operation["responses"])


def test_the_schemas_are_strict_enough_to_catch_drift(document):
    validator = schema_validator(document, {"$ref": "#/components/schemas/Idea"})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"id": 1})
    comment = schema_validator(document, {"$ref": "#/components/schemas/Comment"})
    with pytest.raises(jsonschema.ValidationError):
        comment.validate({"id": 1, "idea_id": 1, "parent_id": None, "author": {}, "body": "",
                          "body_html": "", "created_at": "x", "edited_at": None,
                          "deleted": False, "surprise": 1})


def test_every_operation_answers_as_documented(api, admin, document):
    """Walk through every operation once; ApiClient validates each response against the
    document, and this test checks that each operation's success response was seen."""
    campaign = factories.make_campaign(admin)
    author = factories.make_user()
    voter = factories.make_user()
    author_token, voter_token = api.token_for(author), api.token_for(voter)
    c = f"/api/v1/campaigns/{campaign.id}"

    api.get("/api/v1/openapi.json")
    api.get("/api/v1/campaigns", token=voter_token)
    api.get(c, token=voter_token)
    idea = api.post(c + "/ideas", token=author_token,
                    json={"title": "Walk-through idea", "body": "Body", "tags": ["walk"]}).get_json()
    i = f"/api/v1/ideas/{idea['id']}"
    api.get(c + "/ideas?sort=trending&tag=walk&q=walk&page=1&per_page=5", token=voter_token)
    api.get(i, token=voter_token)
    api.patch(i, token=author_token, json={"body": "Better body"})
    api.get(i + "/versions")
    api.post(i + "/follow", token=voter_token)
    api.delete(i + "/follow", token=voter_token)
    api.put(i + "/vote", token=voter_token, json={"value": "up"})
    api.delete(i + "/vote", token=voter_token)
    comment = api.post(i + "/comments", token=voter_token, json={"body": "Nice"}).get_json()
    reply = api.post(i + "/comments", token=author_token,
                     json={"body": "Thanks", "parent_id": comment["id"]}).get_json()
    api.get(i + "/comments")
    api.post("/api/v1/previews", token=voter_token, json={"kind": "comment", "body": "*Nice*"})
    api.get(f"/api/v1/comments/{comment['id']}")
    api.patch(f"/api/v1/comments/{comment['id']}", token=voter_token, json={"body": "Very nice"})
    api.delete(f"/api/v1/comments/{comment['id']}", token=voter_token)
    api.get("/api/v1/me", token=voter_token)
    api.get(c + "/events?after=0", token=voter_token)
    moderator_token = api.token_for(factories.make_user(role=Role.MODERATOR))
    api.put(i + "/status", token=moderator_token, json={"status": "shortlisted", "note": "Yes"})
    api.get(i + "/status-history")
    second = api.post(c + "/ideas", token=author_token,
                      json={"title": "Second walk-through idea", "body": "B"}).get_json()
    pair = api.post(c + "/comparisons", token=voter_token).get_json()
    api.post(f"/api/v1/comparisons/{pair['id']}/answer", token=voter_token, json={"choice": "left"})
    api.get(c + "/ranking?limit=5")

    # Rules, the code of conduct and pre-moderation
    rules = {"code_of_conduct": "Be kind.", "premoderated_kinds": ["staff"], "ideas_per_hour": 50,
             "comments_per_minute": 50, "flags_per_day": 50}
    api.put(c + "/rules", token=moderator_token, json=rules)
    api.get(c + "/rules", token=voter_token)
    api.post(c + "/code-of-conduct/acceptance", token=voter_token)
    pending = api.post(c + "/ideas", token=author_token,
                       json={"title": "Pending walk-through idea", "body": "B",
                             "accept_code_of_conduct": True}).get_json()
    api.post(f"/api/v1/ideas/{pending['id']}/approve", token=moderator_token)
    s = f"/api/v1/ideas/{second['id']}"
    pending_comment = api.post(s + "/comments", token=voter_token, json={"body": "Hm"}).get_json()
    api.post(f"/api/v1/comments/{pending_comment['id']}/approve", token=moderator_token)

    # Flags, the queue and acting on it
    r = f"/api/v1/comments/{reply['id']}"
    api.post(i + "/flags", token=voter_token, json={"reason": "off_topic"})
    api.post(r + "/flags", token=voter_token, json={"reason": "other", "note": "Spam"})
    api.get(f"/api/v1/moderation/queue?campaign={campaign.slug}&kind=idea&reason=off_topic"
            "&q=walk&page=1&per_page=10", token=moderator_token)
    api.post("/api/v1/moderation/dismiss", token=moderator_token, json={"key": f"idea:{idea['id']}"})
    api.post(r + "/hide", token=moderator_token, json={"reason": "Spam"})
    api.post(r + "/restore", token=moderator_token)
    api.put(r + "/moderator-edit", token=moderator_token, json={"body": "Thanks!", "reason": "Tidy"})
    api.post("/api/v1/moderation/bulk", token=moderator_token,
             json={"action": "hide", "keys": [f"comment:{reply['id']}"], "reason": "Spam"})
    api.post(i + "/hide", token=moderator_token, json={"reason": "Off topic"})
    api.post(i + "/restore", token=moderator_token, json={"reason": "On second thought"})
    api.put(i + "/moderator-edit", token=moderator_token,
            json={"title": "Walk-through idea", "body": "Tidier body", "tags": ["walk"],
                  "reason": "Tidy"})
    api.put(i + "/comments-lock", token=moderator_token, json={"locked": True, "reason": "Heated"})

    # Merges
    merge = api.post(s + "/merge", token=moderator_token,
                     json={"into": idea["id"], "note": "Same idea"}).get_json()
    api.post(f"/api/v1/merges/{merge['id']}/undo", token=moderator_token, json={"reason": "Oops"})

    # Warnings and suspensions
    u = f"/api/v1/users/{voter.id}"
    api.post(u + "/warn", token=moderator_token, json={"reason": "Mind your tone"})
    api.post(u + "/suspension", token=moderator_token,
             json={"until": "2999-01-01T00:00:00+08:00", "reason": "Cool down"})
    api.delete(u + "/suspension?reason=Served", token=moderator_token)

    # Shortlisting and review
    p = f"/api/v1/ideas/{pending['id']}"
    criteria = api.put(c + "/review-criteria", token=moderator_token,
                       json={"criteria": [{"name": "Impact", "weight": 1}]}).get_json()["items"]
    api.post(c + "/board/moves", token=moderator_token,
             json={"idea_ids": [pending["id"]], "status": "shortlisted"})
    api.put(p + "/reviewers", token=moderator_token, json={"reviewer_ids": [voter.id]})
    api.put(p + "/review", token=voter_token, json={"scores": {str(criteria[0]["id"]): 4}})
    api.get(c + "/board", token=moderator_token)
    api.put(p + "/decision", token=moderator_token,
            json={"outcome": "selected", "owner_id": author.id, "note": "Go"})
    api.get(p + "/decision")

    # Dashboards and exports
    executive_token = api.token_for(factories.make_user(role=Role.EXECUTIVE))
    api.get("/api/v1/dashboard?sort=trending", token=executive_token)
    api.get(c + "/dashboard?sort=top", token=voter_token)
    api.get(c + "/export", token=executive_token)
    api.get(c + "/export?format=csv", token=executive_token)

    # Themes, similar ideas and likely duplicates
    jam = factories.make_campaign(admin)
    for title in ("Explain every bill charge in plain words", "Plain words for every charge on the bill",
                  "Bill charges explained simply", "Roaming day pass at one price",
                  "One flat price for a roaming day", "Roaming pass for a whole day abroad"):
        factories.make_idea(jam, author, title=title, body=title)
    themes.refresh_themes(jam.id)
    t = f"/api/v1/campaigns/{jam.id}"
    api.get(t + "/similar-ideas?title=roaming%20price&body=day&limit=3", token=voter_token)
    listed = api.get(t + "/themes?limit=10").get_json()["items"]
    api.patch(f"/api/v1/themes/{listed[0]['id']}", token=moderator_token, json={"name": "Plain bills"})
    api.post(f"/api/v1/themes/{listed[1]['id']}/merge", token=moderator_token, json={"into": listed[0]["id"]})
    api.get(t + "/duplicates?limit=5", token=moderator_token)
    api.get("/api/v1/notifications", token=author_token)
    api.post("/api/v1/notifications/read", token=author_token)

    succeeded = {(path, method) for path, method, status in api.checked if status < 300}
    operations = {(path, method.upper()) for path, item in document["paths"].items()
                  for method in item}
    assert operations - succeeded == set()


def test_openapi_document_is_public(api):
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.is_json
