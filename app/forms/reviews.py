from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, FloatField, FormField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.form import Form


class CriterionRow(Form):
    name = StringField(_l("Criterion"))
    name_translation = StringField(_l("In the other language"))
    weight = FloatField(_l("Weight"), default=1)


class CriteriaForm(FlaskForm):
    rows = FieldList(FormField(CriterionRow), min_entries=6, max_entries=10)


class BoardMoveForm(FlaskForm):
    # reviews.move_ideas judges the ids, the status and the note.
    idea_ids = SelectMultipleField(validate_choice=False, coerce=str)
    status = SelectField(_l("Move to"), validate_choice=False)
    note = StringField(_l("Note (required to decline)"))
    confirm = BooleanField(_l("Yes, move them back"))


class AssignForm(FlaskForm):
    reviewer_ids = SelectMultipleField(_l("Reviewers"), validate_choice=False, coerce=str)


class DecisionForm(FlaskForm):
    outcome = SelectField(_l("Decision"), validate_choice=False)
    owner_id = SelectField(_l("Owner of the next steps"), validate_choice=False)
    note = TextAreaField(_l("Why, and what happens next"))
    confirm = BooleanField(_l("Yes, move it back"))
