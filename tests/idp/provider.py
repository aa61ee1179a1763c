"""An OpenID Connect provider for the tests, built with Authlib's server components and run as
its own process (`python -m tests.idp.provider` with PORT and CLIENTS), so the app signs people
in over real HTTP: discovery, Authorization Code with PKCE, signed ID tokens, userinfo, refresh
tokens, key rotation, RP-initiated logout and back-channel logout.

People sign in on its login page by typing a username. Tests set the directory and misbehave
the provider through /_control/... endpoints, which a real provider does not have:
- POST /_control/users   {"username": {claims}}: the directory (claims include email, groups);
- POST /_control/fault   {"fault": "wrong_audience" | "expired" | "bad_signature" | null};
- POST /_control/rotate  a new signing key (the old one leaves the key set);
- POST /_control/revoke  {"username": ...}: end that person's provider sessions and tokens;
- POST /_control/logout-token {"username": ..., "client_id": ...}: a logout token to deliver;
- POST /_control/backchannel-logout {"username": ..., "client_id": ...}: send one to the client's
  back-channel logout URI, as the provider does.
"""
import json
import os
import secrets
import time
from urllib.parse import urlencode

import requests
from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant, RefreshTokenGrant
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.core.models import AuthorizationCodeMixin
from flask import Flask, jsonify, redirect, request, session
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

ISSUER = os.environ.get("ISSUER") or f"http://127.0.0.1:{os.environ.get('PORT', '9000')}"
BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"


class State:
    """The provider's whole memory: it keeps nothing on disk."""

    def __init__(self):
        self.key = self._new_key()
        self.other_key = self._new_key()  # signs nothing the key set vouches for
        self.users = {}  # username -> claims
        self.codes = {}
        self.tokens = []
        self.fault = None
        self.sessions = {}  # username -> provider session id

    @staticmethod
    def _new_key():
        return RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(4), "use": "sig", "alg": "RS256"},
                                   private=True)

    def rotate(self):
        self.key = self._new_key()


STATE = State()


class Client(ClientMixin):
    def __init__(self, data):
        self.data = data

    def get_client_id(self):
        return self.data["client_id"]

    def get_default_redirect_uri(self):
        return self.data["redirect_uris"][0]

    def get_allowed_scope(self, scope):
        return " ".join(s for s in (scope or "").split() if s in ("openid", "email", "profile", "groups",
                                                                   "offline_access"))

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.data["redirect_uris"]

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret or "", self.data["client_secret"])

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type in ("authorization_code", "refresh_token")


CLIENTS = {c["client_id"]: Client(c) for c in json.loads(os.environ.get("CLIENTS", "[]"))}


class Code(AuthorizationCodeMixin):
    def __init__(self, **fields):
        self.__dict__.update(fields)

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time


class Token(TokenMixin):
    def __init__(self, client_id, username, data):
        self.client_id, self.username, self.data = client_id, username, data
        self.issued_at, self.revoked = time.time(), False

    def check_client(self, client):
        return client.get_client_id() == self.client_id

    def get_scope(self):
        return self.data.get("scope", "")

    def get_expires_in(self):
        return self.data.get("expires_in", 3600)

    def is_expired(self):
        return time.time() > self.issued_at + self.get_expires_in()

    def is_revoked(self):
        return self.revoked

    def get_user(self):
        return self.username

    def get_client(self):
        return CLIENTS[self.client_id]


def user_info(username, scope):
    claims = STATE.users[username]
    info = UserInfo(sub=claims.get("sub", username))
    for name, value in claims.items():
        if name != "sub":
            info[name] = value
    return info


class IdToken(OpenIDCode):
    def exists_nonce(self, nonce, req):
        return any(code.nonce == nonce for code in STATE.codes.values())

    def resolve_client_private_key(self, client):
        return STATE.other_key if STATE.fault == "bad_signature" else STATE.key

    def get_encode_header(self, client):
        return {"alg": "RS256", "kid": STATE.key.kid}  # a forged token claims the real key's id

    def get_client_claims(self, client):
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": [client.get_client_id()]}
        if STATE.fault == "wrong_audience":
            claims["aud"] = ["another-client"]
        if STATE.fault == "expired":
            claims.update(iat=now - 7200, exp=now - 3600)
        return claims

    def generate_user_info(self, user, scope):
        return user_info(user, scope)

    def encode_id_token(self, token, req):
        id_token = super().encode_id_token(token, req)
        sid = STATE.sessions.get(req.user)
        if sid is None:
            return id_token
        # The provider's session id, for back-channel logout: re-sign with it added.
        claims = jwt.decode(id_token, _key_for_decode()).claims
        claims["sid"] = sid
        return jwt.encode({"alg": "RS256", "kid": STATE.key.kid}, claims, self.resolve_client_private_key(None))


def _key_for_decode():
    return STATE.other_key if STATE.fault == "bad_signature" else STATE.key


class CodeGrant(AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code, req):
        STATE.codes[code] = Code(code=code, client_id=req.client.get_client_id(), redirect_uri=req.payload.redirect_uri,
                                 scope=req.payload.scope, username=req.user, nonce=req.payload.data.get("nonce"),
                                 auth_time=int(time.time()),
                                 code_challenge=req.payload.data.get("code_challenge"),
                                 code_challenge_method=req.payload.data.get("code_challenge_method"))

    def query_authorization_code(self, code, client):
        item = STATE.codes.get(code)
        return item if item and item.client_id == client.get_client_id() else None

    def delete_authorization_code(self, authorization_code):
        STATE.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code):
        return authorization_code.username


