"""Live updates: the one module that turns committed domain events into socket messages.

Rooms: ``campaign:<id>`` for everyone who may view a campaign, ``campaign:<id>:moderators``
for those who may also see moderated content, and ``user:<id>`` for one person's
notifications. A client joins one campaign stream; every entry carries the stream's
number (seq), so a client that reconnects or sees a gap asks for what it missed
(``catch_up`` here, or GET /api/v1/campaigns/<id>/events?after=N).

Nothing outside this module and wsgi.py knows whether eventlet or gevent runs the server.
"""
import logging
import threading
import time

from flask import current_app, request, session
from flask_login import current_user
from flask_socketio import emit, join_room, leave_room

from app import inputs, offload
from app.domain import (accounts, api_tokens, campaigns, comparisons, duplicates, events, idea_vectors,
                        permissions, themes, votes)
from app.domain.errors import DomainError
from app.domain.validation import parse_id
from app.extensions import db, socketio
from app.web import notifications as notification_pages

log = logging.getLogger(__name__)

# Vote counts of busy ideas are gathered and sent at most this often, per process.
COUNTS_INTERVAL = 0.3
SCHEDULER_INTERVAL = 1.0

# Campaigns whose votes changed here since the last flush: a hint to send their counts at
# once. Which ideas are due is stored with each vote (votes.mark_counts_due), and every
# COUNTS_SWEEP_INTERVAL each process sends whatever is due, from wherever it came.
_dirty_counts = set()
COUNTS_SWEEP_INTERVAL = 1.0
_dirty_rankings = set()  # campaigns with pairwise answers since their last refit here
_dirty_dashboards = set()  # campaigns with stream entries since the last dashboard tick
# Pairwise rankings are refitted (and the leaderboard sent) at most this often per campaign.
RANKING_INTERVAL = 2.0
_dirty_lock = threading.Lock()
_tasks_started = False
_counts_wanted = None  # an async event that wakes the coalescer, made when it starts
# This process's signed-in connections: sid -> (user id, the standing they connected with,
# the id of the personal access token they connected with or None).
_signed_in = {}
# The campaign room each connection follows here (one at a time): sid -> room.
_followed_room = {}
GUARD_INTERVAL = 1.0
# Site-wide dashboards hear that campaigns changed at most this often (they then re-read).
DASHBOARD_INTERVAL = 2.0
DASHBOARD_ROOM = "dashboards"
# Themes: campaigns whose ideas changed, and when each was last refreshed here. The loop
# looks every THEMES_TICK seconds; a campaign is refreshed at most every
# THEMES_REFRESH_SECONDS (config), and never while its previous refresh runs.
THEMES_TICK = 2.0
_dirty_themes = set()
_themes_refreshed = {}
# Similar-idea indexes are looked at this often, and rebuilt when old or overgrown.
INDEXES_TICK = 30.0
# Meaning vectors of the ideas posted or edited here are computed this often (in a batch).
VECTORS_TICK = 2.0


def campaign_room(campaign_id, moderators=False):
    return f"campaign:{campaign_id}:moderators" if moderators else f"campaign:{campaign_id}"


def user_room(user_id):
    return f"user:{user_id}"


# --- delivery of committed domain events -------------------------------------------------

def _safe_emit(event, data, room):
    try:
        socketio.emit(event, data, to=room)
    except Exception:  # noqa: BLE001 - a broken queue must never fail the request that committed
        log.warning("could not deliver %s to %s; clients will catch up", event, room, exc_info=True)


def _safe_close_room(room):
    try:
        socketio.close_room(room)
    except Exception:  # noqa: BLE001 - as with emits, a broken queue must not fail the request
        log.warning("could not close %s", room, exc_info=True)


def deliver(kind, data):
    """Subscriber of app.domain.events: runs after each commit that recorded events."""
    if kind == "campaign":
        with _dirty_lock:
            _dirty_dashboards.add(data["campaign_id"])
            if data["kind"] in themes.CHANGING_KINDS:
                _dirty_themes.add(data["campaign_id"])
        room = campaign_room(data["campaign_id"])
        _safe_emit("campaign_event", events.serialize_event(data, include_moderated=False), room)
        _safe_emit("campaign_event", events.serialize_event(data, include_moderated=True),
                   campaign_room(data["campaign_id"], moderators=True))
        if data["kind"] == "campaign.updated":
            # Who may view it may have changed: everyone must join again, through the check.
            for moderators in (False, True):
                _safe_close_room(campaign_room(data["campaign_id"], moderators))
    elif kind == "personal":
        # Checked against what the person may see now and worded for them, just before sending.
        message = notification_pages.live_message(data["user_id"], data["kind"], data["payload"])
        if message is not None:
            _safe_emit(data["kind"], message, user_room(data["user_id"]))
    elif kind == "votes.changed":
        with _dirty_lock:
            _dirty_counts.add(data["campaign_id"])
        if _counts_wanted is not None:
            _counts_wanted.set()
    elif kind == "comparisons.changed":
        with _dirty_lock:
            _dirty_rankings.add(data["campaign_id"])
    elif kind == "token.revoked":
        end_token_connections(data["token_id"])


