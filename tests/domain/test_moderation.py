from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.domain import campaigns, ideas, moderation, notifications
from app.domain.errors import NotFound, PermissionDenied, ValidationError
from app.extensions import db
from app.models import AuditEntry, IdeaStatus, NotificationKind, Role
from tests import factories as f


def test_a_new_idea_starts_submitted_with_its_history(app, campaign):
    idea = f.make_idea(campaign)
    assert idea.status is IdeaStatus.SUBMITTED
    history = moderation.list_status_history(f.make_user(), idea.id)
    assert [(h.from_status, h.to_status) for h in history] == [(None, IdeaStatus.SUBMITTED)]


@pytest.mark.parametrize("status", [s for s in IdeaStatus if s is not IdeaStatus.SUBMITTED])
def test_moderators_move_ideas_to_every_status(app, campaign, moderator, status):
    idea = f.make_idea(campaign)
    moderation.change_idea_status(moderator, idea.id, status=status.value, note="Because.")
    assert idea.status is status
    history = moderation.list_status_history(f.make_user(), idea.id)
    assert history[-1].to_status is status and history[-1].note == "Because."


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.EXECUTIVE])
def test_participants_and_executives_cannot_change_status(app, campaign, role):
    idea = f.make_idea(campaign)
    with pytest.raises(PermissionDenied):
        moderation.change_idea_status(f.make_user(role=role), idea.id, status="shortlisted")
    with pytest.raises(PermissionDenied):  # not even on their own idea
        moderation.change_idea_status(idea.author, idea.id, status="shortlisted")
    assert idea.status is IdeaStatus.SUBMITTED


def test_declining_needs_a_note(app, campaign, moderator):
    idea = f.make_idea(campaign)
    with pytest.raises(ValidationError) as info:
        moderation.change_idea_status(moderator, idea.id, status="declined", note="   ")
    assert "note" in info.value.fields
    assert idea.status is IdeaStatus.SUBMITTED


@pytest.mark.parametrize("status", ["approved", "", None, 3])
def test_unknown_statuses_are_refused(app, campaign, moderator, status):
    idea = f.make_idea(campaign)
    with pytest.raises(ValidationError) as info:
        moderation.change_idea_status(moderator, idea.id, status=status)
    assert "status" in info.value.fields


def test_the_same_status_twice_is_refused(app, campaign, moderator):
    idea = f.make_idea(campaign)
    moderation.change_idea_status(moderator, idea.id, status="shortlisted")
    with pytest.raises(ValidationError):
        moderation.change_idea_status(moderator, idea.id, status="shortlisted")


def test_status_changes_go_on_after_the_campaign_closes(app, clock, campaign, moderator):
    idea = f.make_idea(campaign)
    clock.advance(timedelta(days=5))
    moderation.change_idea_status(moderator, idea.id, status="selected")
    assert idea.status is IdeaStatus.SELECTED


def test_author_and_followers_are_notified_but_not_the_moderator(app, campaign, moderator):
    idea = f.make_idea(campaign)
    follower = f.make_user()
    ideas.follow_idea(follower, idea.id)
    ideas.follow_idea(moderator, idea.id)
    moderation.change_idea_status(moderator, idea.id, status="under_review")
    for person in (idea.author, follower):
        assert [n.kind for n in notifications.list_notifications(person)] == [NotificationKind.STATUS_CHANGED]
    assert notifications.list_notifications(moderator) == []


def test_status_changes_are_streamed_and_audited(app, campaign, moderator):
    idea = f.make_idea(campaign)
    moderation.change_idea_status(moderator, idea.id, status="declined", note="Out of scope")
    entry = campaigns.list_campaign_events(f.make_user(), campaign.id, after=0).events[-1]
    assert entry["kind"] == "idea.status" and entry["payload"] == {"status": "declined", "note": "Out of scope"}
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "idea.status")).one()
    assert (audit.actor_id, audit.target_id, audit.before, audit.after, audit.reason) == (
        moderator.id, idea.id, {"status": "submitted"}, {"status": "declined"}, "Out of scope")


