"""Words people read for the platform's enums, in their language."""
from flask_babel import lazy_gettext as _l

from app.domain.ideas import IdeaSort
from app.models import ContentState, FlagReason, IdeaStatus, VotingMode

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


SORT_LABELS = {
    IdeaSort.BEST: _l("Best"),
    IdeaSort.RANKED: _l("Pairwise ranking"),
    IdeaSort.TOP: _l("Most votes"),
    IdeaSort.TRENDING: _l("Trending"),
    IdeaSort.NEWEST: _l("Newest"),
    IdeaSort.DISCUSSED: _l("Most discussed"),
}

# One sentence a participant understands, shown with the sort menu and in docs/RANKING.md.
SORT_DESCRIPTIONS = {
    IdeaSort.BEST: _l("Ideas most people like, counting how many have voted: a few lucky early "
                      "votes do not beat many steady ones, and a new idea starts above the ideas "
                      "most people dislike."),
    IdeaSort.RANKED: _l("Ideas by their chance to beat a random other idea when people compare "
                        "them two at a time."),
    IdeaSort.TOP: _l("Ideas with the most up-votes minus down-votes."),
    IdeaSort.TRENDING: _l("Ideas with the most votes, comments and new posts in the last few hours."),
    IdeaSort.NEWEST: _l("The latest ideas first."),
    IdeaSort.DISCUSSED: _l("Ideas with the most comments."),
}

VOTING_MODE_LABELS = {
    VotingMode.BOTH: _l("Up/down votes and comparing pairs"),
    VotingMode.UP_DOWN: _l("Up/down votes only"),
    VotingMode.PAIRWISE: _l("Comparing pairs only"),
}

FLAG_REASON_LABELS = {
    FlagReason.OFF_TOPIC: _l("Off-topic"),
    FlagReason.ABUSIVE: _l("Abusive"),
    FlagReason.DUPLICATE: _l("Duplicate"),
    FlagReason.CONFIDENTIAL: _l("Confidential"),
    FlagReason.OTHER: _l("Other"),
}

CONTENT_STATE_LABELS = {
    ContentState.PUBLISHED: _l("Published"),
    ContentState.PENDING: _l("Waiting for approval"),
    ContentState.HIDDEN: _l("Hidden"),
}


def flag_reason_label(reason):
    return FLAG_REASON_LABELS.get(reason, getattr(reason, "value", reason))


def content_state_label(state):
    return CONTENT_STATE_LABELS.get(state, getattr(state, "value", state))
