"""People: registration, login, passwords, roles and deactivation.

Registering and resetting a password go through links mailed to the address, and answer the
same whether or not the address has an account, so nobody learns who has one by trying
(docs/SECURITY.md): only the holder of the inbox is told.
"""
import functools
import hashlib
import hmac
import os
import zoneinfo
from dataclasses import dataclass
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.domain import activity, invites, links, mail, permissions
from app.domain.clock import utcnow
from app.domain.errors import (AuthenticationFailed, Conflict, LinkNotValid, NotFound,
                               PermissionDenied, ValidationError)
from app.domain.text import clean_line
from app.domain.validation import FieldErrors, parse_id
from app.extensions import db
from app.models import Invite, ParticipantKind, Role, User
from app.models.user import new_session_token

PASSWORD_MIN = 8
PASSWORD_MAX = 128
NAME_MAX = 80
DEPARTMENT_MAX = 80
PAGE_MAX = 100_000
SUPPORTED_LOCALES = ("en", "zh_Hant", "zh_Hans")
# How long a mailed link works, and the salt that keeps each kind of link to its own use.
REGISTRATION_LINK_MAX_AGE = timedelta(hours=24)
PASSWORD_RESET_LINK_MAX_AGE = timedelta(hours=1)
REGISTRATION_SALT = "ideajam.register"
PASSWORD_RESET_SALT = "ideajam.password-reset"

# Checked when the email is unknown, so a login takes as long whether or not the account exists.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def _check_email(errors, email):
    try:
        if not isinstance(email, str):
            raise EmailNotValidError("not text")
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        errors.add("email", _l("Enter a valid email address."))
        return None


def normalise_email(email) -> str:
    """The address as accounts keep it (valid, lower case), or raise ValidationError."""
    errors = FieldErrors()
    email = _check_email(errors, email)
    errors.raise_if_any()
    return email


@functools.cache
def common_passwords() -> frozenset:
    """Passwords too common to accept: the bundled list of leaked ones (app/data/README.md)."""
    path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "common-passwords.txt")
    with open(path, encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def _check_password(errors, password, field="password"):
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        errors.add(field, _l("Use at least %(n)d characters.", n=PASSWORD_MIN))
    elif len(password) > PASSWORD_MAX:
        errors.add(field, _l("Use at most %(n)d characters.", n=PASSWORD_MAX))
    elif password.lower() in common_passwords():
        errors.add(field, _l("This password is one of the most common ones, found in leaked password "
                             "lists; choose one that is harder to guess."))


def _check_confirmation(errors, password, confirm_password, field="confirm_password"):
    """``confirm_password`` None means the caller has no second field (the CLI, the API)."""
    if confirm_password is not None and confirm_password != password:
        errors.add(field, _l("The two passwords are not the same."))


def _check_profile(errors, department, country, locale, timezone):
    department = errors.text("department", clean_line(department), max_length=DEPARTMENT_MAX,
                             required=False) or None
    country = clean_line(country).upper() or None
    if country and (len(country) != 2 or not country.isalpha() or not country.isascii()):
        errors.add("country", _l("Use a two-letter country code such as TW or GB."))
    locale = locale or None
    if locale and (not isinstance(locale, str) or locale not in SUPPORTED_LOCALES):
        errors.add("locale", _l("Choose one of the offered languages."))
    timezone = timezone or None
    if timezone and (not isinstance(timezone, str) or timezone not in known_timezones()):
        errors.add("timezone", _l("Choose a time zone from the list."))
    return department, country, locale, timezone


@functools.lru_cache(maxsize=1)
def known_timezones() -> frozenset:
    """IANA zone names; reading them scans the zone database, so once per process."""
    return frozenset(zoneinfo.available_timezones())


def parse_kind(value, errors=None, field="kind"):
    try:
        return value if isinstance(value, ParticipantKind) else ParticipantKind(value)
    except ValueError:
        if errors is None:
            raise
        errors.add(field, _l("Choose staff, partner or customer."))
        return None


def parse_role(value, errors, field="role"):
    try:
        return value if isinstance(value, Role) else Role(value)
    except ValueError:
        errors.add(field, _l("Choose one of the offered roles."))
        return None


def normalise_email_or_none(email):
    try:
        return normalise_email(email)
    except ValidationError:
        return None


def find_user_by_email(email):
    return db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))


