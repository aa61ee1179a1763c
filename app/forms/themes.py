from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField


class ThemeNameForm(FlaskForm):
    # themes.rename_theme judges the name; an empty one goes back to the automatic label.
    name = StringField(_l("Name"), description=_l("Leave empty to show the automatic label."))


class ThemeMergeForm(FlaskForm):
    # The id of the theme to merge into; themes.merge_themes judges it.
    into = SelectField(_l("Merge into"), choices=[], validate_choice=False)

    def set_themes(self, summaries, exclude):
        self.into.choices = [(str(theme.id), theme.name) for theme in summaries if theme.id != exclude]
