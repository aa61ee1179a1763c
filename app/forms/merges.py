from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField


class MergeForm(FlaskForm):
    # The id of the idea to merge into; merges.merge_idea judges it.
    into = StringField(_l("Merge into"))
    note = TextAreaField(_l("Note for the author (optional)"))
    # Where to go after merging (the moderation queue); the merged idea's page otherwise.
    next = HiddenField()


class UndoMergeForm(FlaskForm):
    reason = TextAreaField(_l("Reason (optional)"))