def flush_vote_counts(sweep=False):
    """Send the due vote counts, one stream entry per campaign: of the campaigns whose votes
    changed here, or (``sweep``) of every campaign with counts due, e.g. left by a failed
    round or a process that died. Returns entries sent."""
    with _dirty_lock:
        pending = set(_dirty_counts)
        _dirty_counts.clear()
    if sweep:
        pending.update(votes.campaigns_with_counts_due())
    sent = 0
    for campaign_id in sorted(pending):
        try:
            sent += bool(votes.announce_vote_counts(campaign_id))
        except Exception:  # noqa: BLE001 - still due in the database: the next sweep sends them
            db.session.rollback()
            log.exception("could not announce vote counts of campaign %s", campaign_id)
    return sent


def sweep_vote_counts():
    return flush_vote_counts(sweep=True)


def flush_dashboard_ticks():
    """Tell site-wide dashboards which campaigns changed since the last tick (ids only: a
    dashboard re-reads what its viewer may see)."""
    with _dirty_lock:
        changed = sorted(_dirty_dashboards)
        _dirty_dashboards.clear()
    if changed:
        _safe_emit("dashboard_tick", {"campaign_ids": changed}, DASHBOARD_ROOM)
    return len(changed)


def refresh_rankings():
    """Refit the pairwise ranking of every campaign that got answers since the last round."""
    with _dirty_lock:
        pending = set(_dirty_rankings)
        _dirty_rankings.clear()
    for campaign_id in sorted(pending):
        try:
            comparisons.refresh_ranking(campaign_id, pause=lambda: socketio.sleep(0))
        except Exception:  # noqa: BLE001 - keep it for the next round
            db.session.rollback()
            log.exception("could not refresh the ranking of campaign %s", campaign_id)
            with _dirty_lock:
                _dirty_rankings.add(campaign_id)
    return len(pending)


def mark_themes_dirty(campaign_ids):
    """Refresh these campaigns' themes at the next chance (e.g. at start-up)."""
    with _dirty_lock:
        _dirty_themes.update(campaign_ids)


def refresh_themes_due(interval=None):
    """Refresh the themes of campaigns whose ideas changed, each at most once per interval
    (THEMES_REFRESH_SECONDS). The computation runs in a child process (``app.offload``):
    this loop only waits for it, as it waits for a socket. Returns campaigns refreshed."""
    interval = current_app.config["THEMES_REFRESH_SECONDS"] if interval is None else interval
    now = time.monotonic()
    with _dirty_lock:
        due = sorted(campaign_id for campaign_id in _dirty_themes
                     if now - _themes_refreshed.get(campaign_id, float("-inf")) >= interval)
        _dirty_themes.difference_update(due)
    done = 0
    for campaign_id in due:
        try:
            if themes.refresh_themes(campaign_id, pause=lambda: socketio.sleep(0)) is None:
                mark_themes_dirty([campaign_id])  # edited meanwhile: again, from the edit
            else:
                done += 1
        except Exception:  # noqa: BLE001 - keep it for the next round
            db.session.rollback()
            log.exception("could not refresh the themes of campaign %s", campaign_id)
            mark_themes_dirty([campaign_id])
        finally:
            _themes_refreshed[campaign_id] = time.monotonic()
            db.session.remove()
    return done


def rebuild_similar_indexes(campaign_ids=None):
    """Rebuild this process's similar-idea indexes that are old or overgrown (or build
    those of ``campaign_ids``)."""
    for campaign_id in duplicates.indexes_due() if campaign_ids is None else campaign_ids:
        try:
            duplicates.build_index(campaign_id, pause=lambda: socketio.sleep(0),
                                   since=time.monotonic() - 1.0)
        except Exception:  # noqa: BLE001 - the old index keeps serving
            log.exception("could not rebuild the similar-idea index of campaign %s", campaign_id)
        finally:
            db.session.remove()


def _warm_similar_indexes(app):
    """Build the indexes of large open campaigns at start-up, so their first look-up is fast."""
    with app.app_context():
        try:
            campaign_ids = duplicates.large_open_campaigns()
        except Exception:  # noqa: BLE001 - e.g. a database not migrated yet: built on first use
            log.warning("could not list campaigns to index", exc_info=True)
            campaign_ids = []
        finally:
            db.session.remove()
        rebuild_similar_indexes(campaign_ids)


