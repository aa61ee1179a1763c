from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField

from app.models import IdeaStatus


def status_choices():
    from app.web.labels import STATUS_LABELS

    return [(status.value, STATUS_LABELS[status]) for status in IdeaStatus]


class StatusForm(FlaskForm):
    # The domain judges the value; the choices only offer the known statuses.
    status = SelectField(_l("New status"), choices=status_choices, validate_choice=False)
    note = TextAreaField(_l("Note for the author and followers"),
                         description=_l("Required when declining."))
