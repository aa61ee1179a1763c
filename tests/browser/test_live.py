"""Two people, two browsers: what one does appears on the other's page without a reload."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in


def mark_page(page):
    """Set a marker that a reload or navigation would wipe out."""
    page.evaluate("window.__stayed = true")


def still_same_page(page):
    return page.evaluate("window.__stayed === true")


def test_a_vote_and_a_comment_appear_on_another_persons_page(page, second_page, live_jam, member, others_idea):
    idea_id, idea_title = others_idea
    watcher, actor = page, second_page
    watcher.goto(f"/ideas/{idea_id}")
    expect(watcher.locator("[data-live-status]")).to_have_attribute("data-state", "live")
    mark_page(watcher)
    score = watcher.locator(f'[data-idea-counts="{idea_id}"] [data-score]')
    before = int(score.inner_text())

    log_in(actor, member)
    actor.goto(f"/ideas/{idea_id}")
    actor.get_by_role("button", name=re.compile("Vote up")).click()
    expect(score).to_have_text(str(before + 1))

    actor.locator("form.comment-form:not(.reply-form)").get_by_label("Comment (Markdown)").fill("Seen live from another browser")
    actor.get_by_role("button", name="Post comment").click()
    expect(watcher.locator("[data-comment-list]")).to_contain_text("Seen live from another browser")
    assert still_same_page(watcher)


def test_new_ideas_wait_behind_a_show_button(page, second_page, live_jam, member):
    watcher, actor = page, second_page
    watcher.goto(live_jam.campaign_path + "?sort=newest")
    expect(watcher.locator("[data-live-status]")).to_have_attribute("data-state", "live")
    mark_page(watcher)
    first_card = watcher.locator(".idea-card").first
    first_title = first_card.locator(".idea-title").inner_text()

    log_in(actor, member)
    actor.goto(live_jam.campaign_path)
    actor.get_by_label("Title").fill("Arrives while you read")
    actor.get_by_label("Your idea (Markdown)").fill("It should not push the list around.")
    actor.get_by_role("button", name="Post idea").click()

    banner = watcher.get_by_role("button", name=re.compile("1 new idea"))
    expect(banner).to_be_visible()
    # What the reader was looking at has not moved.
    expect(watcher.locator(".idea-card").first.locator(".idea-title")).to_have_text(first_title)
    banner.click()
    expect(watcher.locator(".idea-card").first.locator(".idea-title")).to_have_text("Arrives while you read")
    assert still_same_page(watcher)


def test_the_author_sees_a_notification_arrive(page, second_page, live_jam, member):
    from tests import factories
    from tests.browser.conftest import Person, _campaign_by_slug

    def build():
        author = factories.make_user(display_name="Notified Author")
        idea = factories.make_idea(_campaign_by_slug(live_jam.campaign_slug), author,
                                   title="An idea that will get a comment")
        return Person(author.email, factories.PASSWORD, author.display_name), idea.id

    author, idea_id = live_jam.seed(build)
    log_in(page, author)  # the socket is authenticated by this login session
    page.goto("/")
    expect(page.locator("[data-live-status]")).to_have_attribute("data-state", "live")
    badge = page.locator("[data-unread-count]")
    expect(badge).to_be_hidden()
    mark_page(page)

    log_in(second_page, member)
    second_page.goto(f"/ideas/{idea_id}")
    second_page.locator("form.comment-form:not(.reply-form)").get_by_label("Comment (Markdown)").fill("Love it")
    second_page.get_by_role("button", name="Post comment").click()

    expect(badge).to_have_text("1")
    page.locator(".notification-menu summary").click()
    expect(page.locator("[data-notification-list]")).to_contain_text("An idea that will get a comment")
    assert still_same_page(page)