def test_ideas_of_private_campaigns_stay_hidden_from_outside_moderation_calls(app, admin):
    private = f.make_campaign(admin, audience=["staff"], is_private=True)
    idea = f.make_idea(private)
    with pytest.raises(NotFound):
        moderation.list_status_history(f.make_user(kind="customer"), idea.id)


# --- hiding, restoring, approving ------------------------------------------------------------

from app.domain import comments as comment_domain  # noqa: E402
from app.domain import events, flags, rules  # noqa: E402
from app.domain.errors import Conflict  # noqa: E402
from app.models import Campaign, Comment, ContentState, Flag, Idea, Notification, ParticipantKind  # noqa: E402


def public_stream(campaign):
    return events.events_after(campaign.id, 0, include_moderated=False)


def test_a_hidden_idea_vanishes_for_everyone_but_its_author_and_the_moderators(campaign, moderator):
    idea = f.make_idea(campaign, title="Leaky roadmap details", tags=["secret"])
    viewer = f.make_user()
    flags.flag_idea(viewer, idea.id, reason="confidential")
    count_before = db.session.get(type(campaign), campaign.id).idea_count
    moderation.hide_idea(moderator, idea.id, reason="Confidential numbers")

    with pytest.raises(NotFound):
        ideas.get_idea(viewer, idea.id)
    assert ideas.list_ideas(viewer, campaign.id).items == []
    assert ideas.list_ideas(viewer, campaign.id, q="roadmap").items == []
    assert ideas.popular_tags(viewer, campaign.id) == []
    assert ideas.list_ideas_by_author(viewer, idea.author_id) == []
    assert ideas.get_idea(idea.author, idea.id).content_state is ContentState.HIDDEN
    assert ideas.get_idea(moderator, idea.id).hidden_reason == "Confidential numbers"
    assert db.session.get(type(campaign), campaign.id).idea_count == count_before - 1

    note = db.session.query(Notification).filter_by(user_id=idea.author_id,
                                                   kind=NotificationKind.CONTENT_HIDDEN).one()
    assert note.note == "Confidential numbers"
    assert flags.list_flag_queue(moderator).total == 0
    entry = db.session.query(AuditEntry).filter_by(action="idea.hide").one()
    assert entry.before == {"state": "published"} and entry.after == {"state": "hidden"}


def test_hiding_withdraws_the_words_from_the_live_stream(campaign, moderator):
    idea = f.make_idea(campaign, title="Words that must go")
    comment = f.make_comment(idea, body="Words in a comment")
    moderation.hide_idea(moderator, idea.id, reason="Off topic")
    stream = public_stream(campaign)
    text = repr(stream)
    assert "Words that must go" not in text and "Words in a comment" not in text
    assert [e["kind"] for e in stream][-1] == "idea.hidden"
    assert all(set(e) == {"campaign_id", "seq", "kind"} for e in stream if e["kind"] == "skip")
    # Moderators still get the full entries.
    assert "Words that must go" in repr(events.events_after(campaign.id, 0, include_moderated=True))
    assert comment.id


def test_restoring_brings_an_idea_back_with_a_new_stream_entry(campaign, moderator):
    idea = f.make_idea(campaign, title="Back again")
    moderation.hide_idea(moderator, idea.id, reason="Checking")
    with pytest.raises(Conflict):
        moderation.hide_idea(moderator, idea.id, reason="Twice")
    moderation.restore_idea(moderator, idea.id, reason="It was fine")
    viewer = f.make_user()
    assert [i.id for i in ideas.list_ideas(viewer, campaign.id).items] == [idea.id]
    assert public_stream(campaign)[-1]["kind"] == "idea.restored"
    assert "Back again" in repr(public_stream(campaign)[-1])
    with pytest.raises(Conflict):
        moderation.restore_idea(moderator, idea.id)