def _every(interval, work, app):
    while True:
        socketio.sleep(interval)
        with app.app_context():
            try:
                work()
            except Exception:  # noqa: BLE001 - a background loop must survive a bad round
                log.exception("background task %s failed", work.__name__)
            finally:
                db.session.remove()


def _coalesce_counts(app):
    """Send counts as soon as a vote arrives, then at most once per COUNTS_INTERVAL: a lone
    vote shows up at once, a storm becomes a few updates a second."""
    while True:
        _counts_wanted.wait()
        _counts_wanted.clear()
        with app.app_context():
            try:
                flush_vote_counts()
            except Exception:  # noqa: BLE001 - the loop must survive a bad round
                log.exception("vote count coalescer failed")
            finally:
                db.session.remove()
        socketio.sleep(COUNTS_INTERVAL)


def start_background_tasks(app):
    """Start the vote-count coalescer, the phase scheduler, the ranking and dashboard ticks
    and the themes refresh (once per server process)."""
    global _tasks_started, _counts_wanted
    if _tasks_started:
        return
    _tasks_started = True
    _counts_wanted = socketio.server.eio.create_event()
    socketio.start_background_task(_coalesce_counts, app)
    socketio.start_background_task(_every, COUNTS_SWEEP_INTERVAL, sweep_vote_counts, app)
    socketio.start_background_task(_every, SCHEDULER_INTERVAL, campaigns.announce_scheduled_phases, app)
    socketio.start_background_task(_every, RANKING_INTERVAL, refresh_rankings, app)
    socketio.start_background_task(_every, GUARD_INTERVAL, end_outdated_connections, app)
    socketio.start_background_task(_every, DASHBOARD_INTERVAL, flush_dashboard_ticks, app)
    # Themes and similar-idea indexes: heavy maths in a child process, never in this loop.
    offload.configure("process")
    with app.app_context():
        try:
            mark_themes_dirty(themes.campaigns_needing_refresh())
        except Exception:  # noqa: BLE001 - e.g. a database not migrated yet; ideas will mark them
            log.warning("could not find campaigns whose themes are out of date", exc_info=True)
        finally:
            db.session.remove()
    socketio.start_background_task(_every, THEMES_TICK, refresh_themes_due, app)
    socketio.start_background_task(_warm_similar_indexes, app)
    socketio.start_background_task(_every, INDEXES_TICK, rebuild_similar_indexes, app)
    socketio.start_background_task(_every, VECTORS_TICK, idea_vectors.encode_noted_ideas, app)


# --- the socket's own protocol ------------------------------------------------------------

def _socket_user():
    """The person behind this connection, re-checked on every event (deactivation ends it;
    so does revoking the token it was opened with)."""
    token_id = session.get("socket_token")
    if token_id is not None and not api_tokens.active_token_ids([token_id]):
        return None
    session_id = session.get("socket_user")
    if session_id:
        return accounts.load_session_user(session_id)
    return current_user if permissions.is_authenticated(current_user) else None


def _revoked():
    """True, and the connection ended, when it was opened with a token since revoked."""
    token_id = session.get("socket_token")
    if token_id is None or api_tokens.active_token_ids([token_id]):
        return False
    sid = request.sid
    _signed_in.pop(sid, None)
    # Ended right after this event's error reply has gone out.
    socketio.start_background_task(socketio.server.disconnect, sid, namespace="/")
    return True


def _sent_by_client():
    """True when a lifecycle handler (connect, disconnect) runs for an event a client sent
    by that name, e.g. ``42["disconnect"]``. python-socketio hands such events to the same
    handlers as the real ones; but the real ones run while the connection is being set up
    or taken down, when it is not (or no longer) counted as connected."""
    return socketio.server.manager.is_connected(request.sid, request.namespace or "/")


def _refuse_reserved():
    emit("error", {"code": "reserved_event", "message": "this event name is reserved"})
    return _error("reserved_event", "this event name is reserved")


def _error(code, message):
    return {"ok": False, "error": {"code": code, "message": str(message)}}


def _campaign_id_from(data):
    if not isinstance(data, dict):
        return None
    return parse_id(data.get("campaign_id"))


def on_connect(auth=None):
    """Authenticate by the page's login session or, for API clients, a personal token."""
    if _sent_by_client():
        return _refuse_reserved()
    token = auth.get("token") if isinstance(auth, dict) else None
    token_id = None
    if token is not None:
        found = api_tokens.authenticate_token(token)
        if found is None:
            raise ConnectionRefusedError("invalid_token")
        user, token_id = found
        session["socket_user"] = user.get_id()
        session["socket_token"] = token_id
    elif permissions.is_authenticated(current_user):
        session["socket_user"] = current_user.get_id()
    user = _socket_user()
    if user is not None:
        join_room(user_room(user.id))
        _signed_in[request.sid] = (user.id, accounts.standing_of([user.id]).get(user.id), token_id)
    return True


