"""All models, imported here so Alembic and the app see the whole schema."""
from app.models.activity import (SITE_SCOPE, ActivityHour, ActivityPerson, Contributor, SegmentTally,
                                 StatusTally, TagTally)
from app.models.api_token import ApiToken
from app.models.audit_entry import AuditEntry, AuditLogIsAppendOnly
from app.models.campaign import (Campaign, CampaignAudience, CampaignPremoderation, ConductAcceptance,
                                 Phase, VotingMode)
from app.models.campaign_event import CampaignEvent, EventVisibility
from app.models.comment import Comment
from app.models.comparison import Comparison, ComparisonChoice
from app.models.content_state import ContentState
from app.models.flag import Flag, FlagOutcome, FlagReason
from app.models.idea import Idea, IdeaFollow, IdeaSearchTerm, IdeaVersion, Tag, idea_tags
from app.models.idea_merge import IdeaMerge
from app.models.idea_status import IdeaStatus, IdeaStatusChange
from app.models.invite import Invite
from app.models.notification import Notification, NotificationKind
from app.models.review import Decision, Review, ReviewAssignment, ReviewCriterion, ReviewScore
from app.models.sso_identity import SsoIdentity
from app.models.theme import IdeaVector, Theme, ThemeIdea, ThemeRefresh
from app.models.user import ParticipantKind, Role, User
from app.models.vote import Vote, VoteCountsDue

__all__ = [
    "SITE_SCOPE", "ActivityHour", "ActivityPerson", "Contributor", "SegmentTally", "StatusTally", "TagTally",
    "ApiToken", "AuditEntry", "AuditLogIsAppendOnly", "Campaign", "CampaignAudience",
    "CampaignEvent", "CampaignPremoderation", "Comment", "Comparison", "ComparisonChoice",
    "ConductAcceptance", "ContentState", "Decision", "EventVisibility", "Flag", "FlagOutcome", "FlagReason",
    "IdeaMerge", "IdeaStatus", "IdeaVector", "IdeaStatusChange",
    "Idea", "IdeaFollow", "IdeaSearchTerm", "IdeaVersion", "Invite", "Notification",
    "NotificationKind", "ParticipantKind", "Phase", "Review", "ReviewAssignment", "ReviewCriterion",
    "ReviewScore", "Role", "SsoIdentity", "Tag", "Theme", "ThemeIdea", "ThemeRefresh", "User", "Vote",
    "VoteCountsDue", "VotingMode",
    "idea_tags",
]
