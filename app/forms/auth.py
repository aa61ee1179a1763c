from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField

from app.forms.common import language_choices


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"))
    password = PasswordField(_l("Password"))
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()


class RegisterForm(FlaskForm):
    email = EmailField(_l("Email"))
    display_name = StringField(_l("Display name"))
    password = PasswordField(_l("Password"))
    confirm_password = PasswordField(_l("Confirm password"))
    department = StringField(_l("Department (optional)"))
    country = StringField(_l("Country code (optional)"), description=_l("Two letters, such as TW or GB."))
    locale = SelectField(_l("Language"), choices=language_choices(), validate_choice=False)
    invite_code = HiddenField()

    def passwords_match(self):
        return self.password.data == self.confirm_password.data


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"))
    new_password = PasswordField(_l("New password"))
    confirm_password = PasswordField(_l("Confirm new password"))

    def passwords_match(self):
        return self.new_password.data == self.confirm_password.data