def test_hiding_needs_a_reason_and_changes_nothing_without_one(campaign, moderator):
    idea = f.make_idea(campaign)
    for reason in ("", "   ", None, "x" * (moderation.REASON_MAX + 1)):
        with pytest.raises(ValidationError):
            moderation.hide_idea(moderator, idea.id, reason=reason)
    assert db.session.get(Idea, idea.id).content_state is ContentState.PUBLISHED
    assert db.session.query(AuditEntry).filter_by(action="idea.hide").count() == 0


def test_a_hidden_comment_leaves_a_marker_and_is_uncounted(campaign, moderator):
    idea = f.make_idea(campaign)
    comment = f.make_comment(idea, body="An insult")
    f.make_comment(idea, body="A fine reply", parent=comment)
    viewer = f.make_user()
    moderation.hide_comment(moderator, comment.id, reason="Insulting")
    assert db.session.get(Idea, idea.id).comment_count == 1
    threads = comment_domain.list_comments(viewer, idea.id)
    assert [c.id for c, _ in threads] == [comment.id] and len(threads[0][1]) == 1
    assert comment_domain.is_withheld(viewer, comment)
    assert not comment_domain.is_withheld(comment.author, comment)
    assert not comment_domain.is_withheld(moderator, comment)
    assert "An insult" not in repr(public_stream(campaign))
    assert public_stream(campaign)[-1]["kind"] == "comment.hidden"
    moderation.restore_comment(moderator, comment.id)
    assert db.session.get(Idea, idea.id).comment_count == 2
    assert not comment_domain.is_withheld(viewer, comment)


def test_pre_moderated_posts_wait_for_approval(app, admin, moderator):
    campaign = f.make_campaign(admin)
    rules.update_campaign_rules(moderator, campaign.id, code_of_conduct="", premoderated_kinds=["customer"],
                                ideas_per_hour=10, comments_per_minute=5, flags_per_day=20)
    customer = f.make_user(kind=ParticipantKind.CUSTOMER)
    staff = f.make_user()
    waiting = f.make_idea(campaign, customer, title="Waiting customer idea")
    published = f.make_idea(campaign, staff, title="Staff idea goes straight out")
    assert waiting.content_state is ContentState.PENDING
    assert published.content_state is ContentState.PUBLISHED
    assert [i.id for i in ideas.list_ideas(staff, campaign.id).items] == [published.id]
    with pytest.raises(NotFound):
        ideas.get_idea(staff, waiting.id)
    assert db.session.get(type(campaign), campaign.id).idea_count == 1
    assert "Waiting customer idea" not in repr(public_stream(campaign))

    comment = f.make_comment(published, customer, body="A customer's comment")
    assert comment.content_state is ContentState.PENDING
    assert db.session.get(Idea, published.id).comment_count == 0
    assert comment_domain.list_comments(staff, published.id) == []
    assert db.session.query(Notification).filter_by(user_id=staff.id).count() == 0

    moderation.approve_idea(moderator, waiting.id)
    moderation.approve_comment(moderator, comment.id)
    assert {i.id for i in ideas.list_ideas(staff, campaign.id).items} == {waiting.id, published.id}
    assert db.session.get(Idea, published.id).comment_count == 1
    assert db.session.query(Notification).filter_by(
        user_id=staff.id, kind=NotificationKind.COMMENT_ON_MY_IDEA).count() == 1
    assert db.session.query(Notification).filter_by(
        user_id=customer.id, kind=NotificationKind.CONTENT_APPROVED).count() == 2
    with pytest.raises(Conflict):
        moderation.approve_idea(moderator, waiting.id)


