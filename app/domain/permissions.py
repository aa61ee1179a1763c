"""Named permission predicates: the only place that decides who may do what.

Each takes the acting user (an anonymous user when nobody is logged in) and the object,
and answers True or False. Phase rules (is the campaign open?) live in campaigns.py;
the ``ensure_*`` functions elsewhere combine both and raise the matching error.
"""
from app.domain.clock import utcnow
from app.models import ContentState, Role


def is_authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_admin(user) -> bool:
    return is_authenticated(user) and user.role == Role.ADMIN


def is_moderator(user) -> bool:
    """Moderators and admins keep jams running."""
    return is_authenticated(user) and user.role in (Role.MODERATOR, Role.ADMIN)


def sees_everything(user) -> bool:
    """Executives, moderators and admins see every campaign, private ones included."""
    return is_authenticated(user) and user.role in (Role.EXECUTIVE, Role.MODERATOR, Role.ADMIN)


def is_in_audience(user, campaign) -> bool:
    return is_authenticated(user) and user.kind in campaign.audience_kinds


def can_view_campaign(user, campaign) -> bool:
    """Public campaigns are visible to all; private ones only to their audience and staff roles."""
    return not campaign.is_private or sees_everything(user) or is_in_audience(user, campaign)


def is_suspended(user) -> bool:
    """A moderator suspended the person until a time still to come."""
    until = getattr(user, "suspended_until", None)
    return until is not None and until > utcnow()


def can_take_part(user, campaign) -> bool:
    """Post, comment and vote: audience members, never read-only executives, not while suspended."""
    return (
        is_authenticated(user)
        and user.role != Role.EXECUTIVE
        and is_in_audience(user, campaign)
        and not is_suspended(user)
    )


def can_create_campaign(user) -> bool:
    return is_admin(user)


def can_edit_campaign(user, campaign) -> bool:
    return is_admin(user)


def can_change_campaign_phase(user, campaign) -> bool:
    """Open early, extend or close."""
    return is_moderator(user)


def can_edit_idea(user, idea) -> bool:
    return is_authenticated(user) and idea.author_id == user.id


def can_vote_on_idea(user, idea) -> bool:
    return can_take_part(user, idea.campaign) and idea.author_id != user.id


def can_edit_comment(user, comment) -> bool:
    return is_authenticated(user) and comment.author_id == user.id and not comment.is_deleted


def can_delete_comment(user, comment) -> bool:
    return can_edit_comment(user, comment)


def can_manage_people(user) -> bool:
    return is_admin(user)


def can_manage_invites(user) -> bool:
    return is_admin(user)


def can_change_idea_status(user, idea) -> bool:
    return is_moderator(user)


def can_view_audit_log(user) -> bool:
    return is_admin(user)


def can_moderate(user) -> bool:
    """Work the flag queue: hide, restore, approve, edit, lock, merge, warn, suspend."""
    return is_moderator(user)


def can_see_unpublished(user, post) -> bool:
    """A pending or hidden idea or comment: its author (who is told why) and the moderators."""
    return is_moderator(user) or (is_authenticated(user) and post.author_id == user.id)


def can_see_post(user, post) -> bool:
    return post.content_state is ContentState.PUBLISHED or can_see_unpublished(user, post)


def can_view_idea(user, idea) -> bool:
    """An idea's page, and every word of it shown elsewhere (notifications, live messages): its
    campaign visible to the person now, and the idea published or theirs to see. Asked when
    something is shown or sent, never remembered from when it was subscribed."""
    return can_view_campaign(user, idea.campaign) and can_see_post(user, idea)


def can_flag(user, post) -> bool:
    """Anyone signed in may flag what they can see, except their own posts."""
    return is_authenticated(user) and post.author_id != user.id


def can_set_campaign_rules(user, campaign) -> bool:
    """Code of conduct, pre-moderation and pace limits."""
    return is_moderator(user)


def can_sanction(user, person) -> bool:
    """Warn or suspend: moderators, never themselves and never a moderator or admin."""
    return (is_moderator(user) and person.id != user.id
            and person.role not in (Role.MODERATOR, Role.ADMIN))


def can_view_reviews(user, *, assigned) -> bool:
    """An idea's review page: the organisers who see the board, and its assigned reviewers."""
    return can_view_board(user) or (is_authenticated(user) and assigned)


def can_view_board(user) -> bool:
    """The shortlisting board: moderators move the cards, executives follow them."""
    return is_authenticated(user) and user.role in (Role.MODERATOR, Role.ADMIN, Role.EXECUTIVE)


def can_view_dashboard(user, campaign) -> bool:
    """A campaign's dashboard of ideas (leaderboard, rising ideas, totals): whoever may see the
    campaign, unless it keeps its leaderboard to the organisers."""
    return can_view_campaign(user, campaign) and (campaign.public_leaderboard or sees_everything(user))


def can_view_people_breakdowns(user) -> bool:
    """Who took part, by name, kind, department and country: organisers only."""
    return sees_everything(user)


def can_view_site_dashboard(user) -> bool:
    return sees_everything(user)


def can_export_ideas(user) -> bool:
    return sees_everything(user)


def can_view_themes(user, campaign) -> bool:
    """A campaign's themes and similar ideas: whoever may see the campaign."""
    return can_view_campaign(user, campaign)


def can_edit_themes(user, campaign) -> bool:
    """Rename and merge themes: moderators and admins."""
    return is_moderator(user) and can_view_campaign(user, campaign)


def can_see_duplicates(user) -> bool:
    """The likely duplicate pairs of the moderation queue."""
    return can_moderate(user)
