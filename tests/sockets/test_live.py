"""Every live event, permission denials, catch-up and bad input, against the real server."""
import threading
from datetime import datetime, timedelta, timezone

import pytest
import socketio

from app.domain import campaigns
from app.extensions import db
from app.models import User
from tests.server.conftest import offline_app

pytestmark = pytest.mark.server


def in_campaign(campaign_id, kind):
    return lambda data: data.get("campaign_id") == campaign_id and data.get("kind") == kind


# --- joining ------------------------------------------------------------------------------

def test_anyone_may_follow_a_public_campaign(live, connect):
    jam, _server, _api = live
    assert connect().join(jam.campaign_id) >= 0


@pytest.mark.parametrize("who", [None, "customer"])
def test_outsiders_cannot_join_a_private_campaign(live, connect, who):
    jam, _server, _api = live
    client = connect(jam.tokens[who] if who else None)
    reply = client.call("join_campaign", {"campaign_id": jam.private_campaign_id})
    assert reply == {"ok": False, "error": {"code": "not_found", "message": reply["error"]["message"]}}


def test_the_private_campaigns_audience_may_join(live, connect):
    jam, _server, _api = live
    assert connect(jam.tokens["staff"]).join(jam.private_campaign_id) >= 0


def test_an_invalid_token_is_refused(live):
    _jam, server, _api = live
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(server.url, transports=["websocket"], auth={"token": "ij_forged"}, wait_timeout=5)


@pytest.mark.parametrize("payload", [None, "x", {"campaign_id": "x"}, {"campaign_id": -1},
                                     {"campaign_id": True}, {"campaign_id": 99999999999999999999}])
def test_malformed_joins_get_an_error_reply(live, connect, payload):
    reply = connect().call("join_campaign", payload)
    assert reply["ok"] is False and reply["error"]["code"] in {"bad_request", "not_found"}


# --- events ---------------------------------------------------------------------------------

def test_new_and_edited_ideas_arrive_with_the_next_numbers(live, connect):
    jam, _server, api = live
    client = connect()
    seq = client.join(jam.campaign_id)
    created = api.call("POST", f"/campaigns/{jam.campaign_id}/ideas", jam.tokens["staff"],
                       json={"title": "A live idea", "body": "Seen at once", "tags": ["live"]}).json()
    event = client.wait_for("campaign_event", in_campaign(jam.campaign_id, "idea.created"))
    assert event["seq"] == seq + 1
    assert event["payload"]["title"] == "A live idea" and event["payload"]["tags"] == ["live"]
    api.call("PATCH", f"/ideas/{created['id']}", jam.tokens["staff"], json={"title": "A livelier idea"})
    event = client.wait_for("campaign_event", in_campaign(jam.campaign_id, "idea.edited"))
    assert event["seq"] == seq + 2 and event["payload"]["title"] == "A livelier idea"


def test_comments_arrive_created_edited_and_deleted(live, connect):
    jam, _server, api = live
    client = connect()
    client.join(jam.campaign_id)
    idea_id = jam.idea_ids[0]
    comment = api.call("POST", f"/ideas/{idea_id}/comments", jam.tokens["staff"],
                       json={"body": "Live **comment**"}).json()
    created = client.wait_for("campaign_event", in_campaign(jam.campaign_id, "comment.created"))
    assert created["idea_id"] == idea_id
    assert "<strong>comment</strong>" in created["payload"]["comment"]["body_html"]
    count = created["payload"]["comment_count"]
    api.call("PATCH", f"/comments/{comment['id']}", jam.tokens["staff"], json={"body": "Edited"})
    edited = client.wait_for("campaign_event", in_campaign(jam.campaign_id, "comment.edited"))
    assert edited["payload"]["comment"]["body_html"].strip() == "<p>Edited</p>"
    api.call("DELETE", f"/comments/{comment['id']}", jam.tokens["staff"])
    deleted = client.wait_for("campaign_event", in_campaign(jam.campaign_id, "comment.deleted"))
    assert deleted["payload"]["comment"]["deleted"] is True
    assert deleted["payload"]["comment"]["body_html"] == ""
    assert deleted["payload"]["comment_count"] == count - 1


