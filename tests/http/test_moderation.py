from app.models import IdeaStatus, Role
from tests import factories
from tests.http.conftest import text_of


def test_moderator_changes_status_and_everyone_sees_the_history(client, auth, campaign):
    idea = factories.make_idea(campaign)
    moderator = factories.make_user(role=Role.MODERATOR)
    auth.login(moderator)
    response = client.post(f"/ideas/{idea.id}/status", data={"status": "shortlisted", "note": "Promising"})
    assert response.status_code == 302
    assert idea.status is IdeaStatus.SHORTLISTED
    auth.logout()
    page = text_of(client.get(f"/ideas/{idea.id}"))
    assert "Shortlisted" in page and "Promising" in page
    assert "Change status" not in page  # the form is for moderators only


def test_declining_without_a_note_rerenders_with_the_message(client, auth, campaign):
    idea = factories.make_idea(campaign)
    auth.login(factories.make_user(role=Role.ADMIN))
    response = client.post(f"/ideas/{idea.id}/status", data={"status": "declined", "note": ""})
    assert response.status_code == 422
    assert 'id="note-error"' in text_of(response)
    assert idea.status is IdeaStatus.SUBMITTED


def test_participants_cannot_change_status(client, auth, campaign):
    idea = factories.make_idea(campaign)
    auth.login(idea.author)
    assert client.post(f"/ideas/{idea.id}/status", data={"status": "selected"}).status_code == 403
    assert idea.status is IdeaStatus.SUBMITTED


def test_status_badges_show_on_the_campaign_page(client, campaign):
    factories.make_idea(campaign, title="Badge holder")
    assert "Submitted" in text_of(client.get(f"/c/{campaign.slug}"))


# --- hiding, restoring, approving, locking, editing ----------------------------------------

import pytest  # noqa: E402

from app.domain import flags, moderation, rules  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Comment, ContentState, Idea, ParticipantKind  # noqa: E402
from tests.http.conftest import page_text  # noqa: E402


def premoderate(campaign, moderator, kinds=("customer",)):
    rules.update_campaign_rules(moderator, campaign.id, code_of_conduct="", premoderated_kinds=list(kinds),
                                ideas_per_hour=10, comments_per_minute=5, flags_per_day=20)


