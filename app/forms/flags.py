from functools import cached_property

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, TextAreaField


def flag_reason_choices():
    from app.web.labels import FLAG_REASON_LABELS

    return [SelectChoice("", _l("Choose a reason"))] + [
        SelectChoice(reason.value, label) for reason, label in FLAG_REASON_LABELS.items()]


class FlagForm(FlaskForm):
    # flags.flag_idea / flag_comment judge the reason and whether the note is needed.
    reason = SelectField(_l("Reason"), choices=flag_reason_choices, validate_choice=False)
    note = TextAreaField(_l("Note for the moderators (optional; required for “other”)"))

    @cached_property
    def widget_text(self):
        """The labels and reasons as plain text, translated once: a page of comments shows
        the same flag form next to every comment."""
        return {"reason": str(self.reason.label.text), "note": str(self.note.label.text),
                "choices": [(choice.value, str(choice.label)) for choice in self.reason.choices]}