def test_vote_counts_arrive(live, connect):
    jam, _server, api = live
    client = connect()
    client.join(jam.campaign_id)
    idea_id = jam.idea_ids[1]
    result = api.change_vote(jam.voter_tokens[0], idea_id)
    key = str(idea_id)
    event = client.wait_for("campaign_event", lambda d: d.get("kind") == "idea.counts"
                            and d["payload"]["ideas"].get(key) == {
                                k: result[k] for k in ("up_count", "down_count", "score")})
    assert event["seq"] > 0


def test_the_author_is_notified_of_a_comment_in_their_personal_room(live, connect):
    jam, _server, api = live
    author, bystander = connect(jam.tokens["author"]), connect(jam.tokens["customer"])
    api.call("POST", f"/ideas/{jam.idea_ids[2]}/comments", jam.tokens["staff"], json={"body": "Nice one"})
    note = author.wait_for("notification")
    assert note["kind"] == "comment_on_my_idea" and note["idea_id"] == jam.idea_ids[2]
    assert all(name != "notification" for name, _ in bystander.drain())


def test_a_campaign_closing_on_time_reaches_its_viewers(live, connect):
    jam, _server, _api = live
    app = offline_app(jam.database_url)
    with app.app_context():
        admin = db.session.get(User, 1)
        now = datetime.now(timezone.utc)
        closing = campaigns.create_campaign(
            admin, title="Closing soon", question="Will it close on time?", description="",
            starts_at=now - timedelta(hours=1), ends_at=now + timedelta(seconds=2),
            audience=["staff", "partner", "customer"])
        campaign_id = closing.id
        db.session.remove()
        db.engine.dispose()
    client = connect()
    client.join(campaign_id)
    event = client.wait_for("campaign_event", in_campaign(campaign_id, "campaign.phase"), timeout=15)
    assert event["payload"]["phase"] == "closed" and event["payload"]["reason"] == "closed"


# --- catching up ----------------------------------------------------------------------------

def apply(counts, events):
    for event in events:
        if event["kind"] == "idea.counts":
            for idea_id, values in event["payload"]["ideas"].items():
                counts[int(idea_id)] = values
    return counts


