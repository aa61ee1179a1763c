from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateTimeLocalField, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms.common import content_language_choices, kind_choices, voting_mode_choices

DATETIME_LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CampaignForm(FlaskForm):
    title = StringField(_l("Title"))
    question = StringField(_l("Question"))
    description = TextAreaField(_l("Description (Markdown)"))
    # campaigns.create_campaign judges the value (en or zh).
    language = SelectField(_l("Language of these texts"), choices=content_language_choices(),
                           validate_choice=False)
    title_translation = StringField(_l("Title in the other language"))
    question_translation = StringField(_l("Question in the other language"))
    description_translation = TextAreaField(_l("Description in the other language (Markdown)"))
    starts_at = DateTimeLocalField(_l("Starts"), format=DATETIME_LOCAL_FORMATS)
    ends_at = DateTimeLocalField(_l("Ends"), format=DATETIME_LOCAL_FORMATS)
    audience = CheckboxesField(_l("Who may take part"), choices=kind_choices(), validate_choice=False)
    is_private = BooleanField(_l("Private: only the audience (and staff roles) can see it"))
    # campaigns.parse_voting_mode judges the value, so a bad one gets the domain's message.
    voting_mode = SelectField(_l("How people vote"), choices=voting_mode_choices(), validate_choice=False,
                              default="both")
    public_leaderboard = BooleanField(_l("Participants see the dashboard of ideas (leaderboard, rising "
                                         "ideas, totals); who takes part stays with the organisers"))


class ExtendForm(FlaskForm):
    ends_at = DateTimeLocalField(_l("New end"), format=DATETIME_LOCAL_FORMATS)


class PhaseForm(FlaskForm):
    """Open early / close: no fields besides the CSRF token."""
