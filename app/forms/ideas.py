from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField

from app.forms.common import content_language_choices


class IdeaForm(FlaskForm):
    title = StringField(_l("Title"))
    body = TextAreaField(_l("Your idea (Markdown)"))
    tags = StringField(_l("Tags"), description=_l("Separate tags with commas, e.g. mobile, billing."))
    # ideas.submit_idea judges the value; "auto" detects the language from the words.
    language = SelectField(_l("Language of your idea"), choices=content_language_choices(_l("Detect automatically")),
                           validate_choice=False, default="auto",
                           description=_l("Screen readers and fonts follow it."))
    # Shown when the campaign's code of conduct is still to be accepted (conduct.FIELD).
    accept_code_of_conduct = BooleanField(_l("I have read and accept the code of conduct"))


class FollowForm(FlaskForm):
    next = HiddenField()