def test_a_hidden_comment_never_reaches_other_participants(client, campaign, member, moderator, login):
    idea = factories.make_idea(campaign)
    comment = factories.make_comment(idea, factories.make_user(display_name="Harriet Hidden"),
                                     body="Unforgivable words here")
    reply = factories.make_comment(idea, body="A kind reply stays", parent=comment)
    login(moderator)
    response = client.post(f"/comments/{comment.id}/hide", data={"reason": "Insulting a colleague"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{idea.id}#comment-{comment.id}"
    assert db.session.get(Comment, comment.id).content_state is ContentState.HIDDEN

    login(member)
    page = page_text(client.get(f"/ideas/{idea.id}"))
    assert "Unforgivable words here" not in page and "Insulting a colleague" not in page
    assert "This comment was hidden by a moderator." in page and "A kind reply stays" in page
    assert f'id="comment-{comment.id}"' in page and f"/comments/{comment.id}/edit" not in page
    assert "Harriet Hidden" not in page
    json = client.post(f"/ideas/{idea.id}/comments", data={"body": "Still here", "parent_id": reply.id},
                       headers={"Accept": "application/json"})
    assert "Unforgivable" not in json.get_data(as_text=True)

    login(comment.author)
    page = page_text(client.get(f"/ideas/{idea.id}"))
    assert "Unforgivable words here" in page and "Hidden by a moderator: Insulting a colleague" in page
    login(moderator)
    page = page_text(client.get(f"/ideas/{idea.id}"))
    assert "Unforgivable words here" in page and f'action="/comments/{comment.id}/restore"' in page


def test_a_hidden_idea_is_gone_for_others_but_not_for_its_author(client, campaign, member, moderator, login):
    idea = factories.make_idea(campaign, title="Quarterly numbers leak", body="Revenue figures galore")
    login(moderator)
    response = client.post(f"/ideas/{idea.id}/hide", data={"reason": "Confidential figures"})
    assert response.status_code == 302 and response.headers["Location"] == f"/ideas/{idea.id}"
    assert "The idea is hidden" in page_text(client.get(f"/ideas/{idea.id}"))

    login(member)
    assert client.get(f"/ideas/{idea.id}").status_code == 404
    assert "Quarterly numbers leak" not in text_of(client.get(f"/c/{campaign.slug}"))
    assert "Quarterly numbers leak" not in text_of(client.get(f"/c/{campaign.slug}?q=revenue"))
    client.post("/logout")
    signed_out = client.get(f"/ideas/{idea.id}")  # the login page first, as for any unknown id
    assert signed_out.status_code == 302 and signed_out.headers["Location"].startswith("/login?next=")

    login(idea.author)
    page = page_text(client.get(f"/ideas/{idea.id}"))
    assert "Hidden by a moderator: Confidential figures" in page
    assert "Comments open once the idea is published." in page

    login(moderator)
    client.post(f"/ideas/{idea.id}/restore", data={"reason": "Figures were public"})
    assert db.session.get(Idea, idea.id).content_state is ContentState.PUBLISHED
    login(member)
    assert "Quarterly numbers leak" in text_of(client.get(f"/c/{campaign.slug}"))


def test_hiding_without_a_reason_is_explained_and_changes_nothing(client, campaign, moderator, login):
    idea = factories.make_idea(campaign)
    comment = factories.make_comment(idea)
    login(moderator)
    assert client.post(f"/ideas/{idea.id}/hide", data={"reason": "  "}).status_code == 302
    assert "This field is required." in page_text(client.get(f"/ideas/{idea.id}"))
    client.post(f"/comments/{comment.id}/hide", data={})
    assert "This field is required." in page_text(client.get(f"/ideas/{idea.id}"))
    client.post(f"/ideas/{idea.id}/restore", data={})  # not hidden: nothing to restore
    assert "Only a hidden post can be restored." in page_text(client.get(f"/ideas/{idea.id}"))
    assert db.session.get(Idea, idea.id).content_state is ContentState.PUBLISHED
    assert db.session.get(Comment, comment.id).content_state is ContentState.PUBLISHED


def test_pending_posts_wait_with_a_banner_until_approved(client, admin, moderator, login):
    campaign = factories.make_campaign(admin)
    premoderate(campaign, moderator)
    customer = factories.make_user(kind=ParticipantKind.CUSTOMER)
    staff_idea = factories.make_idea(campaign)
    login(customer)
    response = client.post(f"/c/{campaign.slug}/ideas",
                           data={"title": "Customer portal idea", "body": "Self-service"})
    idea = db.session.query(Idea).filter_by(title="Customer portal idea").one()
    assert response.headers["Location"] == f"/ideas/{idea.id}"
    page = page_text(client.get(f"/ideas/{idea.id}"))
    assert "Your idea is waiting for a moderator's approval." in page
    assert "Waiting for a moderator's approval" in page
    client.post(f"/ideas/{staff_idea.id}/comments", data={"body": "Waiting comment"})
    comment = db.session.query(Comment).filter_by(body="Waiting comment").one()
    assert comment.content_state is ContentState.PENDING

    login(factories.make_user())
    assert client.get(f"/ideas/{idea.id}").status_code == 404
    assert "Waiting comment" not in text_of(client.get(f"/ideas/{staff_idea.id}"))

    login(moderator)
    page = text_of(client.get(f"/ideas/{idea.id}"))
    assert f'action="/ideas/{idea.id}/approve"' in page
    assert client.post(f"/ideas/{idea.id}/approve").status_code == 302
    assert client.post(f"/comments/{comment.id}/approve").status_code == 302
    assert db.session.get(Idea, idea.id).content_state is ContentState.PUBLISHED
    assert db.session.get(Comment, comment.id).content_state is ContentState.PUBLISHED
    client.post(f"/ideas/{idea.id}/approve")
    assert "Only a post waiting for approval can be approved." in page_text(client.get(f"/ideas/{idea.id}"))


def test_locked_comments_show_a_notice_and_take_no_comment(client, campaign, member, moderator, login):
    idea = factories.make_idea(campaign)
    comment = factories.make_comment(idea)
    login(moderator)
    assert client.post(f"/ideas/{idea.id}/lock-comments").status_code == 302
    assert db.session.get(Idea, idea.id).comments_locked
    login(member)
    page = page_text(client.get(f"/ideas/{idea.id}"))
    assert "A moderator has locked the comments on this idea." in page
    assert "Post comment" not in page and f'id="reply-{comment.id}"' not in page
    response = client.post(f"/ideas/{idea.id}/comments", data={"body": "Let me in"})
    assert response.status_code == 302
    assert "A moderator has locked the comments" in page_text(client.get(f"/ideas/{idea.id}"))
    assert db.session.query(Comment).count() == 1
    login(moderator)
    client.post(f"/ideas/{idea.id}/unlock-comments")
    login(member)
    assert "Post comment" in text_of(client.get(f"/ideas/{idea.id}"))


def test_moderators_edit_an_idea_and_it_says_so(client, campaign, member, moderator, login):
    idea = factories.make_idea(campaign, title="Call me on 0912 345 678", body="My mobile is 0912 345 678")
    login(moderator)
    page = text_of(client.get(f"/ideas/{idea.id}/moderate/edit"))
    assert "0912 345 678" in page and 'name="reason"' in page
    refused = client.post(f"/ideas/{idea.id}/moderate/edit",
                          data={"title": "Call the team", "body": "Ask the team", "tags": "", "reason": ""})
    assert refused.status_code == 422 and 'id="reason-error"' in text_of(refused)
    assert db.session.get(Idea, idea.id).title == "Call me on 0912 345 678"
    bad_title = client.post(f"/ideas/{idea.id}/moderate/edit",
                            data={"title": "x", "body": "Ask the team", "tags": "", "reason": "Phone"})
    assert bad_title.status_code == 422 and 'id="title-error"' in text_of(bad_title)
    response = client.post(f"/ideas/{idea.id}/moderate/edit", data={
        "title": "Call the team", "body": "Ask the team", "tags": "", "reason": "Phone"})
    assert response.status_code == 302 and response.headers["Location"] == f"/ideas/{idea.id}"
    login(member)
    page = text_of(client.get(f"/ideas/{idea.id}"))
    assert "Call the team" in page and "edited by a moderator" in page and "0912" not in page


def test_moderators_edit_a_comment_and_it_says_so(client, campaign, member, moderator, login):
    idea = factories.make_idea(campaign)
    comment = factories.make_comment(idea, body="Mail me at me@example.com")
    login(moderator)
    assert "me@example.com" in text_of(client.get(f"/comments/{comment.id}/moderate/edit"))
    refused = client.post(f"/comments/{comment.id}/moderate/edit", data={"body": "(address removed)"})
    assert refused.status_code == 422 and 'id="reason-error"' in text_of(refused)
    response = client.post(f"/comments/{comment.id}/moderate/edit",
                           data={"body": "(address removed)", "reason": "Personal address"})
    assert response.headers["Location"] == f"/ideas/{idea.id}#comment-{comment.id}"
    login(member)
    page = text_of(client.get(f"/ideas/{idea.id}"))
    assert "(address removed)" in page and "edited by a moderator" in page and "me@example.com" not in page


@pytest.mark.parametrize("method, path", [
    ("post", "/ideas/{idea}/hide"), ("post", "/ideas/{idea}/restore"), ("post", "/ideas/{idea}/approve"),
    ("post", "/ideas/{idea}/lock-comments"), ("post", "/ideas/{idea}/unlock-comments"),
    ("get", "/ideas/{idea}/moderate/edit"), ("post", "/ideas/{idea}/moderate/edit"),
    ("post", "/comments/{comment}/hide"), ("post", "/comments/{comment}/restore"),
    ("post", "/comments/{comment}/approve"), ("get", "/comments/{comment}/moderate/edit"),
    ("post", "/comments/{comment}/moderate/edit"), ("get", "/moderation/queue"), ("post", "/moderation/bulk"),
])
def test_participants_get_403_on_moderator_routes(client, campaign, member, login, method, path):
    idea = factories.make_idea(campaign, title="Stays as it is")
    comment = factories.make_comment(idea, body="Stays too")
    login(idea.author)
    data = {"reason": "Because", "title": "Changed title", "body": "Changed", "tags": "",
            "action": "hide", "keys": [f"idea:{idea.id}"]}
    url = path.format(idea=idea.id, comment=comment.id)
    response = client.get(url) if method == "get" else client.post(url, data=data)
    assert response.status_code == 403
    assert db.session.get(Idea, idea.id).title == "Stays as it is" and not idea.comments_locked
    assert idea.content_state is ContentState.PUBLISHED and comment.content_state is ContentState.PUBLISHED
    assert comment.body == "Stays too"


def test_moderator_tools_show_only_to_moderators(client, campaign, member, moderator, login):
    idea = factories.make_idea(campaign)
    comment = factories.make_comment(idea)
    login(member)
    page = text_of(client.get(f"/ideas/{idea.id}"))
    assert "Moderator tools" not in page and "/moderate/edit" not in page and "/moderation/queue" not in page
    assert f"/comments/{comment.id}/hide" not in page
    login(moderator)
    page = text_of(client.get(f"/ideas/{idea.id}"))
    assert "Moderator tools" in page and f'href="/ideas/{idea.id}/moderate/edit"' in page
    assert f'action="/comments/{comment.id}/hide"' in page and 'href="/moderation/queue"' in page


# --- the queue -------------------------------------------------------------------------------

def test_the_queue_lists_flagged_items_with_their_reasons(client, campaign, moderator, login):
    idea = factories.make_idea(campaign, title="Buy cheap watches now")
    comment = factories.make_comment(factories.make_idea(campaign), body="You are all clowns")
    for reason, note in (("off_topic", "Spam"), ("abusive", ""), ("off_topic", "Advert")):
        flags.flag_idea(factories.make_user(), idea.id, reason=reason, note=note)
    flags.flag_comment(factories.make_user(), comment.id, reason="abusive")
    login(moderator)
    page = page_text(client.get("/moderation/queue"))
    assert page.index("Buy cheap watches now") < page.index("You are all clowns")  # most flagged first
    assert "3 flags" in page and "Off-topic × 2" in page and "Abusive × 1" in page
    assert "Spam" in page and "Advert" in page and campaign.title in page and "Published" in page
    assert f'value="idea:{idea.id}"' in page and f'value="comment:{comment.id}"' in page
    only_comments = text_of(client.get("/moderation/queue?kind=comment"))
    assert "Buy cheap watches now" not in only_comments and "You are all clowns" in only_comments
    by_words = text_of(client.get("/moderation/queue?q=watches"))
    assert "Buy cheap watches now" in by_words and "You are all clowns" not in by_words
    by_reason = text_of(client.get("/moderation/queue?reason=off_topic"))
    assert "Buy cheap watches now" in by_reason and "You are all clowns" not in by_reason
    other = factories.make_campaign(title="Another jam")
    assert "Nothing is flagged right now." in text_of(client.get(f"/moderation/queue?campaign={other.slug}"))
    assert "Buy cheap watches now" in text_of(client.get(f"/moderation/queue?campaign={campaign.slug}"))


def test_the_queue_pages_keep_the_filters(client, campaign, moderator, login):
    for n in range(flags.PER_PAGE + 1):
        idea = factories.make_idea(campaign, title=f"Flagged idea {n:02d}")
        flags.flag_idea(factories.make_user(), idea.id, reason="duplicate")
    login(moderator)
    page = text_of(client.get("/moderation/queue?kind=idea&reason=duplicate"))
    assert page.count('name="keys"') == flags.PER_PAGE
    assert 'rel="next" href="/moderation/queue?kind=idea&amp;reason=duplicate&amp;page=2"' in page
    second = text_of(client.get("/moderation/queue?kind=idea&reason=duplicate&page=2"))
    assert second.count('name="keys"') == 1


def test_the_queue_lists_what_waits_for_approval(client, admin, moderator, login):
    campaign = factories.make_campaign(admin)
    premoderate(campaign, moderator)
    customer = factories.make_user(kind=ParticipantKind.CUSTOMER)
    idea = factories.make_idea(campaign, customer, title="A customer's waiting idea")
    login(moderator)
    page = page_text(client.get("/moderation/queue"))
    assert "Waiting for a moderator's approval" in page and "A customer's waiting idea" in page
    assert f'value="idea:{idea.id}"' in page and "Nothing is flagged right now." in page


def test_bulk_actions_report_what_was_done_and_skipped(client, campaign, member, moderator, login):
    first, second = factories.make_idea(campaign), factories.make_idea(campaign)
    for idea in (first, second):
        flags.flag_idea(member, idea.id, reason="abusive")
    moderation.hide_idea(moderator, second.id, reason="Already handled")
    login(moderator)
    response = client.post("/moderation/bulk", data={
        "action": "hide", "keys": [f"idea:{first.id}", f"idea:{second.id}"], "reason": "Abusive",
        "next": "/moderation/queue?kind=idea"})
    assert response.status_code == 302 and response.headers["Location"] == "/moderation/queue?kind=idea"
    assert "1 done, 1 skipped." in page_text(client.get("/moderation/queue?kind=idea"))
    assert db.session.get(Idea, first.id).content_state is ContentState.HIDDEN
    client.post("/moderation/bulk",
                data={"action": "restore", "keys": [f"idea:{first.id}", f"idea:{second.id}"]})
    assert "2 done, 0 skipped." in page_text(client.get("/moderation/queue"))
    assert db.session.get(Idea, second.id).content_state is ContentState.PUBLISHED


@pytest.mark.parametrize("data, message", [
    ({"action": "hide", "reason": "Spam"}, "Select at least one item."),
    ({"action": "hide", "keys": ["idea:{idea}"], "reason": ""}, "This field is required."),
    ({"action": "explode", "keys": ["idea:{idea}"]}, "Choose hide, restore, approve or dismiss."),
    ({"action": "hide", "keys": ["idea:{idea}", "idea:999999"], "reason": "Spam"}, "We could not find that idea."),
])
def test_bad_bulk_requests_are_explained_and_change_nothing(client, campaign, member, moderator, login,
                                                            data, message):
    idea = factories.make_idea(campaign)
    flags.flag_idea(member, idea.id, reason="abusive")
    data = {k: [key.format(idea=idea.id) for key in v] if k == "keys" else v for k, v in data.items()}
    login(moderator)
    response = client.post("/moderation/bulk", data=data)
    assert response.status_code == 302 and response.headers["Location"] == "/moderation/queue"
    assert message in page_text(client.get("/moderation/queue"))
    assert db.session.get(Idea, idea.id).content_state is ContentState.PUBLISHED
    assert flags.list_flag_queue(moderator).total == 1


def test_moderators_find_the_queue_in_the_header(client, member, moderator, login):
    login(member)
    assert 'href="/moderation/queue"' not in text_of(client.get("/"))
    login(moderator)
    assert 'href="/moderation/queue"' in text_of(client.get("/"))