def test_catch_up_after_a_disconnect_during_which_votes_land(live, connect):
    jam, _server, api = live
    listing = api.call("GET", f"/campaigns/{jam.campaign_id}/ideas?per_page=100").json()["items"]
    shown = {item["id"]: {k: item[k] for k in ("up_count", "down_count", "score")} for item in listing}
    client = connect()
    last_seq = client.join(jam.campaign_id)
    client.close()
    # 100 votes land while the client is away: 10 voters on 10 ideas, some down.
    threads = [threading.Thread(target=lambda t=token, n=n: [
        api.vote(t, idea_id, "down" if (n + i) % 4 == 0 else "up") for i, idea_id in enumerate(jam.idea_ids)])
        for n, token in enumerate(jam.voter_tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    listing = api.call("GET", f"/campaigns/{jam.campaign_id}/ideas?per_page=100").json()["items"]
    truth = {item["id"]: {k: item[k] for k in ("up_count", "down_count", "score")} for item in listing}
    assert truth != shown

    client = connect()
    client.join(jam.campaign_id)
    # Poll until the coalescer has streamed the last counts, then compare exactly.
    import time

    deadline = time.monotonic() + 10
    while True:
        reply = client.call("catch_up", {"campaign_id": jam.campaign_id, "after": last_seq})
        assert reply["ok"] and not reply["more"]
        seqs = [event["seq"] for event in reply["events"]]
        assert seqs == list(range(last_seq + 1, last_seq + 1 + len(seqs)))  # no gap, no double
        caught_up = apply(dict(shown), reply["events"])
        if caught_up == truth or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert caught_up == truth


def test_vote_storms_are_coalesced(live, connect):
    jam, _server, api = live
    client = connect()
    client.join(jam.campaign_id)
    idea_id = jam.idea_ids[3]
    values = ["up", "down", "none"] * 10  # 30 changes per voter, 300 in all
    threads = [threading.Thread(target=lambda t=token: [api.vote(t, idea_id, v) for v in values])
               for token in jam.voter_tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = client.wait_for("campaign_event", lambda d: d.get("kind") == "idea.counts"
                            and d["payload"]["ideas"].get(str(idea_id), {}).get("up_count") == 0
                            and d["payload"]["ideas"][str(idea_id)]["down_count"] == 0)
    updates = [data for name, data in client.drain() if name == "campaign_event"]
    assert final is not None
    assert len(updates) < 300 / 5, len(updates)


# --- bad input --------------------------------------------------------------------------------

def test_unknown_events_get_an_error_and_nobody_else_notices(live, connect):
    jam, _server, api = live
    rude, polite = connect(), connect()
    polite.join(jam.campaign_id)
    rude.client.emit("make_me_admin", {"please": True})
    error = rude.wait_for("error")
    assert error["code"] == "unknown_event"
    api.change_vote(jam.voter_tokens[1], jam.idea_ids[4])
    polite.wait_for("campaign_event", lambda d: d.get("kind") == "idea.counts")


def test_an_oversized_message_closes_only_that_connection(live, connect):
    jam, _server, api = live
    flooder, bystander = connect(), connect()
    bystander.join(jam.campaign_id)
    flooder.client.emit("catch_up", {"campaign_id": jam.campaign_id, "after": 0, "junk": "x" * 100_000})
    flooder.client.sleep(1)
    deadline = 50
    while flooder.client.connected and deadline:
        flooder.client.sleep(0.1)
        deadline -= 1
    assert not flooder.client.connected
    api.change_vote(jam.voter_tokens[2], jam.idea_ids[5])
    bystander.wait_for("campaign_event", lambda d: d.get("kind") == "idea.counts")


@pytest.mark.parametrize("payload", [{"campaign_id": 1, "after": -5}, {"campaign_id": 1, "after": "0"},
                                     {"campaign_id": 1}, ["not", "a", "dict"]])
def test_malformed_catch_up_gets_an_error_reply(live, connect, payload):
    reply = connect().call("catch_up", payload)
    assert reply["ok"] is False


def test_a_foreign_origin_is_refused(live):
    _jam, server, _api = live
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(server.url, transports=["websocket"], headers={"Origin": "http://evil.example"},
                       wait_timeout=5)
    # Every other test connects from the server's own origin, which is accepted.


def test_a_deactivated_persons_socket_is_closed(live, connect):
    import time

    from app.domain import accounts
    from app.models import Role

    jam, _server, _api = live
    app = offline_app(jam.database_url)
    with app.app_context():
        from tests import factories
        from app.domain import api_tokens

        person = factories.make_user(kind="staff")
        token = api_tokens.create_api_token(person, name="soon gone")[1]
        person_id = person.id
        db.session.remove()
    client = connect(token)
    assert client.join(jam.private_campaign_id) >= 0
    with app.app_context():
        admin = db.session.scalar(db.select(User).filter_by(role=Role.ADMIN))
        accounts.update_person(admin, person_id, active=False)
        db.session.remove()
        db.engine.dispose()
    deadline = time.monotonic() + 10
    while client.client.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not client.client.connected


def test_making_a_campaign_private_drops_its_outsiders(live, connect):
    from tests import factories
    from tests.sockets.conftest import WebSession

    jam, _server, api = live
    app = offline_app(jam.database_url)
    with app.app_context():
        admin = db.session.get(User, 1)
        now = datetime.now(timezone.utc)
        made = campaigns.create_campaign(admin, title="Soon private", question="Who may watch this?",
                                         starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1),
                                         audience=["staff", "partner", "customer"])
        campaign_id = made.id
        db.session.remove()
    outsider, insider = connect(jam.tokens["customer"]), connect(jam.tokens["staff"])
    outsider.join(campaign_id)
    insider.join(campaign_id)
    with app.app_context():
        made_slug = db.session.get(campaigns.Campaign, campaign_id).slug
        db.session.remove()
        db.engine.dispose()
    # The admin edits it on the page served by the same process the clients use.
    admin = WebSession(_server.url, jam.emails["admin"], factories.PASSWORD)
    admin.post(f"/c/{made_slug}/edit", {
        "title": "Soon private", "question": "Who may watch this?", "description": "",
        "starts_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "audience": "staff", "is_private": "y"})
    for client in (outsider, insider):
        client.wait_for("campaign_event", in_campaign(campaign_id, "campaign.updated"))
    # Everyone was removed from the room and must join again: only the audience may.
    assert outsider.call("join_campaign", {"campaign_id": campaign_id})["ok"] is False
    assert insider.join(campaign_id) >= 0
    api.call("POST", f"/campaigns/{campaign_id}/ideas", jam.tokens["staff"],
             json={"title": "Only for staff eyes", "body": "Private now"})
    insider.wait_for("campaign_event", in_campaign(campaign_id, "idea.created"))
    assert not [d for name, d in outsider.drain() if name == "campaign_event" and d.get("kind") == "idea.created"]


def test_pairwise_answers_refit_the_leaderboard_live(live, connect):
    """Answers arrive over the API; a few seconds later every viewer gets the new leaderboard."""
    jam, _server, api = live
    client = connect()
    client.join(jam.campaign_id)
    token = jam.voter_tokens[-1]
    pair = api.call("POST", f"/campaigns/{jam.campaign_id}/comparisons", token).json()
    answer = api.call("POST", f"/comparisons/{pair['id']}/answer", token, json={"choice": "left"})
    assert answer.status_code == 200, answer.text
    winner, loser = pair["left"]["id"], pair["right"]["id"]
    update = client.wait_for("campaign_event", in_campaign(jam.campaign_id, "ranking.updated"))
    board = update["payload"]["ideas"]
    listed = api.call("GET", f"/campaigns/{jam.campaign_id}/ideas?per_page=100").json()["items"]
    assert {idea["id"] for idea in board} <= {idea["id"] for idea in listed}
    chances = [idea["chance"] for idea in board]
    assert chances == sorted(chances, reverse=True)
    chance = {idea["id"]: idea["chance"] for idea in board}
    assert chance[winner] > 0.5 and chance.get(loser, 0.0) < 0.5
    # Pairs are private to the person they were served to: nobody else can answer them.
    other = api.call("POST", f"/comparisons/{pair['id']}/answer", jam.voter_tokens[-2],
                     json={"choice": "right"})
    assert other.status_code == 404


def catch_up_everything(client, campaign_id, after=0):
    events, more = [], True
    while more:
        reply = client.call("catch_up", {"campaign_id": campaign_id, "after": after})
        assert reply["ok"], reply
        events += reply["events"]
        more = reply["more"]
        after = events[-1]["seq"] if events else after
    return events


def test_hidden_posts_leave_every_socket_payload(live, connect):
    """A moderator hides an idea and a comment: viewers get the removal, never the words again,
    not even by catching up from the start; moderators still see everything."""
    jam, _server, api = live
    viewer = connect(jam.tokens["staff"])
    viewer.join(jam.campaign_id)
    moderator = connect(jam.tokens["moderator"])
    moderator.join(jam.campaign_id)
    posted = api.call("POST", f"/campaigns/{jam.campaign_id}/ideas", jam.tokens["author"],
                      json={"title": "Quarterly numbers before they are public", "body": "Revenue 123"})
    assert posted.status_code == 201, posted.text
    idea_id = posted.json()["id"]
    other = jam.idea_ids[2]
    comment = api.call("POST", f"/ideas/{other}/comments", jam.tokens["customer"],
                       json={"body": "An insult to a colleague"}).json()
    viewer.wait_for("campaign_event", lambda d: d.get("kind") == "comment.created"
                    and d["payload"]["comment"]["id"] == comment["id"])

    hidden = api.call("POST", f"/ideas/{idea_id}/hide", jam.tokens["moderator"],
                      json={"reason": "Confidential"})
    assert hidden.status_code == 200, hidden.text
    assert api.call("POST", f"/comments/{comment['id']}/hide", jam.tokens["moderator"],
                    json={"reason": "Insulting"}).status_code == 200
    gone = viewer.wait_for("campaign_event", lambda d: d.get("kind") == "idea.hidden"
                           and d.get("idea_id") == idea_id)
    assert gone["payload"] == {}
    viewer.wait_for("campaign_event", lambda d: d.get("kind") == "comment.hidden"
                    and d["payload"]["comment_id"] == comment["id"])

    replay = repr(catch_up_everything(connect(jam.tokens["staff"]), jam.campaign_id))
    for words in ("Quarterly numbers", "Revenue 123", "An insult to a colleague"):
        assert words not in replay
    anonymous = connect()
    anonymous.join(jam.campaign_id)
    assert "Quarterly numbers" not in repr(catch_up_everything(anonymous, jam.campaign_id))
    assert "Quarterly numbers" in repr(catch_up_everything(moderator, jam.campaign_id))
    assert api.call("GET", f"/ideas/{idea_id}", jam.tokens["staff"]).status_code == 404


# --- site-wide dashboards ---------------------------------------------------------------------

def test_only_organisers_may_follow_every_campaigns_dashboard(live, connect):
    jam, _server, _api = live
    for who in (None, "staff", "customer"):
        reply = connect(jam.tokens[who] if who else None).call("follow_dashboard", {})
        assert reply["ok"] is False and reply["error"]["code"] == "forbidden"
    assert connect(jam.tokens["admin"]).call("follow_dashboard", {}) == {"ok": True}


def test_a_dashboard_hears_which_campaign_changed_and_nothing_more(live, connect):
    jam, _server, api = live
    organiser = connect(jam.tokens["moderator"])
    assert organiser.call("follow_dashboard", {}) == {"ok": True}
    api.change_vote(jam.voter_tokens[2], jam.idea_ids[3])
    tick = organiser.wait_for("dashboard_tick", lambda d: jam.campaign_id in d.get("campaign_ids", []))
    assert set(tick) == {"campaign_ids"}  # ids only: the page re-reads what its viewer may see


# --- what a client cannot do to its own connection ---------------------------------------

def staff_member_with_token(jam):
    """A new staff member (who may see the private campaign), their id, token and token id."""
    from app.domain import api_tokens
    from tests import factories

    app = offline_app(jam.database_url)
    with app.app_context():
        person = factories.make_user(kind="staff")
        token_row, token = api_tokens.create_api_token(person, name="socket")
        found = (person.id, person.email, token, token_row.id)
        db.session.remove()
        db.engine.dispose()
    return app, found


def wait_until_closed(client, timeout=10):
    import time

    deadline = time.monotonic() + timeout
    while client.client.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    return not client.client.connected


@pytest.mark.parametrize("reserved", ["disconnect", "connect"])
def test_a_client_cannot_send_lifecycle_events(live, connect, reserved):
    """``42["disconnect"]`` would reach the disconnect handler and take the socket out of the
    guard that closes a deactivated person's connections."""
    from app.domain import accounts
    from app.models import Role

    jam, _server, _api = live
    app, (person_id, _email, token, _token_id) = staff_member_with_token(jam)
    client = connect(token)
    client.join(jam.private_campaign_id)
    client.client.eio.send(f'2["{reserved}"]')  # a Socket.IO EVENT packet, as a client may send
    assert client.wait_for("error")["code"] == "reserved_event"
    with app.app_context():
        admin = db.session.scalar(db.select(User).filter_by(role=Role.ADMIN))
        accounts.update_person(admin, person_id, active=False)
        db.session.remove()
        db.engine.dispose()
    assert wait_until_closed(client)


def test_revoking_a_token_closes_its_sockets_at_once(live, connect):
    from tests.factories import PASSWORD
    from tests.sockets.conftest import WebSession

    jam, server, _api = live
    _app, (_person_id, email, token, token_id) = staff_member_with_token(jam)
    client, other = connect(token), connect(token)
    client.join(jam.private_campaign_id)
    other.join(jam.private_campaign_id)
    WebSession(server.url, email, PASSWORD).post(f"/profile/tokens/{token_id}/revoke", {},
                                                 form_path="/profile")
    assert wait_until_closed(client) and wait_until_closed(other)


def test_a_token_revoked_elsewhere_closes_its_socket(live, connect):
    """Revoked by another process (here the test's own): the guard and every join see it."""
    from app.domain import api_tokens

    jam, _server, _api = live
    app, (person_id, _email, token, token_id) = staff_member_with_token(jam)
    client = connect(token)
    client.join(jam.private_campaign_id)
    with app.app_context():
        api_tokens.revoke_api_token(db.session.get(User, person_id), token_id)
        db.session.remove()
        db.engine.dispose()
    try:  # refused, unless the guard has closed the connection first
        assert client.call("join_campaign", {"campaign_id": jam.private_campaign_id})["ok"] is False
    except (socketio.exceptions.BadNamespaceError, socketio.exceptions.DisconnectedError,
            socketio.exceptions.TimeoutError):
        pass
    assert wait_until_closed(client)


def open_descriptors(pid):
    import os

    return len(os.listdir(f"/proc/{pid}/fd"))


def polling_session(base_url):
    """A Socket.IO session over long-polling (handshake and namespace), as a browser opens it."""
    import json

    import requests

    opened = requests.get(f"{base_url}/socket.io/?EIO=4&transport=polling", timeout=30).text
    sid = json.loads(opened[opened.index("{"):])["sid"]
    assert requests.post(f"{base_url}/socket.io/?EIO=4&transport=polling&sid={sid}", data="40",
                         timeout=30).text.lower() == "ok"
    return sid


def test_oversized_polling_posts_are_answered_and_release_everything(live):
    """Twenty posts over the size limit, from clients that then send nothing else (no GET):
    each is answered at once, and the server holds no more descriptors than before."""
    import socket
    import time
    from urllib.parse import urlsplit

    _jam, server, _api = live
    host, port = urlsplit(server.url).hostname, urlsplit(server.url).port
    polling_session(server.url)  # warm: the first session opens files that stay open
    before = open_descriptors(server.process.pid)
    body = b"4" + b"x" * 100_000
    statuses = []
    for _ in range(20):
        sid = polling_session(server.url)
        with socket.create_connection((host, port), timeout=30) as conn:
            conn.sendall((f"POST /socket.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\n"
                          f"Host: {host}:{port}\r\nContent-Type: text/plain\r\n"
                          f"Content-Length: {len(body)}\r\n\r\n").encode() + body)
            answer = conn.recv(200)  # an unanswered request ends the test here
            statuses.append(answer.split(b" ")[1] if answer else b"(closed)")
    assert set(statuses) == {b"413"}, statuses
    deadline = time.monotonic() + 20
    while open_descriptors(server.process.pid) > before:
        assert time.monotonic() < deadline, (before, open_descriptors(server.process.pid))
        time.sleep(0.1)
