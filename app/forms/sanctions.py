from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, TextAreaField

from app.forms.campaigns import DATETIME_LOCAL_FORMATS


class WarnForm(FlaskForm):
    reason = TextAreaField(_l("Warning"), description=_l("The person reads this in their notifications."))


class SuspendForm(FlaskForm):
    until = DateTimeLocalField(_l("Suspended until"), format=DATETIME_LOCAL_FORMATS)
    reason = TextAreaField(_l("Reason"), description=_l("The person reads this in their notifications."))


class LiftSuspensionForm(FlaskForm):
    reason = TextAreaField(_l("Reason (optional)"))
