"""Rate limits per person and per network address (Flask-Limiter), on the pages and the API:
each refusal is a 429 that says when to try again; counters are shared through Redis."""
import re
import uuid

import pytest

from app import create_app
from app.extensions import db
from config import TestingConfig
from tests import factories
from tests.api.conftest import ApiClient, error_of
from tests.services import REDIS_URL, require_redis

LIMITS = {
    "login": ("3 per minute", "5 per minute"),
    "register": ("2 per minute", "3 per minute"),
    "password_reset": ("2 per minute", "3 per minute"),
    "ideas": ("2 per minute", "50 per minute"),
    "comments": ("2 per minute", "50 per minute"),
    "votes": ("3 per minute", "5 per minute"),
    "flags": ("2 per minute", "50 per minute"),
    "previews": ("2 per minute", "50 per minute"),
}


def limited_app(storage="memory://", prefix=None, database_url=None):
    class Limited(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url or TestingConfig.SQLALCHEMY_DATABASE_URI
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = storage
        RATELIMIT_KEY_PREFIX = prefix or f"test-{uuid.uuid4().hex}"
        RATE_LIMITS = LIMITS
    return create_app(Limited)


@pytest.fixture
def app(clock):
    app = limited_app()
    app.config["CLOCK"] = clock
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()


def retry_seconds(response):
    seconds = int(response.headers["Retry-After"])
    assert 1 <= seconds <= 61  # a one-minute window, rounded up
    return seconds


def test_guessing_one_accounts_password_is_slowed(client, app):
    person = factories.make_user()
    for _ in range(3):
        wrong = client.post("/login", data={"email": person.email, "password": "not the password"})
        assert wrong.status_code == 401
    refused = client.post("/login", data={"email": person.email, "password": factories.PASSWORD})
    assert refused.status_code == 429  # even the right password waits: guessing gains nothing
    seconds = retry_seconds(refused)
    assert f"try again in {seconds} second" in refused.get_data(as_text=True)
    # Another account from the same address still gets through, up to the address's limit.
    other = factories.make_user()
    assert client.post("/login", data={"email": other.email, "password": factories.PASSWORD}).status_code == 302
    assert client.post("/login", data={"email": "ghost@example.com", "password": "x"}).status_code == 429


def test_the_login_page_itself_is_never_limited(client, app):
    for _ in range(10):
        assert client.get("/login").status_code == 200


@pytest.mark.parametrize("path", ["/register", "/password/reset"])
def test_mailing_one_inbox_is_limited_from_any_address(client, app, outbox, path):
    factories.make_user(email="target@example.com")

    def ask(email, address):
        return client.post(path, data={"email": email}, environ_base={"REMOTE_ADDR": address})
    # One inbox from three network addresses: two mails, then a refusal however it is spelled.
    assert [ask(email, f"10.0.0.{n}").status_code
            for n, email in enumerate(["target@example.com", "Target@Example.com", "TARGET@example.COM"])
            ] == [200, 200, 429]
    refused = ask("target@example.com", "10.0.0.9")
    assert refused.status_code == 429 and "try again in" in refused.get_data(as_text=True)
    retry_seconds(refused)
    assert len(outbox) == 2
    # Another inbox is not held up by it.
    assert ask("someone.else@example.com", "10.0.0.9").status_code == 200


@pytest.mark.parametrize("path", ["/register", "/password/reset"])
def test_asking_for_mail_is_limited_per_address(client, app, outbox, path):
    statuses = [client.post(path, data={"email": f"new{n}@example.com"}).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert len(outbox) == 3
    # The page itself, and the other of the two, are not held up by it.
    assert client.get(path).status_code == 200
    other = "/password/reset" if path == "/register" else "/register"
    assert client.post(other, data={"email": "new9@example.com"}).status_code == 200


def test_votes_over_the_api_per_person_then_per_address(app, client, campaign):
    api = ApiClient(app, client)
    ideas = [factories.make_idea(campaign) for _ in range(6)]
    first, second = factories.make_user(), factories.make_user()
    first_token, second_token = api.token_for(first), api.token_for(second)
    for idea in ideas[:3]:
        assert api.put(f"/api/v1/ideas/{idea.id}/vote", token=first_token, json={"value": "up"}).status_code == 200
    refused = api.put(f"/api/v1/ideas/{ideas[3].id}/vote", token=first_token, json={"value": "up"})
    assert refused.status_code == 429 and error_of(refused)["code"] == "rate_limited"
    assert re.search(r"try again in \d+ seconds?", error_of(refused)["message"])
    retry_seconds(refused)
    # A second person from the same address has their own allowance, until the address's runs out
    # (3 + 1 refused + 2 = the address's 5 and one over).
    assert api.put(f"/api/v1/ideas/{ideas[4].id}/vote", token=second_token, json={"value": "up"}).status_code == 200
    assert api.put(f"/api/v1/ideas/{ideas[5].id}/vote", token=second_token,
                   json={"value": "up"}).status_code == 429
    # Nothing refused was stored.
    assert sum(db.session.get(type(i), i.id).up_count for i in ideas) == 4


def test_page_votes_comments_ideas_and_flags_share_the_apis_allowance(app, client, campaign, auth):
    person = factories.make_user()
    idea = factories.make_idea(campaign)
    auth.login(person)
    for _ in range(2):
        assert client.post(f"/ideas/{idea.id}/comments", data={"body": "Nice"}).status_code == 302
    refused = client.post(f"/ideas/{idea.id}/comments", data={"body": "Nice again"})
    assert refused.status_code == 429 and "try again in" in refused.get_data(as_text=True)
    api = ApiClient(app, client)
    token = api.token_for(person)
    assert api.post(f"/api/v1/ideas/{idea.id}/comments", token=token, json={"body": "Via API"}).status_code == 429
    for n in range(2):
        assert client.post(f"/c/{campaign.slug}/ideas", data={"title": f"Idea number {n}", "body": "B"}).status_code == 302
    assert client.post(f"/c/{campaign.slug}/ideas", data={"title": "One more idea", "body": "B"}).status_code == 429
    other = factories.make_idea(campaign)
    for reason in ("off_topic", "other"):
        client.post(f"/ideas/{other.id}/flag", data={"reason": reason, "note": "x"})
    assert client.post(f"/ideas/{other.id}/flag", data={"reason": "abusive"}).status_code == 429


def test_counters_are_shared_between_processes_through_redis(clock, tmp_path):
    require_redis()
    prefix, database = f"test-{uuid.uuid4().hex}", f"sqlite:///{tmp_path / 'jam.sqlite'}"
    first, second = limited_app(REDIS_URL, prefix, database), limited_app(REDIS_URL, prefix, database)
    for app in (first, second):
        app.config["CLOCK"] = clock
    with first.app_context():
        db.create_all()
        person = factories.make_user()
        email = person.email
    statuses = []
    for n in range(4):
        app = first if n % 2 == 0 else second
        with app.app_context():
            statuses.append(app.test_client().post("/login", data={"email": email, "password": "wrong"}).status_code)
    assert statuses == [401, 401, 401, 429]


def test_previews_are_rate_limited_on_the_page_and_the_api_alike(app, client, auth):
    person = factories.make_user()
    auth.login(person)
    json = {"Accept": "application/json"}
    for _ in range(2):
        assert client.post("/preview", data={"kind": "idea", "body": "Hi"}, headers=json).status_code == 200
    refused = client.post("/preview", data={"kind": "idea", "body": "Hi"}, headers=json)
    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "rate_limited"
    retry_seconds(refused)
    api = ApiClient(app, client)
    assert api.post("/api/v1/previews", token=api.token_for(person),
                    json={"kind": "idea", "body": "Hi"}).status_code == 429
