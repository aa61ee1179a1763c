"""Flags: reporting posts, and the queue moderators work through."""
from datetime import timedelta

import pytest

from app.domain import flags, moderation
from app.domain.errors import (AuthenticationRequired, Conflict, NotFound, PermissionDenied,
                               RateLimited, ValidationError)
from app.extensions import db
from app.models import Flag, FlagOutcome, FlagReason, Role
from tests import factories as f


def flags_on(key):
    return db.session.query(Flag).filter_by(target_key=key).all()


@pytest.mark.parametrize("reason", ["off_topic", "abusive", "duplicate", "confidential"])
def test_anyone_may_flag_an_idea_or_a_comment_with_a_reason(campaign, reason):
    idea = f.make_idea(campaign)
    comment = f.make_comment(idea)
    reporter = f.make_user()
    flags.flag_idea(reporter, idea.id, reason=reason)
    flags.flag_comment(reporter, comment.id, reason=reason, note="  see line 2  ")
    (on_idea,), (on_comment,) = flags_on(flags.idea_key(idea.id)), flags_on(flags.comment_key(comment.id))
    assert on_idea.reason is FlagReason(reason) and on_idea.comment_id is None
    assert on_comment.idea_id == idea.id and on_comment.note == "see line 2"


def test_other_needs_a_note_and_bad_reasons_are_refused(campaign):
    idea = f.make_idea(campaign)
    reporter = f.make_user()
    for reason, note, field in (("other", "", "note"), ("spam", "", "reason"), (None, "", "reason"),
                                ("abusive", "x" * (flags.NOTE_MAX + 1), "note")):
        with pytest.raises(ValidationError) as refused:
            flags.flag_idea(reporter, idea.id, reason=reason, note=note)
        assert field in refused.value.fields
    assert flags_on(flags.idea_key(idea.id)) == []
    flags.flag_idea(reporter, idea.id, reason="other", note="Posted twice by mistake")


def test_one_flag_per_person_per_post_and_never_ones_own(campaign):
    idea = f.make_idea(campaign)
    reporter = f.make_user()
    flags.flag_idea(reporter, idea.id, reason="abusive")
    with pytest.raises(Conflict) as again:
        flags.flag_idea(reporter, idea.id, reason="off_topic")
    assert again.value.code == "already_flagged"
    with pytest.raises(PermissionDenied):
        flags.flag_idea(idea.author, idea.id, reason="abusive")
    with pytest.raises(AuthenticationRequired):
        from flask_login import AnonymousUserMixin
        flags.flag_idea(AnonymousUserMixin(), idea.id, reason="abusive")
    assert len(flags_on(flags.idea_key(idea.id))) == 1


def test_flags_per_day_are_limited_and_stricter_for_new_accounts(campaign, clock):
    campaign.limit_flags_per_day = 4
    db.session.commit()
    posts = [f.make_idea(campaign) for _ in range(5)]
    newcomer = f.make_user()
    for idea in posts[:2]:
        flags.flag_idea(newcomer, idea.id, reason="off_topic")
    with pytest.raises(RateLimited):  # half the allowance during the first week
        flags.flag_idea(newcomer, posts[2].id, reason="off_topic")
    veteran = f.make_user(created_at=clock() - timedelta(days=30))
    for idea in posts[:4]:
        flags.flag_idea(veteran, idea.id, reason="off_topic")
    with pytest.raises(RateLimited):
        flags.flag_idea(veteran, posts[4].id, reason="off_topic")
    clock.advance(timedelta(days=1, seconds=1))
    flags.flag_idea(veteran, posts[4].id, reason="off_topic")