def test_bulk_actions_do_what_fits_and_report_the_rest(campaign, moderator):
    first, second, third = (f.make_idea(campaign) for _ in range(3))
    comment = f.make_comment(first)
    for post_key in (flags.idea_key(first.id), flags.idea_key(second.id), flags.comment_key(comment.id)):
        kind, _, raw = post_key.partition(":")
        (flags.flag_idea if kind == "idea" else flags.flag_comment)(f.make_user(), int(raw), reason="abusive")
    moderation.hide_idea(moderator, third.id, reason="Spam")
    keys = [flags.idea_key(first.id), flags.idea_key(third.id), flags.comment_key(comment.id)]
    result = moderation.moderate_in_bulk(moderator, action="hide", keys=keys, reason="Abusive")
    assert result.done == [flags.idea_key(first.id), flags.comment_key(comment.id)]
    assert result.skipped == {flags.idea_key(third.id): "unchanged"}
    dismissed = moderation.moderate_in_bulk(moderator, action="dismiss",
                                            keys=[flags.idea_key(second.id), flags.idea_key(third.id)])
    assert dismissed.done == [flags.idea_key(second.id)]
    restored = moderation.moderate_in_bulk(moderator, action="restore",
                                           keys=[flags.idea_key(first.id), flags.idea_key(third.id)])
    assert restored.done == [flags.idea_key(first.id), flags.idea_key(third.id)]


@pytest.mark.parametrize("action, keys, reason, field", [
    ("explode", ["idea:1"], "", "action"), ("hide", [], "Spam", "keys"), ("hide", ["idea:1"], "", "reason"),
    ("hide", [f"idea:{n}" for n in range(101)], "Spam", "keys"),
])
def test_bad_bulk_requests_change_nothing(campaign, moderator, action, keys, reason, field):
    idea = f.make_idea(campaign)
    with pytest.raises(ValidationError) as refused:
        moderation.moderate_in_bulk(moderator, action=action, keys=keys, reason=reason)
    assert field in refused.value.fields
    assert db.session.get(Idea, idea.id).content_state is ContentState.PUBLISHED


def test_a_bulk_request_naming_a_missing_item_changes_nothing(campaign, moderator):
    idea = f.make_idea(campaign)
    with pytest.raises(NotFound):
        moderation.moderate_in_bulk(moderator, action="hide", reason="Spam",
                                    keys=[flags.idea_key(idea.id), "idea:999999"])
    assert db.session.get(Idea, idea.id).content_state is ContentState.PUBLISHED


def test_moderator_edits_are_marked_and_kept(campaign, moderator):
    idea = f.make_idea(campaign, title="Call 555-0100 for details", body="My number is 555-0100.")
    moderation.edit_idea_as_moderator(moderator, idea.id, title="Call the team for details",
                                      body="Contact the team.", tags=[], reason="Personal number")
    assert idea.moderator_edited_at is not None and idea.version == 2
    assert ideas.list_versions(moderator, idea.id)[0].editor_id == moderator.id
    assert ideas.idea_summary(idea)["moderator_edited"] is True
    comment = f.make_comment(idea, body="Mail me at me@example.com")
    moderation.edit_comment_as_moderator(moderator, comment.id, body="(address removed)",
                                         reason="Personal address")
    assert comment.body == "(address removed)" and comment.moderator_edited_at is not None
    with pytest.raises(ValidationError):
        moderation.edit_comment_as_moderator(moderator, comment.id, body="x", reason="")
    actions = {e.action for e in db.session.query(AuditEntry)}
    assert {"idea.moderator_edit", "comment.moderator_edit"} <= actions


def test_locked_comments(campaign, moderator):
    idea = f.make_idea(campaign)
    moderation.set_comments_locked(moderator, idea.id, locked=True, reason="Heated")
    with pytest.raises(Conflict) as refused:
        f.make_comment(idea)
    assert refused.value.code == "comments_locked"
    moderation.set_comments_locked(moderator, idea.id, locked=False)
    f.make_comment(idea)


