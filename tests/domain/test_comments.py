from datetime import timedelta

import pytest

from flask_login import AnonymousUserMixin

from app.domain import comments, ideas, limits, rules
from app.domain.errors import CampaignNotOpen, NotFound, PermissionDenied, ValidationError
from app.extensions import db
from app.models import ContentState, ParticipantKind, Role
from tests import factories as f


def test_threads_stay_one_level_deep(app, campaign):
    idea = f.make_idea(campaign)
    top = f.make_comment(idea, body="Top")
    reply = f.make_comment(idea, body="Reply", parent=top)
    f.make_comment(idea, body="Reply to reply", parent=reply)
    threads = comments.list_comments(f.make_user(), idea.id)
    assert len(threads) == 1
    assert [r.body for r in threads[0][1]] == ["Reply", "Reply to reply"]
    db.session.refresh(idea)
    assert idea.comment_count == 3


def test_commenter_follows_the_idea(app, campaign):
    idea = f.make_idea(campaign)
    commenter = f.make_user()
    f.make_comment(idea, commenter)
    assert ideas.is_following(commenter, idea.id)


def test_empty_or_long_comment_is_refused(app, campaign):
    idea = f.make_idea(campaign)
    for body in ("   ", "x" * 5001):
        with pytest.raises(ValidationError) as info:
            comments.add_comment(f.make_user(), idea.id, body=body)
        assert "body" in info.value.fields
    db.session.refresh(idea)
    assert idea.comment_count == 0


def test_reply_to_a_comment_of_another_idea_is_refused(app, campaign):
    first, second = f.make_idea(campaign), f.make_idea(campaign)
    elsewhere = f.make_comment(first)
    with pytest.raises(NotFound):
        comments.add_comment(f.make_user(), second.id, body="Hi", parent_id=elsewhere.id)


def test_edit_and_delete_own_comment_only(app, campaign):
    idea = f.make_idea(campaign)
    comment = f.make_comment(idea, body="Original")
    with pytest.raises(PermissionDenied):
        comments.edit_comment(f.make_user(), comment.id, body="Not mine")
    comments.edit_comment(comment.author, comment.id, body="Changed *text*")
    assert "<em>text</em>" in comment.body_html and comment.edited_at
    with pytest.raises(PermissionDenied):
        comments.delete_comment(f.make_user(), comment.id)
    comments.delete_comment(comment.author, comment.id)
    assert comment.is_deleted and comment.body == ""
    db.session.refresh(idea)
    assert idea.comment_count == 0
    with pytest.raises(PermissionDenied):  # a deleted comment cannot be deleted twice
        comments.delete_comment(comment.author, comment.id)


def test_deleted_comment_keeps_its_replies_readable(app, campaign):
    idea = f.make_idea(campaign)
    top = f.make_comment(idea)
    f.make_comment(idea, body="Still here", parent=top)
    comments.delete_comment(top.author, top.id)
    (deleted, replies), = comments.list_comments(f.make_user(), idea.id)
    assert deleted.is_deleted and replies[0].body == "Still here"


def test_no_comments_after_close(app, clock, campaign):
    idea = f.make_idea(campaign)
    clock.advance(timedelta(days=3))
    with pytest.raises(CampaignNotOpen):
        comments.add_comment(f.make_user(), idea.id, body="Late")


def _all_pages(viewer, idea_id, per_page):
    first = comments.list_comment_threads(viewer, idea_id, per_page=per_page)
    pages = [first] + [comments.list_comment_threads(viewer, idea_id, page=n, per_page=per_page)
                       for n in range(2, first.pages + 1)]
    return first, [(top.id, [r.id for r in replies]) for page in pages for top, replies in page.items]


def test_pages_of_threads_hold_every_thread_once_with_its_replies(app, admin):
    moderator = f.make_user(role=Role.MODERATOR)
    campaign = f.make_campaign(admin)
    rules.update_campaign_rules(moderator, campaign.id, code_of_conduct="", premoderated_kinds=["customer"],
                                ideas_per_hour=limits.LIMIT_MAX, comments_per_minute=limits.LIMIT_MAX,
                                flags_per_day=20)
    idea = f.make_idea(campaign)
    customer = f.make_user(kind=ParticipantKind.CUSTOMER)
    tops = [f.make_comment(idea, body=f"Thread {n}") for n in range(7)]
    f.make_comment(idea, body="Reply to the first", parent=tops[0])
    f.make_comment(idea, body="Reply to the last", parent=tops[-1])
    pending = f.make_comment(idea, customer, body="Waiting for approval")
    f.make_comment(idea, customer, body="A waiting reply", parent=tops[3])
    assert pending.content_state is ContentState.PENDING
    for viewer in (f.make_user(), customer, moderator, AnonymousUserMixin()):
        whole = [(top.id, [r.id for r in replies]) for top, replies in comments.list_comments(viewer, idea.id)]
        first, paged = _all_pages(viewer, idea.id, per_page=3)
        assert paged == whole
        assert first.total == len(whole) and first.pages == -(-len(whole) // 3)
        assert len(first.items) == 3


def test_a_page_past_the_end_shows_the_last_and_strict_callers_get_an_error(app, campaign):
    idea = f.make_idea(campaign)
    for n in range(5):
        f.make_comment(idea, body=f"Thread {n}")
    viewer = f.make_user()
    last = comments.list_comment_threads(viewer, idea.id, page=99, per_page=2)
    assert (last.page, [c.body for c, _r in last.items]) == (3, ["Thread 4"])
    with pytest.raises(ValidationError) as info:
        comments.list_comment_threads(viewer, idea.id, page=0, per_page=comments.THREADS_PER_PAGE_MAX + 1,
                                      strict=True)
    assert set(info.value.fields) == {"page", "per_page"}


def test_a_comment_thread_as_a_reader_sees_it(app, campaign):
    from app.domain import moderation

    moderator = f.make_user(role=Role.MODERATOR)
    idea = f.make_idea(campaign)
    top = f.make_comment(idea, body="Top")
    shown = f.make_comment(idea, body="Shown", parent=top)
    hidden = f.make_comment(idea, body="Hidden", parent=top)
    moderation.hide_comment(moderator, hidden.id, reason="Rude")
    found_idea, comment, replies = comments.get_comment_thread(AnonymousUserMixin(), top.id)
    assert (found_idea.id, comment.id, [r.id for r in replies]) == (idea.id, top.id, [shown.id, hidden.id])
    assert comments.is_withheld(AnonymousUserMixin(), replies[1])  # a marker, not its words
    assert comments.get_comment_thread(AnonymousUserMixin(), shown.id)[2] == []  # a reply has none
    with pytest.raises(NotFound):
        comments.get_comment_thread(AnonymousUserMixin(), 10**6)
