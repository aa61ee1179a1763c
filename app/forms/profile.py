from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from app.forms.common import language_choices, timezone_choices


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Display name"))
    department = StringField(_l("Department"))
    country = StringField(_l("Country code"), description=_l("Two letters, such as TW or GB."))
    locale = SelectField(_l("Language"), validate_choice=False)
    timezone = SelectField(_l("Time zone"), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = language_choices(blank=_l("Same as my browser"))
        self.timezone.choices = timezone_choices()


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), description=_l("For example: reporting script."))
