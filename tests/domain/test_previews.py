"""Markdown previews: the same rendering and sanitiser as stored posts, the same limits."""
import pytest
from flask_login import AnonymousUserMixin

from app.domain import comments, ideas, previews
from app.domain.errors import AuthenticationRequired, ValidationError
from tests import factories
from tests.domain.test_text import PAYLOADS, elements_of


def test_a_preview_is_exactly_what_posting_stores(app, campaign):
    author = factories.make_user()
    text = "Make it **bold**, [linked](https://example.org) and\r\n\r\n<script>alert(1)</script>  "
    shown = previews.preview_markdown(author, kind="idea", body=text)
    idea = ideas.submit_idea(author, campaign.id, title="Previewed idea", body=text, tags=[])
    assert shown["html"] == idea.body_html
    assert shown["length"] == len(idea.body) and shown["max_length"] == ideas.BODY_MAX
    said = previews.preview_markdown(author, kind="comment", body=text)
    comment = comments.add_comment(author, idea.id, body=text)
    assert said["html"] == comment.body_html and said["max_length"] == comments.BODY_MAX


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_preview_is_sanitised(app, payload):
    html = previews.preview_markdown(factories.make_user(), kind="comment", body=payload)["html"]
    for tag, attrs in elements_of(html):
        assert tag not in {"script", "img", "iframe", "svg"}
        assert not any(name.startswith("on") for name in attrs)
        assert not attrs.get("href", "").strip().lower().startswith("javascript:")


def test_an_empty_text_previews_as_nothing(app):
    assert previews.preview_markdown(factories.make_user(), kind="idea", body="  \n ") == {
        "html": "", "length": 0, "max_length": ideas.BODY_MAX}


def test_a_text_over_the_limit_is_refused_with_the_limit(app):
    with pytest.raises(ValidationError) as refused:
        previews.preview_markdown(factories.make_user(), kind="comment", body="x" * (comments.BODY_MAX + 1))
    assert "5000" in str(refused.value.fields["body"])
    # Exactly at the limit is fine, as for posting.
    assert previews.preview_markdown(factories.make_user(), kind="comment",
                                     body="x" * comments.BODY_MAX)["length"] == comments.BODY_MAX


@pytest.mark.parametrize("kind", [None, "", "campaign", 3, ["idea"]])
def test_an_unknown_kind_is_refused(app, kind):
    with pytest.raises(ValidationError) as refused:
        previews.preview_markdown(factories.make_user(), kind=kind, body="Hello")
    assert "kind" in refused.value.fields


def test_a_body_that_is_not_text_is_refused(app):
    with pytest.raises(ValidationError) as refused:
        previews.preview_markdown(factories.make_user(), kind="idea", body=["not", "text"])
    assert "body" in refused.value.fields


def test_only_people_who_can_post_preview(app):
    with pytest.raises(AuthenticationRequired):
        previews.preview_markdown(AnonymousUserMixin(), kind="idea", body="Hello")