def on_disconnect(*_args):
    if _sent_by_client():
        # Only the server ends a connection's place in the guard (end_outdated_connections).
        return _refuse_reserved()
    _signed_in.pop(request.sid, None)
    _followed_room.pop(request.sid, None)


def end_token_connections(token_id):
    """End, at once, this process's connections opened with a token (it was revoked). Other
    processes end theirs at their guard's next round (end_outdated_connections), and every
    join and catch-up checks the token first."""
    ended = 0
    for sid, (_user_id, _standing, opened_with) in list(_signed_in.items()):
        if opened_with == token_id:
            _signed_in.pop(sid, None)
            socketio.server.disconnect(sid, namespace="/")
            ended += 1
    return ended


def end_outdated_connections():
    """Disconnect sockets whose person was deactivated, changed password, role or kind since
    connecting, or whose token was revoked. A browser reconnects at once and is authorised
    afresh; a deactivated person's reconnect is anonymous and sees only public campaigns."""
    if not _signed_in:
        return 0
    connections = list(_signed_in.items())
    standing = accounts.standing_of({user_id for _sid, (user_id, _, _) in connections})
    tokens = api_tokens.active_token_ids({token for _sid, (_, _, token) in connections if token})
    ended = 0
    for sid, (user_id, then, token_id) in connections:
        if standing.get(user_id) != then or (token_id is not None and token_id not in tokens):
            _signed_in.pop(sid, None)
            socketio.server.disconnect(sid, namespace="/")
            ended += 1
    return ended


def on_join_campaign(data=None):
    """Join one campaign's stream; the same check as opening the campaign page."""
    campaign_id = _campaign_id_from(data)
    if campaign_id is None:
        return _error("bad_request", "campaign_id must be a positive integer")
    if _revoked():
        return _error("unauthorized", "the token this connection was opened with was revoked")
    user = _socket_user()
    viewer = user or current_user
    try:
        campaign = campaigns.get_campaign(viewer, campaign_id)
    except DomainError as error:
        return _error(error.code, error.message)
    moderator = permissions.is_moderator(viewer)
    previous = _followed_room.pop(request.sid, None)
    if previous:
        leave_room(previous)
    room = campaign_room(campaign.id, moderators=moderator)
    join_room(room)
    _followed_room[request.sid] = room
    seq = events.current_seq(campaign.id)
    db.session.remove()
    return {"ok": True, "campaign_id": campaign.id, "seq": seq}


def on_follow_dashboard(data=None):
    """Hear when any campaign changes, for the site-wide dashboard (its viewers only)."""
    viewer = _socket_user() or current_user
    allowed = permissions.can_view_site_dashboard(viewer)
    db.session.remove()
    if not allowed:
        return _error("forbidden", "not allowed")
    join_room(DASHBOARD_ROOM)
    return {"ok": True}


def on_catch_up(data=None):
    """Stream entries after ``after`` for a campaign the connection may view."""
    campaign_id = _campaign_id_from(data)
    if campaign_id is None:
        return _error("bad_request", "campaign_id must be a positive integer")
    if _revoked():
        db.session.remove()
        return _error("unauthorized", "the token this connection was opened with was revoked")
    try:
        page = campaigns.list_campaign_events(_socket_user() or current_user, campaign_id,
                                              after=data.get("after"))
    except DomainError as error:
        return _error(error.code, error.message)
    finally:
        db.session.remove()
    return {"ok": True, "seq": page.seq, "events": page.events, "more": page.more}


def on_unknown_event(event, *args):
    """Anything else a client sends is answered with an error; nobody else notices."""
    emit("error", {"code": "unknown_event", "message": "unknown event"})


def on_error(error):
    if isinstance(error, ConnectionRefusedError):
        raise error  # a refused connection must stay refused
    log.info("socket handler error: %s", error)
    emit("error", {"code": "bad_request", "message": "the event could not be handled"})
    return _error("bad_request", "the event could not be handled")


def init_app(app):
    events.subscribe(deliver)
    socketio.on_event("connect", on_connect)
    socketio.on_event("disconnect", on_disconnect)
    socketio.on_event("join_campaign", inputs.checked_event(on_join_campaign))
    socketio.on_event("catch_up", inputs.checked_event(on_catch_up))
    socketio.on_event("follow_dashboard", inputs.checked_event(on_follow_dashboard))
    socketio.on_event("*", on_unknown_event)
    socketio.on_error_default(on_error)