def register_user(*, email, display_name, password, confirm_password=None, invite_code=None,
                  department=None, country=None, locale=None, timezone=None, role=Role.PARTICIPANT,
                  default_kind=ParticipantKind.CUSTOMER):
    """Create an account. An invite sets the participant kind; without one the person joins
    as ``default_kind`` (customers, by default: anyone may register from outside).

    People reach it through ``finish_registration`` (a mailed link proves the address); the
    admin command and the demo seed call it directly."""
    errors = FieldErrors()
    email = _check_email(errors, email)
    display_name = errors.text("display_name", clean_line(display_name), max_length=NAME_MAX)
    _check_password(errors, password)
    _check_confirmation(errors, password, confirm_password)
    department, country, locale, timezone = _check_profile(errors, department, country, locale,
                                                           timezone)
    invite = None
    if invite_code:
        invite = invites.find_usable_invite(invite_code)
        if invite is None:
            errors.add("invite_code", _l("This invite link has expired or has been used up."))
    errors.raise_if_any()
    if find_user_by_email(email) is not None:
        # Only the holder of the inbox gets this far (a mailed link), or an admin at the CLI.
        raise Conflict(_l("An account with this email already exists. Log in instead."),
                       code="email_taken", fields={"email": _l("This email is already registered.")})
    user = User(
        email=email, display_name=display_name, password_hash=hash_password(password),
        role=role, kind=invite.kind if invite else default_kind, department=department,
        country=country, locale=locale, timezone=timezone, created_at=utcnow(),
    )
    db.session.add(user)
    if invite is not None and not invites.redeem_invite(invite):
        db.session.rollback()
        raise Conflict(_l("This invite link has expired or has been used up."), code="invite_used",
                       fields={"invite_code": _l("This invite link has expired or has been used up.")})
    db.session.commit()
    return user


# --- registering through a mailed link ---------------------------------------------------

@dataclass(frozen=True)
class RegistrationLink:
    """What a registration link carries: the address it was mailed to and the invite, if the
    person came through one (``invite`` is that invite while it can still be used)."""

    email: str
    invite_code: str | None
    invite: Invite | None


def make_registration_token(email, invite_code=None) -> str:
    """The token of a link to finish registering ``email`` (a normalised address)."""
    return links.sign_link_data({"email": email, "invite": invite_code}, salt=REGISTRATION_SALT)


def start_registration(email, invite_code=None) -> str:
    """Registering, step one: mail the address and return it as accounts keep it.

    The answer is the same whether or not the address has an account, so nobody learns which
    addresses do; only the inbox is told. A new address gets a link (valid 24 hours) to the
    second step, carrying the invite while it can still be used (the form said so when it no
    longer can). An address that already has an account is told so instead, with links to log
    in and to reset the password. Nothing is written.
    """
    email = normalise_email(email)
    from app.domain import sso

    required = sso.provider_requiring(email)
    if required is not None:  # decided by the domain alone, as for logging in
        raise ValidationError(fields={"email": _l("People of this organisation sign in with %(provider)s.",
                                                  provider=required.label)})
    invite = invites.find_usable_invite(invite_code) if invite_code else None
    user = find_user_by_email(email)
    if user is not None:
        message = mail.compose_existing_account(
            email, login_link=mail.public_url("auth.login"),
            reset_link=mail.public_url("auth.request_password_reset"), locale=mail.mail_locale(user))
    else:
        token = make_registration_token(email, invite.code if invite else None)
        message = mail.compose_registration_link(
            email, mail.public_url("auth.finish_registration", token=token),
            valid_for=REGISTRATION_LINK_MAX_AGE, locale=mail.mail_locale())
    mail.send_message(message)
    return email


def read_registration_link(token) -> RegistrationLink:
    """What a registration link carries. Raises LinkNotValid when it is broken or older than
    24 hours, and Conflict (``email_taken``) when its address has an account by now — the
    holder of the inbox may learn that."""
    data = links.read_link_data(token, salt=REGISTRATION_SALT, max_age=REGISTRATION_LINK_MAX_AGE)
    email = data.get("email") if isinstance(data, dict) else None
    if not isinstance(email, str) or not email:
        raise LinkNotValid()
    invite_code = data.get("invite") if isinstance(data.get("invite"), str) else None
    if find_user_by_email(email) is not None:
        raise Conflict(_l("An account with this email already exists. Log in instead."),
                       code="email_taken")
    invite = invites.find_usable_invite(invite_code) if invite_code else None
    return RegistrationLink(email=email, invite_code=invite_code, invite=invite)