MODERATOR_ACTIONS = {
    "hide_idea": lambda actor, idea, comment: moderation.hide_idea(actor, idea.id, reason="R"),
    "restore_idea": lambda actor, idea, comment: moderation.restore_idea(actor, idea.id),
    "approve_idea": lambda actor, idea, comment: moderation.approve_idea(actor, idea.id),
    "hide_comment": lambda actor, idea, comment: moderation.hide_comment(actor, comment.id, reason="R"),
    "restore_comment": lambda actor, idea, comment: moderation.restore_comment(actor, comment.id),
    "approve_comment": lambda actor, idea, comment: moderation.approve_comment(actor, comment.id),
    "dismiss": lambda actor, idea, comment: moderation.dismiss_flags(actor, flags.idea_key(idea.id)),
    "bulk": lambda actor, idea, comment: moderation.moderate_in_bulk(
        actor, action="hide", keys=[flags.idea_key(idea.id)], reason="R"),
    "edit_idea": lambda actor, idea, comment: moderation.edit_idea_as_moderator(
        actor, idea.id, title="A new title", body="New", reason="R"),
    "edit_comment": lambda actor, idea, comment: moderation.edit_comment_as_moderator(
        actor, comment.id, body="New", reason="R"),
    "lock": lambda actor, idea, comment: moderation.set_comments_locked(actor, idea.id, locked=True),
    "status": lambda actor, idea, comment: moderation.change_idea_status(actor, idea.id, status="shortlisted"),
    "queue": lambda actor, idea, comment: flags.list_flag_queue(actor),
    "rules": lambda actor, idea, comment: rules.update_campaign_rules(
        actor, idea.campaign_id, code_of_conduct="", premoderated_kinds=[], ideas_per_hour=5,
        comments_per_minute=5, flags_per_day=5),
}


@pytest.mark.parametrize("action", sorted(MODERATOR_ACTIONS))
@pytest.mark.parametrize("who", ["participant", "executive", "author"])
def test_only_moderators_and_admins_moderate(campaign, action, who):
    idea = f.make_idea(campaign)
    comment = f.make_comment(idea)
    actor = {"participant": lambda: f.make_user(), "executive": lambda: f.make_user(role=Role.EXECUTIVE),
             "author": lambda: idea.author}[who]()
    with pytest.raises(PermissionDenied):
        MODERATOR_ACTIONS[action](actor, idea, comment)
    db.session.rollback()
    assert db.session.get(Idea, idea.id).content_state is ContentState.PUBLISHED
    assert db.session.query(AuditEntry).filter(AuditEntry.action != "campaign.create").count() == 0


def _open_flags(idea):
    return db.session.query(Flag).filter(Flag.target_key == flags.idea_key(idea.id),
                                         Flag.resolved_at.is_(None)).count()


# What each action leaves behind when a moderator or an admin takes it.
MODERATOR_OUTCOMES = {
    "hide_idea": lambda idea, comment, result: idea.content_state is ContentState.HIDDEN,
    "restore_idea": lambda idea, comment, result: idea.content_state is ContentState.PUBLISHED,
    "approve_idea": lambda idea, comment, result: idea.content_state is ContentState.PUBLISHED,
    "hide_comment": lambda idea, comment, result: comment.content_state is ContentState.HIDDEN,
    "restore_comment": lambda idea, comment, result: comment.content_state is ContentState.PUBLISHED,
    "approve_comment": lambda idea, comment, result: comment.content_state is ContentState.PUBLISHED,
    "dismiss": lambda idea, comment, result: (idea.content_state is ContentState.PUBLISHED
                                              and _open_flags(idea) == 0),
    "bulk": lambda idea, comment, result: idea.content_state is ContentState.HIDDEN,
    "edit_idea": lambda idea, comment, result: idea.title == "A new title",
    "edit_comment": lambda idea, comment, result: "New" in comment.body,
    "lock": lambda idea, comment, result: idea.comments_locked is True,
    "status": lambda idea, comment, result: idea.status is IdeaStatus.SHORTLISTED,
    "queue": lambda idea, comment, result: flags.idea_key(idea.id) in {item.key for item in result.items},
    "rules": lambda idea, comment, result: (db.session.get(Campaign, idea.campaign_id).limit_ideas_per_hour == 5),
}


