"""Words people read for the platform's enums, in their language."""
from flask_babel import lazy_gettext as _l

from app.models import IdeaStatus

STATUS_LABELS = {
    IdeaStatus.SUBMITTED: _l("Submitted"),
    IdeaStatus.UNDER_REVIEW: _l("Under review"),
    IdeaStatus.SHORTLISTED: _l("Shortlisted"),
    IdeaStatus.SELECTED: _l("Selected"),
    IdeaStatus.IN_PROGRESS: _l("In progress"),
    IdeaStatus.IMPLEMENTED: _l("Implemented"),
    IdeaStatus.DECLINED: _l("Declined"),
    IdeaStatus.DUPLICATE: _l("Duplicate"),
}


def status_labels_by_value():
    """For live updates: {"shortlisted": "Shortlisted", ...} in the reader's language."""
    return {status.value: str(label) for status, label in STATUS_LABELS.items()}


def status_label(status):
    return STATUS_LABELS.get(status, status.value if status else "")
