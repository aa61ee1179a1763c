"""Company sign-in: people of an organisation sign in with its OpenID Connect provider.

The protocol (discovery, PKCE, state, nonce, signatures, key sets) is Authlib's, in the web
layer; this module holds the rules once the provider has vouched for someone:
- which providers are configured, and what each one's directory claims mean here (name, email,
  department, country, language, time zone; groups that make a kind and a role);
- who the claims are: a known identity signs in; an unknown one with an email that already has
  an account must prove that account's password first (no takeover by a matching email); a new
  one becomes a new user — if their email domain is one the provider may vouch for;
- the directory wins at every sign-in and every re-check: kind and role follow the groups, and
  each change is written to the audit log;
- a provider can require its people to use it: password logins for its domains are refused;
- the provider can end someone's sessions (back-channel logout).
"""
import secrets
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.domain import activity
from app.domain.accounts import SUPPORTED_LOCALES, find_user_by_email, hash_password, known_timezones
from app.domain.audit import record_audit
from app.domain.clock import utcnow
from app.domain.errors import DomainError, NotFound
from app.domain.text import clean_line
from app.extensions import db
from app.models import ParticipantKind, Role, SsoIdentity, User
from app.models.user import new_session_token

# When groups give several roles, the strongest wins.
ROLE_STRENGTH = (Role.ADMIN, Role.MODERATOR, Role.EXECUTIVE, Role.PARTICIPANT)
DEFAULT_CLAIMS = {"name": "name", "email": "email", "department": "department", "country": "country",
                  "locale": "locale", "timezone": "zoneinfo", "groups": "groups"}
# Languages a provider may send (BCP 47 or POSIX), and the interface language each means here.
LOCALE_ALIASES = {"en": "en", "zh-hant": "zh_Hant", "zh-tw": "zh_Hant", "zh-hk": "zh_Hant", "zh-mo": "zh_Hant",
                  "zh": "zh_Hans", "zh-hans": "zh_Hans", "zh-cn": "zh_Hans", "zh-sg": "zh_Hans"}


class SignInRefused(DomainError):
    """The provider vouched for someone the jam may not let in this way."""

    status = 403
    code = "sign_in_refused"
    default_message = _l("Your organisation's sign-in was refused.")


@dataclass(frozen=True)
class Provider:
    """One organisation's OpenID Connect provider, as configured (SSO_<NAME>_* settings)."""

    name: str
    label: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: str = "openid email profile"
    domains: tuple = ()
    required: bool = False
    claims: dict = field(default_factory=lambda: dict(DEFAULT_CLAIMS))
    kinds: dict = field(default_factory=dict)  # group -> ParticipantKind
    roles: dict = field(default_factory=dict)  # group -> Role
    default_kind: ParticipantKind = ParticipantKind.STAFF

    def covers(self, email) -> bool:
        """True when the provider may vouch for this address (any, if no domains are set)."""
        domain = (email or "").rpartition("@")[2].lower()
        return not self.domains or domain in self.domains


def _pairs(text, parse, what):
    pairs = {}
    for item in (text or "").split(","):
        if item.strip():
            group, _, value = item.partition("=")
            try:
                pairs[group.strip()] = parse(value.strip().lower())
            except ValueError:
                raise RuntimeError(f"{what}: {value.strip()!r} is not one of the known values") from None
    return pairs


def parse_provider(name, settings) -> Provider:
    """Check one provider's settings ({setting: value}, lowercase keys) and make a Provider."""
    missing = [key for key in ("issuer", "client_id", "client_secret") if not settings.get(key)]
    if missing:
        raise RuntimeError(f"sign-in provider {name!r} needs " + ", ".join(f"SSO_{name.upper()}_{key.upper()}"
                                                                          for key in missing))
    claims = dict(DEFAULT_CLAIMS)
    claims.update({key[len("claim_"):]: value for key, value in settings.items()
                   if key.startswith("claim_") and key[len("claim_"):] in DEFAULT_CLAIMS})
    return Provider(
        name=name, label=settings.get("label") or name.title(), issuer=settings["issuer"].rstrip("/"),
        client_id=settings["client_id"], client_secret=settings["client_secret"],
        scopes=settings.get("scopes") or "openid email profile",
        domains=tuple(d.strip().lower().lstrip("@") for d in (settings.get("domains") or "").split(",")
                      if d.strip()),
        required=(settings.get("required") or "").strip().lower() in {"1", "true", "yes", "on"},
        claims=claims,
        kinds=_pairs(settings.get("kinds"), ParticipantKind, f"SSO_{name.upper()}_KINDS"),
        roles=_pairs(settings.get("roles"), Role, f"SSO_{name.upper()}_ROLES"),
        default_kind=ParticipantKind((settings.get("default_kind") or "staff").lower()),
    )


