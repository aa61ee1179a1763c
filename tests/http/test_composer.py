"""What the composers and live comments ask of the server: previews, one comment as the page
shows it to each reader, drafts named as posted, and the way back after a refused post."""
import re

import pytest

from app import create_app
from app.domain import campaigns as campaign_domain
from app.domain import comments as comment_domain
from app.domain import moderation, rules
from app.extensions import db
from app.models import ParticipantKind
from config import TestingConfig
from tests import factories
from tests.http.conftest import page_text, statements_for, text_of

JSON = {"Accept": "application/json"}


# --- previews --------------------------------------------------------------------------

def test_a_preview_renders_markdown_as_it_will_be_stored(client, member, login):
    login(member)
    response = client.post("/preview", data={"kind": "comment", "body": "**Bold** <script>x</script>"},
                           headers=JSON)
    assert response.status_code == 200
    data = response.get_json()
    assert data["html"] == "<p><strong>Bold</strong> &lt;script&gt;x&lt;/script&gt;</p>\n"
    assert data["length"] == len("**Bold** <script>x</script>") and data["max_length"] == 5000


def test_a_bad_preview_gets_a_clear_error(client, member, login):
    login(member)
    over = client.post("/preview", data={"kind": "comment", "body": "x" * 5001}, headers=JSON)
    assert over.status_code == 422 and "5000" in over.get_json()["error"]["fields"]["body"]
    unknown = client.post("/preview", data={"kind": "poem", "body": "x"}, headers=JSON)
    assert unknown.status_code == 422 and "kind" in unknown.get_json()["error"]["fields"]


def test_a_preview_needs_a_signed_in_person(client):
    response = client.post("/preview", data={"kind": "idea", "body": "Hi"}, headers=JSON)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "authentication_required"


class CsrfOn(TestingConfig):
    WTF_CSRF_ENABLED = True


def test_a_preview_needs_the_pages_csrf_token(clock):
    app = create_app(CsrfOn)
    app.config["CLOCK"] = clock
    with app.app_context():
        db.create_all()
        try:
            person = factories.make_user()
            client = app.test_client()
            login_page = text_of(client.get("/login"))
            token = re.search(r'name="csrf_token" value="([^"]+)"', login_page).group(1)
            assert client.post("/login", data={"email": person.email, "password": factories.PASSWORD,
                                               "csrf_token": token}).status_code == 302
            refused = client.post("/preview", data={"kind": "idea", "body": "Hi"}, headers=JSON)
            assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "csrf_failed"
            page = text_of(client.get("/"))
            token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
            shown = client.post("/preview", data={"kind": "idea", "body": "Hi"},
                                headers={**JSON, "X-CSRFToken": token})
            assert shown.status_code == 200 and shown.get_json()["html"] == "<p>Hi</p>\n"
        finally:
            db.session.remove()
            db.drop_all()


# --- one comment, as each reader sees it ------------------------------------------------

def fragment(client, comment_id):
    return client.get(f"/comments/{comment_id}/fragment")


