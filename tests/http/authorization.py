"""The authorization matrix: every page route, API operation and socket event, tried by every
kind of person, against the table in docs/AUTHORIZATION.md.

Each route gets a fresh jam (``World``): a public campaign open to staff, partners and
customers, and a private one for staff only, each with an idea and a comment by the author,
an idea by a bystander, a flag, a merge, a served pair; an invite, an access token. Then the
people below try the route in turn — the least trusted first, so no privileged action
(hiding, merging) changes what a later, less trusted person would meet.

What counts is the authorization decision, not whether the input was good:

  login  the route wants a signed-in person (a page redirects to the login page, the API 401)
  403    signed in, but not allowed
  404    not allowed to know it exists (private campaigns, hidden posts, others' objects)
  ok     past the checks: done, or refused for a reason that is not about who asks
         (a 409 conflict, a 422 invalid field)

``python -m tests.http.authorization`` prints the table as the code behaves now, for review.
"""
import itertools
import re
import sys
from datetime import timedelta

from flask import Flask

from app.domain import accounts, api_tokens, comparisons, flags, invites, merges, reviews
from app.domain.clock import utcnow
from app.extensions import db
from app.models import ParticipantKind, Role
from app.models.theme import Theme
from tests import factories

ROLES = ("anonymous", "visitor", "outsider", "partner", "customer", "staff", "author", "executive", "moderator", "admin")
DOC = "docs/AUTHORIZATION.md"
SIGNED_OUT = ("anonymous", "visitor")
# Who addresses the private campaign's objects: a signed-out visitor following a link, and a
# signed-in customer the campaign is not for.
PRIVATE_SCOPE = ("visitor", "outsider")
SOCKET_EVENTS = ("join_campaign", "catch_up", "follow_dashboard")
_serial = itertools.count(1)


class World:
    """One fresh jam for one route."""

    def __init__(self):
        n = next(_serial)
        self.people = {
            "admin": factories.make_admin(email=f"admin{n}@matrix.example"),
            "moderator": factories.make_user(role=Role.MODERATOR),
            "executive": factories.make_user(role=Role.EXECUTIVE),
            "author": factories.make_user(kind=ParticipantKind.STAFF, display_name="Author"),
            "staff": factories.make_user(kind=ParticipantKind.STAFF),
            "partner": factories.make_user(kind=ParticipantKind.PARTNER),
            "customer": factories.make_user(kind=ParticipantKind.CUSTOMER),
        }
        # A customer of their own: the private campaign is for staff only.
        self.people["outsider"] = factories.make_user(kind=ParticipantKind.CUSTOMER)
        bystander = factories.make_user(kind=ParticipantKind.STAFF)
        admin, moderator = self.people["admin"], self.people["moderator"]
        self.scopes = {}
        for name, private in (("public", False), ("private", True)):
            campaign = factories.make_campaign(admin, is_private=private,
                                               audience=("staff",) if private else ("staff", "partner", "customer"))
            idea = factories.make_idea(campaign, self.people["author"], title=f"The author's {name} idea")
            other = factories.make_idea(campaign, bystander, title=f"A bystander's {name} idea")
            spare = factories.make_idea(campaign, bystander, title=f"A merged {name} idea")
            comment = factories.make_comment(idea, self.people["author"], body="The author's comment")
            flags.flag_idea(self.people["staff"], other.id, reason="off_topic")
            merge = merges.merge_idea(moderator, spare.id, into=other.id)
            pair = comparisons.serve_pair(self.people["staff"], campaign.id)
            reviews.record_decision(moderator, other.id, outcome="selected", owner_id=bystander.id,
                                    note="Go ahead")
            theme = Theme(campaign_id=campaign.id, label="pilot · stores", size=1, created_at=utcnow(),
                          updated_at=utcnow())
            db.session.add(theme)
            db.session.commit()
            self.scopes[name] = {"theme_id": theme.id,"slug": campaign.slug, "campaign": campaign.slug, "idea_id": idea.id,
                                 "comment_id": comment.id, "merge_id": merge.id, "comparison_id": pair.id,
                                 "other_idea_id": other.id, "campaign_id": campaign.id,
                                 "decided_idea_id": other.id}
        invite = invites.create_invite(admin, kind="partner", max_uses=5, expires_in_days=7)
        token, _plain = api_tokens.create_api_token(self.people["author"], name="matrix")
        # Mailed links: to finish registering a new address, and to reset the password of
        # someone none of the people above is (a reset ends that person's sessions).
        forgetful = factories.make_user(kind=ParticipantKind.STAFF)
        self.shared = {"user_id": self.people["author"].id, "invite_id": invite.id, "token_id": token.id,
                       "register_token": accounts.make_registration_token(f"newcomer{n}@matrix.example"),
                       "reset_token": accounts.make_password_reset_token(forgetful),
                       "name": "corp"}  # a sign-in provider's name; the matrix's jam configures none
        self.tokens = {role: api_tokens.create_api_token(person, name="matrix")[1]
                       for role, person in self.people.items()}
        # Session ids, read now: socket handlers end the session, detaching these objects.
        self.session_ids = {role: person.get_id() for role, person in self.people.items()}

    def values(self, role):
        scope = self.scopes["private" if role in PRIVATE_SCOPE else "public"]
        return dict(self.shared, **scope)


