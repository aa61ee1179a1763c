import enum


class ContentState(enum.Enum):
    """Whether an idea or a comment is seen: published, waiting for a moderator's approval
    (pre-moderated campaigns), or hidden by a moderator. Only published content reaches
    anyone but its author and the moderators."""

    PUBLISHED = "published"
    PENDING = "pending"
    HIDDEN = "hidden"
