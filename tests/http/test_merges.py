import re

from app.domain import merges, moderation
from app.extensions import db
from app.models import Idea, IdeaMerge, IdeaStatus, Role
from tests import factories
from tests.http.conftest import page_text, text_of


def test_a_merged_idea_redirects_to_the_idea_it_was_merged_into(client, campaign, moderator):
    source, target = factories.make_idea(campaign), factories.make_idea(campaign)
    merges.merge_idea(moderator, source.id, into=target.id)
    response = client.get(f"/ideas/{source.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{target.id}#merged-{source.id}"


def test_the_target_shows_each_merged_idea_with_its_threads_read_only(client, campaign, member, moderator,
                                                                     login):
    author = factories.make_user(display_name="Dora Duplicate")
    source = factories.make_idea(campaign, author, title="Faster onboarding, again", body="Same as the other")
    comment = factories.make_comment(source, body="Comment that came along")
    target = factories.make_idea(campaign, title="Faster onboarding")
    merges.merge_idea(moderator, source.id, into=target.id, note="Same idea")
    login(member)
    page = page_text(client.get(f"/ideas/{target.id}"))
    assert f'id="merged-{source.id}"' in page
    assert "Merged into this idea: Faster onboarding, again" in page and "Dora Duplicate" in page
    assert "Comment that came along" in page and f'id="comment-{comment.id}"' in page
    assert f'id="reply-{comment.id}"' not in page and f"/comments/{comment.id}/flag" not in page
    assert "Undo merge" not in page
    login(moderator)
    assert "Undo merge" in text_of(client.get(f"/ideas/{target.id}"))


def test_moderators_merge_from_the_idea_page(client, campaign, moderator, login):
    source, target = factories.make_idea(campaign), factories.make_idea(campaign, title="The original")
    merged_away, hidden = factories.make_idea(campaign), factories.make_idea(campaign)
    merges.merge_idea(moderator, merged_away.id, into=target.id)
    moderation.hide_idea(moderator, hidden.id, reason="Spam")
    login(moderator)
    page = text_of(client.get(f"/ideas/{source.id}"))
    assert f'<option value="{target.id}">The original</option>' in page
    assert f'<option value="{merged_away.id}"' not in page and f'<option value="{hidden.id}"' not in page
    response = client.post(f"/ideas/{source.id}/merge", data={"into": target.id, "note": "Same thing"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{target.id}#merged-{source.id}"
    assert db.session.get(Idea, source.id).merged_into_id == target.id
    assert db.session.get(Idea, source.id).status is IdeaStatus.DUPLICATE
    assert "The ideas are merged" in page_text(client.get(f"/ideas/{target.id}"))


def test_bad_merges_are_explained_and_change_nothing(client, admin, campaign, moderator, login):
    source = factories.make_idea(campaign)
    elsewhere = factories.make_idea(factories.make_campaign(admin))
    login(moderator)
    for into, message in ((source.id, "An idea cannot be merged into itself."),
                          (elsewhere.id, "Choose an idea of the same campaign."),
                          ("", "Choose an idea of the same campaign.")):
        response = client.post(f"/ideas/{source.id}/merge", data={"into": into})
        assert response.status_code == 302 and response.headers["Location"] == f"/ideas/{source.id}"
        assert message in page_text(client.get(f"/ideas/{source.id}"))
    assert db.session.get(Idea, source.id).merged_into_id is None
    assert db.session.query(IdeaMerge).count() == 0


def test_moderators_undo_a_merge(client, campaign, moderator, login):
    source, target = factories.make_idea(campaign), factories.make_idea(campaign)
    record = merges.merge_idea(moderator, source.id, into=target.id)
    login(moderator)
    response = client.post(f"/merges/{record.id}/undo", data={"reason": "Not the same after all"})
    assert response.status_code == 302 and response.headers["Location"] == f"/ideas/{source.id}"
    page = page_text(client.get(f"/ideas/{source.id}"))
    assert "The merge is undone" in page
    assert db.session.get(Idea, source.id).merged_into_id is None
    assert db.session.get(Idea, source.id).status is IdeaStatus.SUBMITTED
    assert f'id="merged-{source.id}"' not in text_of(client.get(f"/ideas/{target.id}"))
    client.post(f"/merges/{record.id}/undo")
    assert "This merge was already undone." in page_text(client.get(f"/ideas/{source.id}"))


def test_participants_cannot_merge_or_undo(client, campaign, login):
    source, target = factories.make_idea(campaign), factories.make_idea(campaign)
    login(source.author)
    assert "Merge this idea into" not in text_of(client.get(f"/ideas/{source.id}"))
    assert client.post(f"/ideas/{source.id}/merge", data={"into": target.id}).status_code == 403
    assert db.session.get(Idea, source.id).merged_into_id is None
    record = merges.merge_idea(factories.make_user(role=Role.MODERATOR), source.id, into=target.id)
    assert client.post(f"/merges/{record.id}/undo").status_code == 403
    assert db.session.get(Idea, source.id).merged_into_id == target.id
    assert client.post("/merges/999999/undo").status_code == 404


def test_a_merged_idea_shows_no_vote_buttons_in_the_list(client, campaign, member, login):
    source = factories.make_idea(campaign, title="Merged away")
    target = factories.make_idea(campaign, title="Kept idea")
    merges.merge_idea(factories.make_user(role=Role.MODERATOR), source.id, into=target.id)
    login(member)
    page = text_of(client.get(f"/c/{campaign.slug}"))
    cards = {int(m.group(1)): m.group(0) for m in re.finditer(r'<article class="card idea-card" id="idea-(\d+)">.*?</article>', page, re.S)}
    assert "data-vote-form" not in cards[source.id] and "data-vote-form" in cards[target.id]
