from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField

from app.forms.common import kind_choices, role_choices


class PersonForm(FlaskForm):
    """One of many on the people page, so it is prefixed per person. The global CSRFProtect
    checks the page's plain csrf_token field; the form needs no (prefixed) token of its own."""

    class Meta:
        csrf = False

    role = SelectField(_l("Role"), choices=role_choices(), validate_choice=False)
    kind = SelectField(_l("Kind"), choices=kind_choices(), validate_choice=False)
    active = BooleanField(_l("Active"))
    next = HiddenField()


class InviteForm(FlaskForm):
    kind = SelectField(_l("Participant kind"), choices=kind_choices(), validate_choice=False)
    max_uses = IntegerField(_l("Maximum uses"), default=50)
    expires_in_days = IntegerField(_l("Expires in (days)"), default=30)


class RevokeForm(FlaskForm):
    pass
