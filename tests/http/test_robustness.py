"""Odd input anywhere in the pages gets a clear answer, never a server error."""
import pytest

from tests import factories as f

ODD = ["", "x", "-1", "0", "1.5", "²", "٣", "99999999999999999999999", "%00", "'; drop table",
       "<script>alert(1)</script>", "a" * 5000, "null", "[]", "\u202e", "電信"]


@pytest.fixture
def world(app, admin):
    campaign = f.make_campaign(admin)
    idea = f.make_idea(campaign)
    comment = f.make_comment(idea)
    return campaign, idea, comment


def server_errors(client, requests):
    bad = []
    for method, path, data in requests:
        for accept in ("text/html", "application/json"):
            response = client.open(path, method=method, data=data, headers={"Accept": accept})
            if response.status_code >= 500:
                bad.append((method, path[:80], str(data)[:60], accept, response.status_code))
    return bad


def test_odd_query_strings_and_ids(client, auth, world):
    campaign, idea, _comment = world
    auth.login(f.make_user())
    requests = []
    for v in ODD:
        requests += [("GET", p, None) for p in (
            f"/c/{campaign.slug}?sort={v}&page={v}&tag={v}&q={v}", f"/c/{v}", f"/ideas/{v}",
            f"/people/{v}", f"/comments/{v}/edit", f"/ideas/{idea.id}/versions?page={v}",
            f"/?next={v}", f"/login?next={v}", f"/register?invite={v}", f"/notifications?x={v}")]
    assert server_errors(client, requests) == []


def test_odd_form_posts_as_a_participant(client, auth, world):
    campaign, idea, comment = world
    auth.login(comment.author)
    requests = []
    for v in ODD:
        requests += [
            ("POST", f"/ideas/{idea.id}/vote", {"value": v, "next": v}),
            ("POST", f"/ideas/{idea.id}/comments", {"body": v, "parent_id": v}),
            ("POST", f"/c/{campaign.slug}/ideas", {"title": v, "body": v, "tags": v}),
            ("POST", "/language", {"locale": v, "next": v}),
            ("POST", "/profile", {"display_name": v, "country": v, "locale": v, "timezone": v}),
            ("POST", "/profile/tokens", {"name": v}),
            (f"POST", f"/profile/tokens/{v}/revoke", {}),
            ("POST", f"/comments/{comment.id}/edit", {"body": v}),
            ("POST", f"/ideas/{idea.id}/edit", {"title": v, "body": v, "tags": v}),
            ("POST", f"/ideas/{v}/follow", {}),
        ]
    assert server_errors(client, requests) == []


def test_odd_form_posts_as_an_admin(client, auth, admin, world):
    campaign, idea, _comment = world
    auth.login(admin)
    requests = []
    for v in ODD:
        requests += [
            ("POST", "/admin/invites", {"kind": v, "max_uses": v, "expires_in_days": v}),
            ("POST", f"/admin/invites/{v}/revoke", {}),
            ("POST", f"/admin/people/{v}", {"role": v, "kind": v, "active": v}),
            ("POST", "/campaigns/new", {"title": v, "question": v, "description": v,
                                        "starts_at": v, "ends_at": v, "audience": v}),
            ("POST", f"/c/{campaign.slug}/extend", {"ends_at": v}),
            ("GET", f"/admin/people?q={v}&page={v}", None),
            ("POST", f"/ideas/{idea.id}/status", {"status": v, "note": v}),
            ("GET", f"/admin/audit/?action={v}&actor_id={v}&campaign_id={v}&page={v}", None),
        ]
    assert server_errors(client, requests) == []


def test_odd_registration_and_login(client):
    from app.domain import accounts

    link = "/register/" + accounts.make_registration_token("odd@example.com")
    reset = "/password/reset/" + accounts.make_password_reset_token(f.make_user())
    requests = []
    for v in ODD:
        requests += [("POST", "/register", {"email": v, "invite_code": v}),
                     ("POST", link, {"password": v, "confirm_password": v, "display_name": v,
                                     "department": v, "country": v, "locale": v}),
                     ("GET", f"/register/{v}", None), ("POST", f"/register/{v}", {"display_name": v}),
                     ("POST", "/password/reset", {"email": v}),
                     ("POST", reset, {"password": v, "confirm_password": v}),
                     ("GET", f"/password/reset/{v}", None), ("POST", f"/password/reset/{v}", {"password": v}),
                     ("POST", "/login", {"email": v, "password": v, "next": v})]
    assert server_errors(client, requests) == []
