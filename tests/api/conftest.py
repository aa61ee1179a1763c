"""API test helpers: a client that sends tokens and checks EVERY response it receives
against the OpenAPI document the app serves (status documented, body matches schema)."""
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from werkzeug.exceptions import MethodNotAllowed, NotFound

from app.api.openapi import build_document, openapi_path
from app.domain import api_tokens, rules
from app.extensions import db
from app.models import Role
from tests import factories


def schema_validator(document, schema):
    """A validator for ``schema`` whose #/components/... references resolve in ``document``."""
    return Draft202012Validator({**schema, "components": document["components"]},
                                format_checker=FormatChecker())


def error_schema(document):
    return {"$ref": "#/components/schemas/Error"}


def documented_response(document, path, method, status):
    """The response object the document gives for this call, or None if undocumented."""
    operation = document["paths"][path][method.lower()]
    response = operation["responses"].get(str(status))
    if response and "$ref" in response:
        response = document["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response


class ApiClient:
    """Wraps the Flask test client; ``token`` (or ``as_user``) adds a Bearer header."""

    def __init__(self, app, client):
        self.app = app
        self.client = client
        self.document = None
        self.checked = []  # (openapi path or None, method, status) of every call

    def token_for(self, user):
        _token, plaintext = api_tokens.create_api_token(user, name="t")
        return plaintext

    def request(self, method, path, *, json=None, data=None, token=None, as_user=None,
                headers=None, **kwargs):
        headers = dict(headers or {})
        if as_user is not None:
            token = self.token_for(as_user)
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if json is not None:
            kwargs["json"] = json
        if data is not None:
            kwargs["data"] = data
        response = self.client.open(path, method=method, headers=headers, **kwargs)
        self.check(method, path, response)
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request("PATCH", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def check(self, method, path, response):
        """Fail unless the response's status and body are what the document promises."""
        assert response.status_code != 500, response.get_data(as_text=True)
        if self.document is None:
            with self.app.test_request_context():
                self.document = build_document()
        document = self.document
        adapter = self.app.url_map.bind("localhost")
        try:
            rule, _args = adapter.match(path.split("?", 1)[0], method=method, return_rule=True)
        except (NotFound, MethodNotAllowed):
            rule = None
        if rule is None or not rule.endpoint.startswith("api."):
            # Unknown route or method: still the API's error shape.
            assert response.is_json, response.get_data(as_text=True)
            schema_validator(document, error_schema(document)).validate(response.get_json())
            self.checked.append((None, method, response.status_code))
            return
        oa_path = openapi_path(rule)
        documented = documented_response(document, oa_path, method, response.status_code)
        assert documented is not None, (
            f"{method} {oa_path} answered {response.status_code}, which the document does not list: "
            f"{response.get_data(as_text=True)}")
        content = documented.get("content")
        if content is None:
            assert response.get_data() == b""
        elif response.mimetype == "text/csv":
            assert "text/csv" in content, f"{method} {oa_path} answered CSV, which the document does not list"
            assert response.get_data(as_text=True).lstrip("\ufeff").startswith("id,")
        else:
            assert response.is_json, response.get_data(as_text=True)
            schema = content["application/json"]["schema"]
            schema_validator(document, schema).validate(response.get_json())
        self.checked.append((oa_path, method, response.status_code))


@pytest.fixture
def api(app, client):
    return ApiClient(app, client)


@pytest.fixture
def user(app):
    return factories.make_user()


@pytest.fixture
def token(api, user):
    return api.token_for(user)


@pytest.fixture
def idea(campaign):
    return factories.make_idea(campaign, title="A greener data centre")


def count(model):
    return db.session.query(model).count()


def error_of(response):
    return response.get_json()["error"]


# Who may and who may not moderate.
MODERATOR_ROLES = (Role.MODERATOR, Role.ADMIN)
OTHER_ROLES = (Role.PARTICIPANT, Role.EXECUTIVE)


def set_rules(campaign, **changes):
    """Change some of a campaign's rules through the domain, keeping the others."""
    return rules.update_campaign_rules(factories.make_admin(), campaign.id,
                                       **{**rules.rules_of(campaign), **changes})
