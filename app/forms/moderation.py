from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, HiddenField, SearchField, SelectChoice, SelectField,
                     SelectMultipleField, StringField, TextAreaField)

from app.models import IdeaStatus


def status_choices():
    from app.web.labels import STATUS_LABELS

    return [(status.value, STATUS_LABELS[status]) for status in IdeaStatus]


class StatusForm(FlaskForm):
    # The domain judges the value; the choices only offer the known statuses.
    status = SelectField(_l("New status"), choices=status_choices, validate_choice=False)
    note = TextAreaField(_l("Note for the author and followers"),
                         description=_l("Required when declining."))
    # moderation.change_idea_status asks for it when the move goes backwards.
    confirm = BooleanField(_l("Yes, move it back"))


class ReasonForm(FlaskForm):
    """Hide, restore, approve, lock: the reason is required only where the domain says so."""
    reason = TextAreaField(_l("Reason"))


class ModeratorIdeaForm(FlaskForm):
    title = StringField(_l("Title"))
    body = TextAreaField(_l("Idea (Markdown)"))
    tags = StringField(_l("Tags"), description=_l("Separate tags with commas, e.g. mobile, billing."))
    reason = TextAreaField(_l("Reason for the edit"), description=_l("Kept in the audit log."))


class ModeratorCommentForm(FlaskForm):
    body = TextAreaField(_l("Comment (Markdown)"))
    reason = TextAreaField(_l("Reason for the edit"), description=_l("Kept in the audit log."))


def bulk_action_choices():
    # No default: an empty first choice, so nothing is hidden by pressing Apply by mistake.
    return [SelectChoice("", _l("Choose an action…")), SelectChoice("hide", _l("Hide")), SelectChoice("restore", _l("Restore")),
            SelectChoice("approve", _l("Approve")), SelectChoice("dismiss", _l("Dismiss the flags"))]


class BulkForm(FlaskForm):
    # moderation.moderate_in_bulk judges the action, the keys ("idea:7", "comment:9") and the reason.
    action = SelectField(_l("Action"), choices=bulk_action_choices, validate_choice=False)
    keys = SelectMultipleField(choices=[], validate_choice=False)
    reason = TextAreaField(_l("Reason"), description=_l("Required for hiding; the authors read it."))
    next = HiddenField()


def kind_filter_choices():
    return [SelectChoice("", _l("Ideas and comments")), SelectChoice("idea", _l("Ideas")),
            SelectChoice("comment", _l("Comments"))]


def reason_filter_choices():
    from app.web.labels import FLAG_REASON_LABELS

    return [SelectChoice("", _l("Any reason"))] + [
        SelectChoice(reason.value, label) for reason, label in FLAG_REASON_LABELS.items()]


class QueueFilterForm(FlaskForm):
    """The queue's filters, read from the query string (a GET form, so no CSRF token)."""

    class Meta:
        csrf = False

    # Own ids: the bulk form on the same page has a "reason" too.
    campaign = SelectField(_l("Campaign"), validate_choice=False, id="filter-campaign")
    kind = SelectField(_l("Kind"), choices=kind_filter_choices, validate_choice=False, id="filter-kind")
    reason = SelectField(_l("Reason"), choices=reason_filter_choices, validate_choice=False,
                         id="filter-reason")
    q = SearchField(_l("Words"), id="filter-q")

    def set_campaigns(self, campaigns):
        self.campaign.choices = [SelectChoice("", _l("All campaigns"))] + [
            SelectChoice(c.slug, c.title) for c in campaigns]
