"""What a request may carry into the database, checked once where every request comes in.

Two kinds of value reach SQLite but not PostgreSQL, so without this they would be stored on
one database and a server error on the other:

* numbers past the 32-bit id columns: every ``<int:…>`` in a URL goes through ``IdConverter``
  (a larger number cannot name a row: 404), and every id in a form, query or body goes
  through ``app.domain.validation.parse_id``, bounded the same way (a field error);
* text PostgreSQL cannot store — a NUL character, or half of a surrogate pair (which only a
  JSON ``\\ud800`` escape can produce): refused as a 422 that names each field, for query
  strings, forms and JSON bodies (``check_request``, and ``check_json_body`` for the API)
  alike, before any view runs. Socket events check their payloads with ``unstorable_fields``.
"""
import functools
import json

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, ValidationError as RoutingValidationError

from app.domain.errors import ValidationError
from app.domain.validation import ID_MAX

MESSAGE = _l("Remove the null characters and unpaired surrogates from this field.")
# A page form refused here has no field to mark, so the page itself says what to remove.
SUMMARY = _l("What you sent contains null characters or unpaired surrogates, which cannot be "
             "stored. Remove them and try again.")


class IdConverter(IntegerConverter):
    """``<int:…>`` for the whole app: ASCII digits naming a number an id column can hold
    (1 to ID_MAX unless the rule says otherwise).

    Werkzeug's own accepts any Unicode digit ("٣") and any size; a number past the column
    makes PostgreSQL fail the query, where SQLite would merely find nothing.
    """

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=1, max=ID_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value):
        # Not found outright, rather than "this rule does not match": Werkzeug would then try
        # the path's other rules, and one with another method answers 405 for a missing id.
        if len(value.lstrip("-")) > len(str(ID_MAX)):  # before int() meets 5,000 digits
            raise NotFound()
        try:
            return super().to_python(value)
        except RoutingValidationError:
            raise NotFound() from None


def _unstorable_text(text):
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return True
    return False


def unstorable_fields(data, prefix=""):
    """Names of the fields of ``data`` (a dict or list, nested as JSON nests) holding text a
    database cannot store, in keys or values."""
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(key, str) and _unstorable_text(key):
                found.append(name)
            else:
                found += unstorable_fields(value, name)
    elif isinstance(data, (list, tuple)):
        for index, value in enumerate(data):
            found += unstorable_fields(value, f"{prefix}.{index}" if prefix else str(index))
    elif isinstance(data, str) and _unstorable_text(data):
        found.append(prefix or "body")
    return found


def refuse_unstorable(fields):
    """Raise the 422 that names ``fields``, if there are any."""
    if fields:
        raise ValidationError(SUMMARY, fields={name: MESSAGE for name in fields})


def check_request():
    """Before every view: the URL's text parts, the query string and the form."""
    if any(isinstance(value, str) and _unstorable_text(value)
           for value in (request.view_args or {}).values()):
        raise NotFound()  # no slug or link token contains a NUL
    fields = [name for name, value in request.args.items(multi=True) if _unstorable_text(value)]
    fields += [name for name in request.args if _unstorable_text(name)]
    if request.method not in ("GET", "HEAD", "OPTIONS") and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        fields += [name for name, value in request.form.items(multi=True) if _unstorable_text(value)]
        fields += [name for name in request.form if _unstorable_text(name)]
    refuse_unstorable(sorted(set(fields)))


def check_json_body():
    """Before every API operation: the JSON body, whether or not the operation reads one. A
    body that is not JSON is left to the operation, which says so if it needs one."""
    if request.method in ("GET", "HEAD", "OPTIONS") or not request.content_length:
        return
    try:
        data = json.loads(request.get_data(cache=True))
    except (ValueError, RecursionError):
        return
    refuse_unstorable(unstorable_fields(data))


def checked_event(handler):
    """A socket event handler that first refuses a payload holding unstorable text, with the
    reply shape every event uses."""
    @functools.wraps(handler)
    def checked(data=None, *rest):
        fields = unstorable_fields(data)
        if fields:
            return {"ok": False, "error": {"code": "validation_failed", "message": str(SUMMARY),
                                           "fields": {name: str(MESSAGE) for name in fields}}}
        return handler(data, *rest)
    return checked


def init_app(app):
    """Register the id converter (before any route is added) and the request check."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(check_request)