def list_providers() -> list[Provider]:
    """The configured providers, in the order they were named."""
    return [parse_provider(name, settings) for name, settings in current_app.config["SSO_PROVIDERS"].items()]


def get_provider(name) -> Provider:
    for provider in list_providers():
        if provider.name == name:
            return provider
    raise NotFound()


def provider_requiring(email) -> Provider | None:
    """The provider that people with this address must sign in with, if one requires it."""
    return next((p for p in list_providers() if p.required and p.domains and p.covers(email)), None)


# --- what the directory says ----------------------------------------------------------------

@dataclass(frozen=True)
class DirectoryEntry:
    """A person as the provider's claims describe them, in the jam's terms."""

    subject: str
    email: str | None
    display_name: str | None
    department: str | None
    country: str | None
    locale: str | None
    timezone: str | None
    groups: tuple
    kind: ParticipantKind
    role: Role | None  # None: the provider maps no roles, so the jam's own stay


def read_directory_entry(provider: Provider, claims) -> DirectoryEntry:
    """Translate a provider's claims (ID token or userinfo) into a DirectoryEntry. Values the
    jam cannot use (an unknown country code, language or zone) are left out, not guessed."""
    def claim(name):
        value = claims.get(provider.claims[name])
        return clean_line(value)[:80] if isinstance(value, str) and clean_line(value) else None

    groups = claims.get(provider.claims["groups"]) or ()
    groups = tuple(str(g) for g in (groups if isinstance(groups, (list, tuple)) else [groups]))
    country = (claim("country") or "").upper()
    locale = LOCALE_ALIASES.get((claim("locale") or "").replace("_", "-").lower())
    timezone = claim("timezone")
    kind = next((provider.kinds[g] for g in groups if g in provider.kinds), provider.default_kind)
    role = None
    if provider.roles:
        given = {provider.roles[g] for g in groups if g in provider.roles}
        role = next((r for r in ROLE_STRENGTH if r in given), Role.PARTICIPANT)
    email = claim("email")
    return DirectoryEntry(
        subject=str(claims.get("sub") or ""), email=email.lower() if email else None,
        display_name=claim("name"), department=claim("department"),
        country=country if len(country) == 2 and country.isalpha() else None,
        locale=locale if locale in SUPPORTED_LOCALES else None,
        timezone=timezone if timezone in known_timezones() else None, groups=groups, kind=kind, role=role)


def _apply_entry(user, entry: DirectoryEntry, provider: Provider, *, why):
    """Make the user match the directory; the audit log keeps what kind or role changed."""
    before = {"role": user.role.value, "kind": user.kind.value}
    segments = activity.segments_of(user)
    user.display_name = entry.display_name or user.display_name
    user.department = entry.department or user.department
    user.country = entry.country or user.country
    user.locale = entry.locale or user.locale
    user.timezone = entry.timezone or user.timezone
    user.kind = entry.kind
    if entry.role is not None:
        user.role = entry.role
    activity.move_person(user, segments)
    after = {"role": user.role.value, "kind": user.kind.value}
    if after != before:
        record_audit(None, "person.directory_update", target_type="user", target_id=user.id,
                     before=before, after=after, reason=f"{provider.label}: {why}")


# --- signing in -----------------------------------------------------------------------------

@dataclass(frozen=True)
class LinkNeeded:
    """The email already has an account not yet linked to this provider: its owner must log in
    with its password once to link them."""

    provider: str
    subject: str
    email: str