def finish_registration(token, *, display_name, password, confirm_password=None, department=None,
                        country=None, locale=None, timezone=None):
    """Registering, step two: create the account for the address the link was mailed to, with
    every check of ``register_user`` (the invite it carries must still be usable). Raises as
    ``read_registration_link`` does, and Conflict when a second link got there first."""
    link = read_registration_link(token)
    return register_user(email=link.email, display_name=display_name, password=password,
                         confirm_password=confirm_password, invite_code=link.invite_code,
                         department=department, country=country, locale=locale, timezone=timezone)


# --- resetting a forgotten password -------------------------------------------------------

def _password_fingerprint(user) -> str:
    """Changes whenever the password or the session token does (any password change, a reset,
    a deactivation), so a reset link works once and dies with the password it would replace.
    A digest: the token of a link is readable, and must not carry any of either."""
    material = f"{user.id}:{user.password_hash}:{user.session_token}".encode()
    return hashlib.sha256(material).hexdigest()[:24]


def make_password_reset_token(user) -> str:
    """The token of a link to choose a new password for ``user``."""
    return links.sign_link_data([user.id, _password_fingerprint(user)], salt=PASSWORD_RESET_SALT)


def request_password_reset(email) -> str:
    """Mail a password reset link to the address of an active account, and return the address
    as accounts keep it.

    The answer is the same whether or not the address has an account. An active account is
    mailed a link that works once, for an hour; any other address (none, or a deactivated
    account) is mailed that there is no active account for it, so the holder of the inbox
    knows what happened and the request takes as long either way. Nothing is written.
    """
    email = normalise_email(email)
    user = find_user_by_email(email)
    if user is not None and user.active:
        link = mail.public_url("auth.reset_password", token=make_password_reset_token(user))
        message = mail.compose_password_reset(email, link, valid_for=PASSWORD_RESET_LINK_MAX_AGE,
                                              locale=mail.mail_locale(user))
    else:
        message = mail.compose_no_account(email, register_link=mail.public_url("auth.register"),
                                          locale=mail.mail_locale(user))
    mail.send_message(message)
    return email


def read_password_reset_link(token) -> User:
    """The active person a reset link is for. Raises LinkNotValid when the link is broken, older
    than an hour, already used, or the password has changed since it was sent."""
    data = links.read_link_data(token, salt=PASSWORD_RESET_SALT, max_age=PASSWORD_RESET_LINK_MAX_AGE)
    if not (isinstance(data, list) and len(data) == 2 and isinstance(data[1], str)):
        raise LinkNotValid()
    user_id = parse_id(data[0])
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None or not user.active or not hmac.compare_digest(data[1], _password_fingerprint(user)):
        raise LinkNotValid(_l("This link has already been used, or the password has changed since "
                              "it was sent. Ask for a new link if you still need one."), code="link_used")
    return user


def reset_password(token, *, password, confirm_password=None):
    """Set a new password through a reset link, with the same rules as any password. Rotates
    the session token: every session of the person ends, and the link stops working."""
    user = read_password_reset_link(token)
    errors = FieldErrors()
    _check_password(errors, password)
    _check_confirmation(errors, password, confirm_password)
    errors.raise_if_any()
    return _set_password(user, password)


def authenticate(email, password, *, linking=None):
    """Return the active user with these credentials, or raise one message for every failure,
    so nobody learns which accounts exist.

    Addresses of a domain whose provider is required must sign in there; their password is
    taken only to link an identity that provider has just vouched for (``linking``, an
    ``sso.LinkNeeded`` for this same address)."""
    from app.domain import sso

    required = sso.provider_requiring(clean_line(email))
    if required is not None and not (linking and linking.provider == required.name
                                     and linking.email == normalise_email_or_none(email)):
        # Decided by the address's domain alone: it tells nothing of accounts.
        raise AuthenticationFailed(_l("People of this organisation sign in with %(provider)s.",
                                      provider=required.label), code="sso_required")
    user = find_user_by_email(clean_line(email))
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        raise AuthenticationFailed()
    if not check_password_hash(user.password_hash, password or "") or not user.active:
        raise AuthenticationFailed()
    return user