def test_a_comment_fragment_is_the_pages_markup_for_this_reader(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    top = factories.make_comment(idea, factories.make_user(display_name="Tess Top"), body="Top *words*")
    reply = factories.make_comment(idea, body="A reply", parent=top)
    login(member)
    html = text_of(fragment(client, top.id))
    page = text_of(client.get(f"/ideas/{idea.id}"))
    assert html.strip().startswith(f'<li class="comment" id="comment-{top.id}">')
    assert f'id="comment-{reply.id}"' in html  # its replies come with it
    # Reply, Flag and the time exactly as the page has them, for this reader.
    assert f'id="reply-{top.id}"' in html and "Flag</summary>" in html
    time_tag = re.search(r"<time [^>]+>[^<]+</time>", html).group(0)
    assert time_tag in page
    assert f'data-draft-key="comment:i{idea.id}:p{top.id}"' in html
    assert "<html" not in html
    assert fragment(client, top.id).headers["Cache-Control"] == "private, no-store"


def test_a_visitor_gets_the_comment_without_reply_or_flag(client, campaign):
    idea = factories.make_idea(campaign)
    comment = factories.make_comment(idea, body="Public words")
    html = text_of(fragment(client, comment.id))
    assert "Public words" in html
    assert "reply-form" not in html and "Flag</summary>" not in html


def test_a_hidden_comment_shows_its_words_only_to_moderators(client, campaign, member, moderator, login):
    idea = factories.make_idea(campaign)
    comment = factories.make_comment(idea, body="Words to hide")
    moderation.hide_comment(moderator, comment.id, reason="Off topic")
    login(member)
    html = page_text(fragment(client, comment.id))
    assert "Words to hide" not in html and "This comment was hidden by a moderator." in html
    login(moderator)
    html = page_text(fragment(client, comment.id))
    assert "Words to hide" in html and "Hidden by a moderator: Off topic" in html


def test_a_pending_comment_is_not_found_for_others(client, admin, moderator, login):
    campaign = factories.make_campaign(admin)
    rules.update_campaign_rules(moderator, campaign.id, code_of_conduct="", premoderated_kinds=["customer"],
                                ideas_per_hour=10, comments_per_minute=5, flags_per_day=20)
    idea = factories.make_idea(campaign)
    customer = factories.make_user(kind=ParticipantKind.CUSTOMER)
    comment = comment_domain.add_comment(customer, idea.id, body="Waiting words")
    login(factories.make_user())
    assert fragment(client, comment.id).status_code == 404
    login(customer)
    assert "Waiting words" in text_of(fragment(client, comment.id))


def test_a_comment_in_a_private_campaign_is_not_found_for_outsiders(client, admin, member, login):
    campaign = factories.make_campaign(admin, is_private=True, audience=("partner",))
    comment = factories.make_comment(factories.make_idea(campaign, factories.make_user(kind=ParticipantKind.PARTNER)),
                                     factories.make_user(kind=ParticipantKind.PARTNER), body="Private words")
    login(member)
    response = fragment(client, comment.id)
    assert response.status_code == 404 and "Private words" not in text_of(response)


def test_a_threads_fragment_costs_the_same_statements_however_many_replies(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    small = factories.make_comment(idea, body="Small thread")
    factories.make_comment(idea, body="One reply", parent=small)
    big = factories.make_comment(idea, body="Big thread")
    for n in range(8):
        factories.make_comment(idea, factories.make_user(), body=f"Reply {n}", parent=big)
    login(member)
    fragment(client, small.id)  # warm: the first request of a session reads a little more
    assert statements_for(client, f"/comments/{small.id}/fragment") == \
        statements_for(client, f"/comments/{big.id}/fragment")


@pytest.mark.parametrize("comment_id", ["0", "99999", "abc", "9" * 30])
def test_a_missing_comment_fragment_is_a_404(client, comment_id):
    # The page's script asks for fragments (a fetch), and learns the comment is not there.
    assert client.get(f"/comments/{comment_id}/fragment", headers={"Sec-Fetch-Mode": "cors"}).status_code == 404


def test_after_closing_the_comment_has_no_reply_form(client, admin, member, login):
    campaign = factories.make_campaign(admin)
    comment = factories.make_comment(factories.make_idea(campaign))
    campaign_domain.close_campaign(admin, campaign.id)
    login(member)
    assert "reply-form" not in text_of(fragment(client, comment.id))


# --- drafts posted the plain way, and the way back after a refusal -----------------------

def posted_drafts(response):
    match = re.search(r'<meta name="drafts-posted" content="([^"]*)">', text_of(response))
    return match.group(1).split() if match else []


def test_the_page_after_a_post_names_the_posted_draft_once(client, campaign, member, login):
    login(member)
    assert 'data-draft-key="idea:c%d"' % campaign.id in text_of(client.get(f"/c/{campaign.slug}"))
    response = client.post(f"/c/{campaign.slug}/ideas", data={"title": "Drafted idea", "body": "Kept until posted"},
                           follow_redirects=True)
    assert posted_drafts(response) == [f"idea:c{campaign.id}"]
    assert posted_drafts(client.get(f"/c/{campaign.slug}")) == []  # once only
    idea_id = int(re.search(r"/ideas/(\d+)", response.request.path).group(1))
    top = client.post(f"/ideas/{idea_id}/comments", data={"body": "First"}, follow_redirects=True)
    assert posted_drafts(top) == [f"comment:i{idea_id}"]
    parent = comment_domain.list_comments(member, idea_id)[0][0]
    reply = client.post(f"/ideas/{idea_id}/comments", data={"body": "Second", "parent_id": parent.id},
                        follow_redirects=True)
    assert posted_drafts(reply) == [f"comment:i{idea_id}:p{parent.id}"]


def test_a_refused_post_names_no_draft_as_posted(client, campaign, member, login):
    login(member)
    response = client.post(f"/c/{campaign.slug}/ideas", data={"title": "", "body": "Half written"})
    assert response.status_code == 422 and posted_drafts(response) == []
    assert posted_drafts(client.get(f"/c/{campaign.slug}")) == []


def test_a_refused_form_post_leads_back_to_its_page(client, campaign, member, login):
    login(member)
    # A refusal page (here: a method the route does not take) offers the way back.
    refused = client.post(f"/c/{campaign.slug}", headers={"Referer": f"http://localhost/c/{campaign.slug}"})
    assert refused.status_code == 405
    assert f'href="/c/{campaign.slug}"' in text_of(refused)
    assert "What you were writing is kept in this browser" in page_text(refused)


def test_a_refused_post_without_a_session_leads_through_login(client, campaign):
    refused = client.post(f"/c/{campaign.slug}", headers={"Referer": f"http://localhost/c/{campaign.slug}?page=2"})
    assert refused.status_code == 405
    assert f'href="/login?next=/c/{campaign.slug}?page%3D2"' in text_of(refused) \
        or f'href="/login?next=/c/{campaign.slug}%3Fpage%3D2"' in text_of(refused)


def test_a_refusal_page_never_links_to_another_site(client, campaign):
    refused = client.post(f"/c/{campaign.slug}", headers={"Referer": "https://evil.example/c/x"})
    assert "evil.example" not in text_of(refused) and "What you were writing" not in page_text(refused)


def test_a_post_without_a_session_logs_in_and_returns_to_the_form_page(client, campaign, member):
    page = f"/c/{campaign.slug}?sort=newest"
    response = client.post(f"/c/{campaign.slug}/ideas", data={"title": "Too late", "body": "Typed"},
                           headers={"Referer": f"http://localhost{page}"})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/login?next=")
    back = client.post(location, data={"email": member.email, "password": factories.PASSWORD})
    assert back.status_code == 302 and back.headers["Location"] == page


def test_a_page_without_a_session_still_logs_in_and_returns_to_itself(client):
    response = client.get("/profile")
    assert response.status_code == 302 and response.headers["Location"] == "/login?next=/profile"
