"""With JavaScript turned off, voting and commenting still work: plain form posts that
reload the page and show the new state."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_voting_and_commenting_work_as_plain_form_posts(no_js_page, live_jam, member, others_idea):
    page = no_js_page
    idea_id, idea_title = others_idea
    log_in(page, member)
    page.goto(f"/ideas/{idea_id}")
    # app.js did not run: it marks the forms it takes over with data-enhanced.
    expect(page.locator("form[data-vote-form]")).not_to_have_attribute("data-enhanced", "1")
    vote_up = page.get_by_role("button", name=re.compile(r"^Vote up"))
    expect(vote_up).to_have_attribute("aria-pressed", "false")
    expect(vote_up).to_have_accessible_name(re.compile(r"^Vote up\s+0$"))

    # Vote up: the form posts, the server redirects back, the page shows the vote.
    with page.expect_navigation():
        vote_up.click()
    expect(page).to_have_url(re.compile(rf"/ideas/{idea_id}\b"))
    vote_up = page.get_by_role("button", name=re.compile(r"^Vote up"))
    expect(vote_up).to_have_attribute("aria-pressed", "true")
    expect(vote_up).to_have_accessible_name(re.compile(r"^Vote up\s+1$"))

    # Vote down instead: the up vote becomes a down vote.
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"^Vote down")).click()
    expect(page.get_by_role("button", name=re.compile(r"^Vote down"))).to_have_attribute(
        "aria-pressed", "true")
    expect(page.get_by_role("button", name=re.compile(r"^Vote up"))).to_have_attribute(
        "aria-pressed", "false")
    expect(page.get_by_role("button", name=re.compile(r"^Vote down"))).to_have_accessible_name(
        re.compile(r"^Vote down\s+1$"))

    # Comment: the form posts and the reloaded page lists the comment.
    comments = page.get_by_role("region", name=re.compile(r"^Comments"))
    comments.get_by_role("textbox", name="Comment (Markdown)").fill("Works without *JavaScript*.")
    with page.expect_navigation():
        comments.get_by_role("button", name="Post comment").click()
    expect(page.get_by_role("status")).to_contain_text("Your comment is posted.")
    expect(page).to_have_url(re.compile(rf"/ideas/{idea_id}#comment-\d+$"))
    comments = page.get_by_role("region", name=re.compile(r"^Comments"))
    new_comment = comments.get_by_role("listitem").filter(has_text="Works without JavaScript.")
    expect(new_comment).to_be_visible()
    expect(new_comment.get_by_role("emphasis")).to_have_text("JavaScript")  # Markdown rendered
    expect(new_comment).to_contain_text(member.display_name)


def test_voting_from_the_campaign_page_returns_to_the_same_idea(
        no_js_page, live_jam, member, others_idea):
    page = no_js_page
    idea_id, idea_title = others_idea
    log_in(page, member)
    page.goto(live_jam.campaign_path + "?sort=newest")
    card = page.locator(f"#idea-{idea_id}")
    expect(card.get_by_role("heading", name=idea_title)).to_be_visible()

    with page.expect_navigation():
        card.get_by_role("button", name=re.compile(r"^Vote up")).click()
    # Back on the same listing (same sort), at the same idea.
    expect(page).to_have_url(re.compile(
        rf"{re.escape(live_jam.campaign_path)}\?sort=newest#idea-{idea_id}$"))
    card = page.locator(f"#idea-{idea_id}")
    expect(card.get_by_role("button", name=re.compile(r"^Vote up"))).to_have_attribute(
        "aria-pressed", "true")
    expect(card.get_by_role("button", name=re.compile(r"^Vote up"))).to_have_accessible_name(
        re.compile(r"^Vote up\s+1$"))
