from datetime import timedelta

import pytest

from app.domain import comments, ideas
from app.domain.errors import CampaignNotOpen, NotFound, PermissionDenied, ValidationError
from app.extensions import db
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
