from app.domain import campaigns as campaign_domain, ideas as idea_domain
from app.extensions import db
from app.models import Idea, IdeaFollow, ParticipantKind
from tests import factories
from tests.http.conftest import login_target, text_of


def test_idea_page_shows_idea_and_comment_threads(client, campaign):
    idea = factories.make_idea(campaign, title="Chatbot for billing", body="Use a *bot*.", tags=["ai"])
    top = factories.make_comment(idea, body="Top-level remark")
    factories.make_comment(idea, body="A reply here", parent=top)
    response = client.get(f"/ideas/{idea.id}")
    assert response.status_code == 200
    html = text_of(response)
    assert "Chatbot for billing" in html and "<em>bot</em>" in html and "#ai" in html
    assert idea.author.display_name in html
    assert html.index("Top-level remark") < html.index(f'data-replies-for="{top.id}"') < html.index("A reply here")


def test_idea_body_is_sanitised(client, campaign):
    idea = factories.make_idea(campaign, body="<script>alert(1)</script> [x](javascript:alert(1))")
    html = text_of(client.get(f"/ideas/{idea.id}"))
    assert "<script>alert" not in html and 'href="javascript' not in html


def test_unknown_and_private_ideas_are_404(client, admin, login):
    private = factories.make_campaign(admin, audience=("partner",), is_private=True)
    idea = factories.make_idea(private, factories.make_user(kind=ParticipantKind.PARTNER))
    for path in ("/ideas/999", f"/ideas/{idea.id}", f"/ideas/{idea.id}/versions"):
        assert login_target(client.get(path)) == path  # signed out: the same for both
    login(factories.make_user(kind=ParticipantKind.STAFF))
    for path in ("/ideas/999", f"/ideas/{idea.id}", f"/ideas/{idea.id}/versions"):
        assert client.get(path).status_code == 404


def test_author_edits_idea_and_versions_are_kept(client, campaign, member, login):
    idea = factories.make_idea(campaign, member, title="First title here")
    login(member)
    page = client.get(f"/ideas/{idea.id}/edit")
    assert page.status_code == 200 and 'value="First title here"' in text_of(page)
    response = client.post(f"/ideas/{idea.id}/edit", data={
        "title": "Second title here", "body": "Better body", "tags": "x, y"})
    assert response.status_code == 302
    assert db.session.get(Idea, idea.id).version == 2
    html = text_of(client.get(f"/ideas/{idea.id}"))
    assert "Second title here" in html and "2 versions" in html and "edited" in html
    versions = text_of(client.get(f"/ideas/{idea.id}/versions"))
    assert "First title here" in versions and "Second title here" in versions


def test_invalid_edit_rerenders(client, campaign, member, login):
    idea = factories.make_idea(campaign, member, title="First title here")
    login(member)
    response = client.post(f"/ideas/{idea.id}/edit", data={"title": "", "body": "Body"})
    assert response.status_code == 422 and "This field is required." in text_of(response)
    assert db.session.get(Idea, idea.id).title == "First title here"


def test_only_author_may_edit(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    login(member)
    assert "Edit idea" not in text_of(client.get(f"/ideas/{idea.id}"))
    assert client.get(f"/ideas/{idea.id}/edit").status_code == 403
    response = client.post(f"/ideas/{idea.id}/edit", data={"title": "Hijacked title", "body": "x"})
    assert response.status_code == 403
    assert db.session.get(Idea, idea.id).title != "Hijacked title"


def test_edit_after_close_is_refused_with_message(client, admin, member, login):
    campaign = factories.make_campaign(admin)
    idea = factories.make_idea(campaign, member)
    campaign_domain.close_campaign(admin, campaign.id)
    login(member)
    response = client.post(f"/ideas/{idea.id}/edit", data={"title": "Changed later", "body": "x"},
                           follow_redirects=True)
    assert "has closed and is now read-only" in text_of(response)
    assert db.session.get(Idea, idea.id).title != "Changed later"


def test_follow_and_unfollow(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    login(member)
    assert 'action="/ideas/%d/follow"' % idea.id in text_of(client.get(f"/ideas/{idea.id}"))
    assert client.post(f"/ideas/{idea.id}/follow").status_code == 302
    assert idea_domain.is_following(member, idea.id)
    assert 'action="/ideas/%d/unfollow"' % idea.id in text_of(client.get(f"/ideas/{idea.id}"))
    assert client.post(f"/ideas/{idea.id}/unfollow").status_code == 302
    assert db.session.get(IdeaFollow, (member.id, idea.id)) is None


def test_follow_needs_login_and_post(client, campaign):
    idea = factories.make_idea(campaign)
    assert client.get(f"/ideas/{idea.id}/follow").status_code == 405
    response = client.post(f"/ideas/{idea.id}/follow")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.query(IdeaFollow).filter_by(idea_id=idea.id).count() == 1  # only the author's


def test_a_long_discussion_comes_in_pages_of_threads(app, client, campaign):
    app.config["COMMENT_THREADS_PER_PAGE"] = 2
    idea = factories.make_idea(campaign)
    for n in range(5):
        factories.make_comment(idea, body=f"Remark number {n}")
    first = text_of(client.get(f"/ideas/{idea.id}"))
    assert "Remark number 0" in first and "Remark number 1" in first and "Remark number 2" not in first
    assert f'href="/ideas/{idea.id}?comments=2#comments"' in first and "Page 1 of 3" in first
    assert 'data-live-append="off"' in first  # new threads arrive live only on the last page
    last = text_of(client.get(f"/ideas/{idea.id}?comments=3"))
    assert "Remark number 4" in last and "Remark number 3" not in last
    assert 'data-live-append="off"' not in last
    assert "Remark number 4" in text_of(client.get(f"/ideas/{idea.id}?comments=99"))
    assert "Remark number 0" in text_of(client.get(f"/ideas/{idea.id}?comments=junk"))


def test_an_idea_page_in_chinese_translates_its_strings_and_the_flag_reasons(client, auth, campaign):
    idea = factories.make_idea(campaign)
    factories.make_comment(idea, body="A remark")
    reader = factories.make_user(locale="zh_Hant")
    auth.login(reader)
    html = text_of(client.get(f"/ideas/{idea.id}"))
    from app.web.labels import FLAG_REASON_LABELS
    from flask_babel import force_locale
    with force_locale("zh_Hant"):
        reasons = [str(label) for label in FLAG_REASON_LABELS.values()]
    assert all(f">{reason}</option>" in html for reason in reasons)
    assert "留言" in html and "Comments" not in html
