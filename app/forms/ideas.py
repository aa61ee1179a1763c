from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField


class IdeaForm(FlaskForm):
    title = StringField(_l("Title"))
    body = TextAreaField(_l("Your idea (Markdown)"))
    tags = StringField(_l("Tags"), description=_l("Separate tags with commas, e.g. mobile, billing."))


class FollowForm(FlaskForm):
    next = HiddenField()