def concrete(rule, values):
    """The rule's URL with its arguments filled in."""
    def fill(match):
        name = match.group(1)
        if name == "fmt":
            return "csv"
        if name == "idea_id" and rule.rule.endswith("/decision"):
            return str(values["decided_idea_id"])
        if name == "token":  # a mailed link's token
            return values["reset_token" if rule.rule.startswith("/password/reset/") else "register_token"]
        if name not in values:
            raise KeyError(f"{rule.rule}: the matrix's jam has no {name}; add one to World")
        return str(values[name])
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", fill, rule.rule)


def form_data(values):
    """One form that fits every page form: fields a form does not have are ignored."""
    soon = (utcnow() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    return {"title": "A title long enough", "body": "A body.", "question": "How could we do better?",
            "value": "up", "reason": "off_topic", "note": "Because.", "status": "shortlisted",
            "choice": "left", "into": values["other_idea_id"], "tags": "x", "locale": "en",
            "kind": "partner", "role": "participant", "max_uses": "3", "expires_in_days": "7",
            "ends_at": soon, "starts_at": "2026-01-01T09:00", "until": soon, "outcome": "selected",
            "owner_id": values["user_id"], "reviewer_ids": values["user_id"], "action": "hide",
            "keys": f"idea:{values['idea_id']}", "idea_ids": values["idea_id"], "audience": "staff",
            "voting_mode": "both", "display_name": "Name", "name": "Token", "code_of_conduct": "",
            "ideas_per_hour": "10", "comments_per_minute": "5", "flags_per_day": "20",
            "current_password": factories.PASSWORD, "new_password": "granite teapot orbit",
            "confirm_password": "granite teapot orbit", "email": "matrix@example.com",
            "password": "granite teapot orbit", "criteria-0-name": "Impact", "criteria-0-weight": "1"}


def api_body(method, path, values):
    """A plausible JSON body for each API operation, so the domain's checks are reached."""
    soon = (utcnow() + timedelta(days=30)).isoformat()
    bodies = [
        (r"/themes/\d+$", {"name": "Pop-up stores"}),
        (r"/themes/\d+/merge$", {"into": values["theme_id"]}),
        (r"/ideas$", {"title": "A title long enough", "body": "A body."}),
        (r"/ideas/\d+$", {"body": "A better body."}),
        (r"/vote$", {"value": "up"}),
        (r"/ideas/\d+/comments$", {"body": "A comment."}),
        (r"/comments/\d+$", {"body": "A better comment."}),
        (r"/status$", {"status": "shortlisted", "note": "Yes"}),
        (r"/answer$", {"choice": "left"}),
        (r"/rules$", {"code_of_conduct": "Be kind.", "premoderated_kinds": [], "ideas_per_hour": 10,
                      "comments_per_minute": 5, "flags_per_day": 20}),
        (r"/flags$", {"reason": "off_topic"}),
        (r"/moderation/dismiss$", {"key": f"idea:{values['other_idea_id']}"}),
        (r"/(hide|restore)$", {"reason": "Off topic"}),
        (r"/ideas/\d+/moderator-edit$", {"title": "A title long enough", "body": "Tidier.", "tags": [],
                                          "reason": "Tidy"}),
        (r"/comments/\d+/moderator-edit$", {"body": "Tidier.", "reason": "Tidy"}),
        (r"/moderation/bulk$", {"action": "hide", "keys": [f"idea:{values['idea_id']}"], "reason": "Spam"}),
        (r"/comments-lock$", {"locked": True, "reason": "Heated"}),
        (r"/merge$", {"into": values["other_idea_id"], "note": "Same"}),
        (r"/undo$", {"reason": "Oops"}),
        (r"/warn$", {"reason": "Mind your tone"}),
        (r"/suspension$", {"until": soon, "reason": "Cool down"} if method == "POST" else None),
        (r"/review-criteria$", {"criteria": [{"name": "Impact", "weight": 1}]}),
        (r"/board/moves$", {"idea_ids": [values["idea_id"]], "status": "shortlisted"}),
        (r"/reviewers$", {"reviewer_ids": [values["user_id"]]}),
        (r"/review$", {"scores": {}}),
        (r"/decision$", {"outcome": "selected", "owner_id": values["user_id"], "note": "Go"}),

    ]
    if method in ("GET", "DELETE"):
        return None
    for pattern, body in bodies:
        if re.search(pattern, path.split("?")[0]):
            return body
    return None


def outcome(response, api):
    """The authorization decision a response shows."""
    status = response.status_code
    assert status < 500, response.get_data(as_text=True)[:500]
    if api:
        return {401: "login", 403: "403", 404: "404"}.get(status, "ok")
    if status == 302 and "/login" in response.headers.get("Location", ""):
        return "login"
    return {401: "login", 403: "403", 404: "404"}.get(status, "ok")


def sign_in(client, session_id):
    with client.session_transaction() as session:
        session.clear()
        if session_id is not None:
            session["_user_id"] = session_id
            session["_fresh"] = True


def route_rows(app: Flask):
    """(method, rule) of every page route and API operation."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield method, rule


def try_route(app, method, rule):
    """Every role's outcome for one route, on a fresh jam."""
    world = World()
    api = rule.rule.startswith("/api/")
    results = {}
    for role in ROLES:
        values = world.values(role)
        path = concrete(rule, values)
        if path.endswith("/suspension") and method == "DELETE":
            path += "?reason=Served"
        client = app.test_client()
        signed_in = role not in SIGNED_OUT
        if api:
            headers = {"Authorization": f"Bearer {world.tokens[role]}"} if signed_in else {}
            response = client.open(path, method=method, headers=headers, json=api_body(method, path, values))
        else:
            sign_in(client, world.session_ids[role] if signed_in else None)
            response = client.open(path, method=method, data=form_data(values))
        results[role] = outcome(response, api)
        response.close()  # a streamed answer (the exports) ends its request context here
        db.session.rollback()
        db.session.expire_all()
    return results


def try_socket_event(app, event):
    """Every role's outcome for one socket event (the Flask-SocketIO test client)."""
    from app.extensions import socketio

    from flask import g

    world = World()
    results = {}
    for role in ROLES:
        values = world.values(role)
        for name in list(vars(g)):  # the socket's own request must load its own user
            delattr(g, name)
        client = app.test_client()
        sign_in(client, None if role in SIGNED_OUT else world.session_ids[role])
        sio = socketio.test_client(app, flask_test_client=client)
        reply = sio.emit(event, {"campaign_id": values["campaign_id"], "after": 0}, callback=True)
        sio.disconnect()
        if not isinstance(reply, dict):
            raise AssertionError(f"{event} gave no reply for {role}: {reply!r}")
        code = (reply.get("error") or {}).get("code")
        results[role] = "ok" if reply.get("ok") else {"not_found": "404", "forbidden": "403",
                                                      "authentication_required": "login"}.get(code, code)
        db.session.rollback()
    return results


def row_key(method, rule_text):
    return f"{method} {rule_text}"


def read_table(path=DOC):
    """The expected outcomes: {"METHOD /rule": {role: outcome}} from the document's tables."""
    expected = {}
    with open(path, encoding="utf-8") as document:
        for line in document:
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if len(cells) != len(ROLES) + 2 or cells[0] in ("Method", "---") or set(cells[0]) <= {"-", ":"}:
                continue
            expected[row_key(cells[0], cells[1].strip("`"))] = dict(zip(ROLES, cells[2:]))
    return expected


def format_row(method, rule_text, results):
    return "| " + " | ".join([method, f"`{rule_text}`"] + [results[role] for role in ROLES]) + " |"


def main():
    from app import create_app
    from config import TestingConfig

    from flask import request_started

    from tests.conftest import _clear_g

    app = create_app(TestingConfig)
    request_started.connect(_clear_g, app)  # each request its own g, as in production
    with app.app_context():
        db.create_all()
        print("| Method | Route | " + " | ".join(ROLES) + " |")
        print("|---|---|" + "---|" * len(ROLES))
        for method, rule in route_rows(app):
            print(format_row(method, rule.rule, try_route(app, method, rule)), flush=True)
        for event in SOCKET_EVENTS:
            print(format_row("EVENT", event, try_socket_event(app, event)), flush=True)


if __name__ == "__main__":
    sys.exit(main())
