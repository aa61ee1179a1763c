from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField

from app.forms.common import language_choices, timezone_choices


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"))
    password = PasswordField(_l("Password"))
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()


class RegisterForm(FlaskForm):
    """Registering, step one: the address the link to step two is mailed to."""

    email = EmailField(_l("Email"))
    invite_code = HiddenField()


class FinishRegistrationForm(FlaskForm):
    """Registering, step two, opened from the mailed link."""

    display_name = StringField(_l("Display name"))
    password = PasswordField(_l("Password"))
    confirm_password = PasswordField(_l("Confirm password"))
    department = StringField(_l("Department (optional)"))
    country = StringField(_l("Country code (optional)"), description=_l("Two letters, such as TW or GB."))
    locale = SelectField(_l("Language"), choices=language_choices(), validate_choice=False)
    timezone = SelectField(_l("Time zone"), choices=timezone_choices, validate_choice=False,
                           description=_l("Deadlines and times are shown in this zone. You can change it in your profile."))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"))
    new_password = PasswordField(_l("New password"))
    confirm_password = PasswordField(_l("Confirm new password"))


class PasswordResetRequestForm(FlaskForm):
    email = EmailField(_l("Email"))


class PasswordResetForm(FlaskForm):
    password = PasswordField(_l("New password"))
    confirm_password = PasswordField(_l("Confirm new password"))