class RefreshGrant(RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token):
        for token in STATE.tokens:
            if token.data.get("refresh_token") == refresh_token and not token.revoked:
                return token
        return None

    def authenticate_user(self, credential):
        return credential.username if credential.username in STATE.users else None

    def revoke_old_credential(self, credential):
        credential.revoked = True


class AccessTokens(BearerTokenValidator):
    def authenticate_token(self, token_string):
        for token in STATE.tokens:
            if token.data.get("access_token") == token_string:
                return token
        return None


app = Flask(__name__)
app.secret_key = secrets.token_hex(16)
# Cookies do not tell ports apart: on 127.0.0.1 the provider's must not overwrite the jam's.
app.config["SESSION_COOKIE_NAME"] = "provider_session"
app.config["OAUTH2_REFRESH_TOKEN_GENERATOR"] = True


def save_token(token, req):
    STATE.tokens.append(Token(req.client.get_client_id(), req.user, dict(token)))


server = AuthorizationServer(app, query_client=CLIENTS.get, save_token=save_token)
server.register_grant(CodeGrant, [IdToken(require_nonce=True), CodeChallenge(required=True)])
server.register_grant(RefreshGrant)
protected = ResourceProtector()
protected.register_token_validator(AccessTokens())


@app.get("/health")
def health():
    return {"status": "ok"}


@app.get("/.well-known/openid-configuration")
def discovery():
    return jsonify(issuer=ISSUER, authorization_endpoint=f"{ISSUER}/authorize", token_endpoint=f"{ISSUER}/token",
                   userinfo_endpoint=f"{ISSUER}/userinfo", jwks_uri=f"{ISSUER}/jwks",
                   end_session_endpoint=f"{ISSUER}/logout", response_types_supported=["code"],
                   subject_types_supported=["public"], id_token_signing_alg_values_supported=["RS256"],
                   code_challenge_methods_supported=["S256"], backchannel_logout_supported=True,
                   backchannel_logout_session_supported=True,
                   scopes_supported=["openid", "email", "profile", "groups", "offline_access"],
                   token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"])


@app.get("/jwks")
def jwks():
    return jsonify(KeySet([STATE.key]).as_dict(private=False))


@app.route("/authorize", methods=["GET", "POST"])
def authorize():
    username = request.form.get("username") if request.method == "POST" else session.get("username")
    if request.method == "POST" and username not in STATE.users:
        return "Unknown user", 403
    if username and username in STATE.users and STATE.sessions.get(username):
        session["username"] = username
        return server.create_authorization_response(grant_user=username)
    if request.method == "POST":
        session["username"] = username
        STATE.sessions[username] = secrets.token_hex(8)
        return server.create_authorization_response(grant_user=username)
    grant = server.get_consent_grant(end_user=None)  # checks client, redirect URI, PKCE, nonce first
    del grant
    return ('<!doctype html><title>Test provider sign-in</title><h1>Test provider</h1>'
            f'<form method="post" action="/authorize?{urlencode(request.args)}">'
            '<label>Username <input name="username" autocomplete="username"></label>'
            '<button type="submit">Sign in to the provider</button></form>')


@app.post("/token")
def token():
    return server.create_token_response()


@app.get("/userinfo")
def userinfo():
    current = protected.acquire_token()
    if current.username not in STATE.users:
        return jsonify(error="invalid_token"), 401
    return jsonify(dict(user_info(current.username, current.get_scope())))


@app.get("/logout")
def end_session():
    username = session.pop("username", None)
    if username:
        STATE.sessions.pop(username, None)
    target = request.args.get("post_logout_redirect_uri")
    allowed = {uri for c in CLIENTS.values() for uri in c.data.get("post_logout_redirect_uris", [])}
    return redirect(target) if target in allowed else "Signed out of the provider."


@app.post("/_control/users")
def set_users():
    STATE.users.update(request.get_json())
    return {"ok": True}


@app.post("/_control/fault")
def set_fault():
    STATE.fault = request.get_json().get("fault")
    return {"ok": True}


@app.post("/_control/rotate")
def rotate():
    STATE.rotate()
    return {"ok": True, "kid": STATE.key.kid}


@app.post("/_control/revoke")
def revoke():
    username = request.get_json()["username"]
    STATE.sessions.pop(username, None)
    for item in STATE.tokens:
        if item.username == username:
            item.revoked = True
    return {"ok": True}


def _logout_token(client, username):
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": "another-client" if STATE.fault == "wrong_audience" else client.get_client_id(),
              "iat": now, "exp": now + 120, "jti": secrets.token_hex(8),
              "sub": STATE.users[username].get("sub", username), "events": {BACKCHANNEL_EVENT: {}}}
    if STATE.sessions.get(username):
        claims["sid"] = STATE.sessions[username]
    return jwt.encode({"alg": "RS256", "kid": STATE.key.kid, "typ": "logout+jwt"}, claims, _key_for_decode())


@app.post("/_control/logout-token")
def logout_token():
    """A logout token as the provider would send it, handed to the test to deliver."""
    body = request.get_json()
    return {"logout_token": _logout_token(CLIENTS[body["client_id"]], body["username"])}


@app.post("/_control/backchannel-logout")
def backchannel_logout():
    """Send a logout token to the client's back-channel logout URI, as the provider does."""
    body = request.get_json()
    client = CLIENTS[body["client_id"]]
    answer = requests.post(client.data["backchannel_logout_uri"],
                           data={"logout_token": _logout_token(client, body["username"])}, timeout=10)
    return {"ok": answer.ok, "status": answer.status_code}


if __name__ == "__main__":
    from werkzeug.serving import run_simple

    run_simple("127.0.0.1", int(os.environ.get("PORT", "9000")), app, threaded=True)