def load_session_user(session_id: str):
    """Resolve a login cookie's id ("<user id>:<session token>") to an active user."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def change_password(user, *, current_password, new_password, confirm_password=None):
    """Change a password. Rotates the session token: every other session of the person ends."""
    errors = FieldErrors()
    if not check_password_hash(user.password_hash, current_password or ""):
        errors.add("current_password", _l("Your current password is not correct."))
    _check_password(errors, new_password, field="new_password")
    _check_confirmation(errors, new_password, confirm_password)
    errors.raise_if_any()
    return _set_password(user, new_password)


def _set_password(user, password):
    """Store a checked password and rotate the session token, which ends every other session
    of the person (and kills their reset links, signed over both)."""
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    db.session.commit()
    return user


def update_profile(user, *, display_name, department=None, country=None, locale=None,
                   timezone=None):
    """Change a person's own name, department, country, language and time zone."""
    errors = FieldErrors()
    display_name = errors.text("display_name", clean_line(display_name), max_length=NAME_MAX)
    department, country, locale, timezone = _check_profile(errors, department, country, locale,
                                                           timezone)
    errors.raise_if_any()
    before = activity.segments_of(user)
    user.display_name = display_name
    user.department, user.country, user.locale, user.timezone = department, country, locale, timezone
    activity.move_person(user, before)
    db.session.commit()
    return user


def set_locale(user, locale):
    """Remember a person's chosen interface language."""
    if locale not in SUPPORTED_LOCALES:
        raise NotFound()
    user.locale = locale
    db.session.commit()


def get_user(user_id):
    user_id = parse_id(user_id)
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None:
        raise NotFound()
    return user


def list_people(actor, *, q=None, page=1, per_page=50):
    """People for the admin pages, newest first, optionally filtered by name or email."""
    if not permissions.can_manage_people(actor):
        raise PermissionDenied()
    stmt = select(User).order_by(User.id.desc())
    q = clean_line(q)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(func.lower(User.email).like(like) | func.lower(User.display_name).like(like))
    page = parse_id(page) or 1
    return db.paginate(stmt, page=min(page, PAGE_MAX), per_page=per_page, error_out=False)


def update_person(actor, user_id, *, role=None, kind=None, active=None):
    """Change a person's role, kind or active state. Deactivation ends their sessions at once."""
    if not permissions.can_manage_people(actor):
        raise PermissionDenied()
    person = get_user(user_id)
    errors = FieldErrors()
    new_role = parse_role(role, errors) if role is not None else person.role
    new_kind = parse_kind(kind, errors) if kind is not None else person.kind
    errors.raise_if_any()
    if person.id == actor.id and (new_role != Role.ADMIN or active is False):
        raise PermissionDenied(_l("You cannot remove your own admin rights or deactivate yourself."),
                               code="self_demotion")
    before = {"role": person.role.value, "kind": person.kind.value, "active": person.active}
    segments_before = activity.segments_of(person)
    person.role, person.kind = new_role, new_kind
    activity.move_person(person, segments_before)
    if active is not None and active != person.active:
        person.active = active
        person.session_token = new_session_token()
    after = {"role": person.role.value, "kind": person.kind.value, "active": person.active}
    if after != before:
        from app.domain.audit import record_audit

        record_audit(actor, "person.update", target_type="user", target_id=person.id,
                     before=before, after=after)
    db.session.commit()
    return person


def create_admin(*, email, display_name, password):
    """Make the first admin (used by `flask jam create-admin`)."""
    return register_user(email=email, display_name=display_name, password=password,
                         role=Role.ADMIN, default_kind=ParticipantKind.STAFF)


def ensure_active(user_id) -> bool:
    """True while an account may keep acting; used by long-lived connections."""
    return bool(db.session.scalar(select(User.active).where(User.id == user_id)))



def standing_of(user_ids):
    """What a person's access rests on, per id: if any part changes (deactivated, password
    changed, new role or kind), long-lived connections opened before must be re-authorised."""
    if not user_ids:
        return {}
    rows = db.session.execute(select(User.id, User.active, User.session_token, User.role, User.kind)
                              .where(User.id.in_(list(user_ids))))
    return {row.id: (row.active, row.session_token, row.role, row.kind) for row in rows}