def test_the_queue_puts_the_most_flagged_and_oldest_first(campaign, moderator, clock):
    quiet, loud, older = (f.make_idea(campaign, title=t) for t in ("Quiet idea", "Loud idea", "Older idea"))
    comment = f.make_comment(quiet, body="A rude remark")
    flags.flag_idea(f.make_user(), older.id, reason="duplicate")
    clock.advance(timedelta(minutes=5))
    for _ in range(3):
        flags.flag_idea(f.make_user(), loud.id, reason="abusive")
    flags.flag_idea(f.make_user(), quiet.id, reason="off_topic")
    flags.flag_comment(f.make_user(), comment.id, reason="abusive", note="Insults a colleague")
    queue = flags.list_flag_queue(moderator)
    assert [item.key for item in queue.items][:2] == [flags.idea_key(loud.id), flags.idea_key(older.id)]
    assert queue.total == 4
    loud_item = queue.items[0]
    assert loud_item.flag_count == 3 and loud_item.reasons[FlagReason.ABUSIVE] == 3
    comment_item = next(item for item in queue.items if item.kind == "comment")
    assert comment_item.comment.id == comment.id and comment_item.notes == ["Insults a colleague"]


def test_the_queue_filters_searches_and_pages(app, admin, campaign, moderator):
    other = f.make_campaign(admin, title="Other campaign")
    greener = f.make_idea(campaign, title="Greener data centres")
    elsewhere = f.make_idea(other, title="Greener offices")
    comment = f.make_comment(greener, body="Completely off topic rant")
    flags.flag_idea(f.make_user(), greener.id, reason="duplicate")
    flags.flag_idea(f.make_user(), elsewhere.id, reason="abusive")
    flags.flag_comment(f.make_user(), comment.id, reason="off_topic")

    def keys(**filters):
        return [item.key for item in flags.list_flag_queue(moderator, **filters).items]

    assert set(keys(campaign_id=campaign.id)) == {flags.idea_key(greener.id), flags.comment_key(comment.id)}
    assert keys(kind="comment") == [flags.comment_key(comment.id)]
    assert keys(reason="abusive") == [flags.idea_key(elsewhere.id)]
    assert set(keys(q="greener")) == {flags.idea_key(greener.id), flags.idea_key(elsewhere.id)}
    assert keys(q="rant") == [flags.comment_key(comment.id)]
    first, second = (flags.list_flag_queue(moderator, per_page=2, page=n) for n in (1, 2))
    assert first.total == 3 and first.pages == 2 and len(second.items) == 1
    with pytest.raises(ValidationError) as refused:
        flags.list_flag_queue(moderator, kind="votes", reason="spam", page=0, strict=True)
    assert set(refused.value.fields) == {"kind", "reason", "page"}


def test_only_moderators_see_the_queue(campaign):
    for role in (Role.PARTICIPANT, Role.EXECUTIVE):
        with pytest.raises(PermissionDenied):
            flags.list_flag_queue(f.make_user(role=role))


def test_settled_flags_leave_the_queue(campaign, moderator):
    idea, other = f.make_idea(campaign), f.make_idea(campaign)
    flags.flag_idea(f.make_user(), idea.id, reason="abusive")
    flags.flag_idea(f.make_user(), other.id, reason="off_topic")
    moderation.hide_idea(moderator, idea.id, reason="Insulting")
    moderation.dismiss_flags(moderator, flags.idea_key(other.id), reason="It is on topic")
    assert flags.list_flag_queue(moderator).total == 0
    assert [fl.outcome for fl in flags_on(flags.idea_key(idea.id))] == [FlagOutcome.HIDDEN]
    assert [fl.outcome for fl in flags_on(flags.idea_key(other.id))] == [FlagOutcome.DISMISSED]
    with pytest.raises(Conflict):
        moderation.dismiss_flags(moderator, flags.idea_key(other.id))


def test_flagging_a_post_one_cannot_see_is_not_found(campaign, moderator):
    idea = f.make_idea(campaign)
    moderation.hide_idea(moderator, idea.id, reason="Spam")
    with pytest.raises(NotFound):
        flags.flag_idea(f.make_user(), idea.id, reason="abusive")