def sign_in_with_provider(provider: Provider, claims, *, refresh_token=None):
    """The provider vouched for ``claims``. Returns the User to sign in, or LinkNeeded."""
    entry = read_directory_entry(provider, claims)
    if not entry.subject:
        raise SignInRefused(_l("Your organisation's sign-in did not say who you are."))
    identity = db.session.scalar(select(SsoIdentity).where(SsoIdentity.provider == provider.name,
                                                           SsoIdentity.subject == entry.subject))
    if identity is not None:
        user = identity.user
        if not user.active:
            raise SignInRefused(_l("This account has been deactivated."), code="account_inactive")
        _keep_identity(identity, entry, refresh_token)
        _apply_entry(user, entry, provider, why="sign-in")
        db.session.commit()
        return user
    if not entry.email or claims.get("email_verified") is False:
        raise SignInRefused(_l("Your organisation's sign-in did not give a verified email address."),
                            code="email_missing")
    if not provider.covers(entry.email):
        raise SignInRefused(_l("%(provider)s cannot sign in addresses of this domain.", provider=provider.label),
                            code="domain_not_allowed")
    if find_user_by_email(entry.email) is not None:
        return LinkNeeded(provider.name, entry.subject, entry.email)
    user = User(email=entry.email, display_name=entry.display_name or entry.email.partition("@")[0],
                password_hash=hash_password(secrets.token_urlsafe(32)), role=entry.role or Role.PARTICIPANT,
                kind=entry.kind, department=entry.department, country=entry.country, locale=entry.locale,
                timezone=entry.timezone, created_at=utcnow())
    db.session.add(user)
    db.session.flush()
    db.session.add(SsoIdentity(user_id=user.id, provider=provider.name, subject=entry.subject,
                               refresh_token=refresh_token, groups="\n".join(entry.groups),
                               created_at=utcnow(), checked_at=utcnow()))
    record_audit(None, "person.directory_create", target_type="user", target_id=user.id,
                 after={"role": user.role.value, "kind": user.kind.value}, reason=provider.label)
    db.session.commit()
    return user


def _keep_identity(identity, entry, refresh_token):
    identity.groups = "\n".join(entry.groups)
    identity.checked_at = utcnow()
    if refresh_token:
        identity.refresh_token = refresh_token


def link_identity(user, provider: Provider, link: LinkNeeded):
    """Link a provider identity to the account its owner has just logged into with a password.
    Only the account the provider named (the same email) can be linked."""
    if user.email != link.email or link.provider != provider.name:
        raise SignInRefused(_l("This sign-in belongs to another account."), code="link_mismatch")
    if db.session.scalar(select(SsoIdentity.id).where(SsoIdentity.provider == provider.name,
                                                      SsoIdentity.subject == link.subject)):
        raise SignInRefused(_l("This sign-in is already linked to an account."), code="already_linked")
    db.session.add(SsoIdentity(user_id=user.id, provider=provider.name, subject=link.subject,
                               created_at=utcnow(), checked_at=utcnow()))
    record_audit(user, "person.sso_link", target_type="user", target_id=user.id, reason=provider.label)
    db.session.commit()


# --- between sign-ins -------------------------------------------------------------------------

def identity_of(user, provider: Provider) -> SsoIdentity | None:
    return db.session.scalar(select(SsoIdentity).where(SsoIdentity.user_id == user.id,
                                                       SsoIdentity.provider == provider.name))


def recheck_due(identity, seconds) -> bool:
    """True when it is time to ask the provider about this person again."""
    return identity.checked_at is None or (utcnow() - identity.checked_at).total_seconds() >= seconds


def refresh_from_directory(user, provider: Provider, claims, *, refresh_token=None):
    """The provider's current word on a signed-in person (userinfo after a token refresh):
    kind and role follow the groups now, not at the next sign-in."""
    identity = identity_of(user, provider)
    entry = read_directory_entry(provider, claims)
    if identity is None or entry.subject != identity.subject:
        raise SignInRefused(_l("This sign-in belongs to another account."), code="link_mismatch")
    _keep_identity(identity, entry, refresh_token)
    _apply_entry(user, entry, provider, why="directory re-check")
    db.session.commit()
    return user


def end_provider_sessions(provider: Provider, subject) -> bool:
    """The provider ended someone's session (back-channel logout): every session of theirs here
    ends too. Returns False when the subject is unknown here."""
    identity = db.session.scalar(select(SsoIdentity).where(SsoIdentity.provider == provider.name,
                                                           SsoIdentity.subject == str(subject)))
    if identity is None:
        return False
    identity.user.session_token = new_session_token()
    identity.refresh_token = None
    record_audit(None, "person.sso_logout", target_type="user", target_id=identity.user_id, reason=provider.label)
    db.session.commit()
    return True
