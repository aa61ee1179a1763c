from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField


class AnswerForm(FlaskForm):
    # Set by the pressed button: "left", "right" or "skip"; comparisons.answer_comparison judges it.
    choice = StringField()
    reason = StringField(_l("Why can't you decide? (optional)"))
