"""Reading requests: the JSON body and the types of its fields, before any domain call.

Only the shape of the input is checked here (is ``title`` text, are ``tags`` a list?);
what makes a value acceptable is decided by the domain.
"""
import json
from datetime import datetime

from flask import request
from flask_babel import lazy_gettext as _l

from app.api.openapi import MAX_ID
from app.domain.errors import DomainError, NotFound
from app.domain.validation import FieldErrors

MAX_BODY_BYTES = 256 * 1024


class BadRequestBody(DomainError):
    status = 400
    code = "invalid_json"
    default_message = _l("The request body is not valid JSON.")


def json_object(optional=False):
    """The request body as a dict; 400 unless it is a JSON object (any content type).
    With ``optional``, no body at all reads as an empty object."""
    raw = request.get_data(cache=True)  # 413 beyond request.max_content_length
    if optional and not raw.strip():
        return {}
    try:
        data = json.loads(raw) if raw.strip() else None
    except (ValueError, RecursionError):
        raise BadRequestBody() from None
    if not isinstance(data, dict):
        raise BadRequestBody(_l("Send a JSON object."), code="body_not_object")
    return data


class Body:
    """Typed access to the fields of a JSON object; collects every type error at once."""

    def __init__(self, data, allowed):
        self.data = data
        self.errors = FieldErrors()
        for key in data:
            if key not in allowed:
                self.errors.add(key, _l("This field is not recognised."))

    def has(self, name):
        return name in self.data

    def text(self, name):
        """A string, or None when missing or null."""
        value = self.data.get(name)
        if value is None or isinstance(value, str):
            return value
        self.errors.add(name, _l("Give this field as text."))
        return None

    def text_list(self, name, message=None):
        """A list of strings, or None when missing or null."""
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return value
        self.errors.add(name, message or _l("Give tags as a list of words."))
        return None

    def boolean(self, name):
        """true or false, or None when missing or null."""
        value = self.data.get(name)
        if value is None or isinstance(value, bool):
            return value
        self.errors.add(name, _l("Give this field as true or false."))
        return None

    def aware_datetime(self, name):
        """An ISO-8601 date and time with its UTC offset (or Z), or None when missing or null."""
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.strip())
            except ValueError:
                parsed = None
            if parsed is not None and parsed.utcoffset() is not None:
                return parsed
        self.errors.add(name, _l("Enter a date and time such as 2026-12-01T09:00Z."))
        return None

    def require(self, *names):
        """Report each of these fields that is missing or null (for bodies that replace
        everything, where leaving a field out must not quietly clear it)."""
        for name in names:
            if self.data.get(name) is None:
                self.errors.add(name, _l("This field is required."))

    def optional_id(self, name):
        """A positive integer id, or None when missing or null."""
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID:
            return value
        self.errors.add(name, _l("Give the id of an existing item."))
        return None

    def raw(self, name):
        return self.data.get(name)

    def check(self):
        """Raise one ValidationError naming every mistyped or unknown field."""
        self.errors.raise_if_any()


def body(*allowed, optional=False):
    """Parse the JSON object body, allowing only the named fields; ``optional`` accepts
    a request without a body (every field then missing)."""
    return Body(json_object(optional), set(allowed))


def query_int(name, errors):
    """An optional whole-number query parameter (ASCII digits, at most 9 of them)."""
    value = request.args.get(name)
    if value is None or value == "":
        return None
    value = value.strip()
    if value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value)
    errors.add(name, _l("Enter a whole number."))
    return None


def campaign_ref(value):
    """A campaign id (int) or slug (str) from the URL; ids too large for the database, or
    written in other scripts' digits, cannot exist."""
    if value.isdigit():
        if value.isascii() and len(value) <= 10 and int(value) <= MAX_ID:
            return int(value)
        raise NotFound(_l("We could not find that campaign."))
    return value
