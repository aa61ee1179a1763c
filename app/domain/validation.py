"""Collects field errors so a request reports every bad field at once and writes nothing."""
from flask_babel import lazy_gettext as _l

from app.domain.errors import ValidationError
from app.domain.text import text_length


class FieldErrors:
    def __init__(self):
        self.fields = {}

    def add(self, field, message):
        self.fields.setdefault(field, message)

    def text(self, field, value, *, max_length, min_length=1, required=True):
        """Check a cleaned text value's length and return it. The minimum counts a CJK
        character twice (``text.text_length``: 無卡提款 is a full title); the maximum
        counts characters, as the database does."""
        if not value:
            if required:
                self.add(field, _l("This field is required."))
            return value
        if text_length(value) < min_length:
            self.add(field, _l("Use at least %(n)d characters.", n=min_length))
        elif len(value) > max_length:
            self.add(field, _l("Use at most %(n)d characters.", n=max_length))
        return value

    def raise_if_any(self):
        if self.fields:
            raise ValidationError(fields=dict(self.fields))


# Every id column is a 32-bit INTEGER: on PostgreSQL a larger number fails the query instead of
# finding nothing, so no id past it is ever looked up (app/inputs.py bounds URL ids the same way).
ID_MAX = 2**31 - 1


def parse_id(value):
    """A positive database id from an int or an ASCII-digit string, else None.

    Rejects what int() would accept but no row can have: "²", "٣", signs, huge numbers.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= len(str(ID_MAX)):
        number = int(value)
    else:
        return None
    return number if 1 <= number <= ID_MAX else None


def bounded_int(errors, field, value, default, low, high):
    """A whole number within [low, high]; out-of-range or junk input is reported and replaced."""
    if value in (None, ""):
        return default
    number = parse_id(value) if not isinstance(value, int) or isinstance(value, bool) else value
    if number is None or not low <= number <= high:
        errors.add(field, _l("Enter a whole number from %(low)d to %(high)d.", low=low, high=high))
        return default
    return number
