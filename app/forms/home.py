from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField


class LanguageForm(FlaskForm):
    # The domain (accounts.set_locale / SUPPORTED_LOCALES) decides which codes are valid.
    locale = StringField()
    next = HiddenField()