def test_every_moderator_action_has_an_outcome_checked():
    assert set(MODERATOR_OUTCOMES) == set(MODERATOR_ACTIONS)


@pytest.mark.parametrize("action", sorted(MODERATOR_ACTIONS))
@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_moderators_and_admins_may(campaign, action, role):
    idea = f.make_idea(campaign)
    comment = f.make_comment(idea)
    flags.flag_idea(f.make_user(), idea.id, reason="abusive")
    actor = f.make_user(role=role)
    if action.startswith("restore"):
        (moderation.hide_idea if action == "restore_idea" else moderation.hide_comment)(
            actor, idea.id if action == "restore_idea" else comment.id, reason="First")
    if action.startswith("approve"):
        target = idea if action == "approve_idea" else comment
        target.content_state = ContentState.PENDING
        db.session.commit()
    result = MODERATOR_ACTIONS[action](actor, idea, comment)
    db.session.expire_all()
    assert MODERATOR_OUTCOMES[action](db.session.get(Idea, idea.id), db.session.get(Comment, comment.id),
                                      result)


# --- what the moderator pages list ------------------------------------------------------------

def test_list_pending_shows_what_waits_for_approval_longest_waiting_first(app, clock, admin, moderator):
    campaign, other = f.make_campaign(admin), f.make_campaign(admin)
    for jam in (campaign, other):
        rules.update_campaign_rules(moderator, jam.id, code_of_conduct="", premoderated_kinds=["customer"],
                                    ideas_per_hour=10, comments_per_minute=5, flags_per_day=20)
    customer = f.make_user(kind=ParticipantKind.CUSTOMER)
    published = f.make_idea(campaign, title="A staff idea")
    first = f.make_idea(campaign, customer, title="First waiting idea")
    clock.advance(timedelta(minutes=1))
    comment = f.make_comment(published, customer, body="A waiting comment")
    clock.advance(timedelta(minutes=1))
    elsewhere = f.make_idea(other, customer, title="Waiting elsewhere")

    page = moderation.list_pending(moderator)
    assert [item.key for item in page.items] == [
        flags.idea_key(first.id), flags.comment_key(comment.id), flags.idea_key(elsewhere.id)]
    assert page.total == 3 and page.items[1].kind == "comment" and page.items[1].idea.id == published.id
    assert [i.key for i in moderation.list_pending(moderator, campaign_id=campaign.slug).items] == [
        flags.idea_key(first.id), flags.comment_key(comment.id)]
    assert [i.key for i in moderation.list_pending(moderator, kind="comment").items] == [
        flags.comment_key(comment.id)]
    two_per_page = moderation.list_pending(moderator, per_page=2, page=2)
    assert [i.key for i in two_per_page.items] == [flags.idea_key(elsewhere.id)]
    assert two_per_page.has_prev and not two_per_page.has_next

    moderation.approve_idea(moderator, first.id)
    assert flags.idea_key(first.id) not in {i.key for i in moderation.list_pending(moderator).items}
    with pytest.raises(PermissionDenied):
        moderation.list_pending(customer)


def test_merge_targets_offer_the_other_published_unmerged_ideas(app, campaign, moderator):
    from app.domain import merges

    idea, target, merged, hidden = (f.make_idea(campaign) for _ in range(4))
    f.make_idea(f.make_campaign(), title="Another campaign's idea")
    merges.merge_idea(moderator, merged.id, into=target.id)
    moderation.hide_idea(moderator, hidden.id, reason="Spam")
    assert [i.id for i in merges.merge_targets(moderator, idea.id)] == [target.id]
    assert merges.merge_targets(f.make_user(), idea.id) == []
