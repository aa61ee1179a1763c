from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField

from app.forms.campaigns import CheckboxesField
from app.forms.common import kind_choices


class RulesForm(FlaskForm):
    code_of_conduct = TextAreaField(
        _l("Code of conduct (Markdown)"),
        description=_l("Participants accept it before their first idea or comment. Leave it empty for none."))
    code_of_conduct_translation = TextAreaField(
        _l("Code of conduct in the other language (Markdown, optional)"),
        description=_l("Readers of the other language see this one; left empty, they see the code above."))
    premoderated_kinds = CheckboxesField(
        _l("Posts waiting for a moderator's approval"), choices=kind_choices(), validate_choice=False,
        description=_l("Ideas and comments from these participant kinds are published once approved."))
    # The domain judges the numbers (1 to 1000).
    ideas_per_hour = IntegerField(_l("Ideas per person per hour"))
    comments_per_minute = IntegerField(_l("Comments per person per minute"))
    flags_per_day = IntegerField(_l("Flags per person per day"))
