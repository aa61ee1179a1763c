"""Nothing a person types is lost: live updates leave a form with words in it alone, a form
that must go leaves its words behind to copy, and drafts come back after a reload or a new
login. Also the composers' counter and preview, and live comments that are first-class."""
import re

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import Person, log_in
from tests.browser.test_live import mark_page, still_same_page

IDEA_TITLE = "Queue-free pick-up lockers"
IDEA_BODY = "Put **lockers** at every station,\nso parcels wait for people — not the other way round."
COMMENT = "Half a thought about *pilots* that must survive everything"


def fresh_jam(live_jam):
    """An open campaign of its own (closing it harms no other test), its admin, and an idea
    with a comment by another person: (slug, admin, idea id, comment id)."""
    def build():
        admin = factories.make_admin(display_name="Drafts Admin")
        campaign = factories.make_campaign(admin, title="Lockers everywhere")
        author = factories.make_user(display_name="Lena Locker")
        idea = factories.make_idea(campaign, author, title="Lockers at stations")
        comment = factories.make_comment(idea, author, body="Who runs the first pilot?")
        return (campaign.slug, Person(admin.email, factories.PASSWORD, admin.display_name),
                idea.id, comment.id)
    return live_jam.seed(build)


def live(page):
    expect(page.locator("[data-live-status]")).to_have_attribute("data-state", "live")


def type_idea(page):
    page.get_by_label("Title").fill(IDEA_TITLE)
    page.get_by_label("Your idea (Markdown)").fill(IDEA_BODY)
    expect(page.locator(".idea-form [data-draft-status]")).to_have_attribute("data-state", "saved")


def expect_idea_typed(page):
    expect(page.get_by_label("Title")).to_have_value(IDEA_TITLE)
    expect(page.get_by_label("Your idea (Markdown)")).to_have_value(IDEA_BODY)


def test_typing_an_idea_survives_new_ideas_shown_and_a_reload(page, second_page, live_jam, member):
    slug, _admin, _idea, _comment = fresh_jam(live_jam)
    log_in(page, member)
    page.goto(f"/c/{slug}?sort=newest")
    live(page)
    mark_page(page)
    type_idea(page)
    page.get_by_label("Title").evaluate("el => { el.typedHere = true; }")

    other = live_jam.seed(lambda: factories.make_user(display_name="Quick Poster").email)
    log_in(second_page, Person(other, factories.PASSWORD, "Quick Poster"))
    second_page.goto(f"/c/{slug}")
    second_page.get_by_label("Title").fill("Arrives while someone types")
    second_page.get_by_label("Your idea (Markdown)").fill("Posted from the second browser.")
    second_page.get_by_role("button", name="Post idea").click()

    page.get_by_role("button", name=re.compile("1 new idea")).click()
    expect(page.locator(".idea-card").first.locator(".idea-title")).to_have_text("Arrives while someone types")
    expect_idea_typed(page)
    # The very field the person typed in, not a copy filled again from the draft.
    assert page.get_by_label("Title").evaluate("el => el.typedHere === true")
    assert still_same_page(page)

    page.reload()
    expect_idea_typed(page)
    expect(page.locator(".idea-form [data-draft-status]")).to_have_attribute("data-state", "restored")

    page.get_by_role("button", name="Post idea").click()
    expect(page.locator("h1")).to_have_text(IDEA_TITLE)
    live(page)  # the posted page's scripts have run (they drop the posted draft)
    page.goto(f"/c/{slug}")
    expect(page.get_by_label("Title")).to_have_value("")  # posted: the draft is gone
    expect(page.get_by_label("Your idea (Markdown)")).to_have_value("")


def test_typing_an_idea_survives_an_extension_and_stays_readable_after_closing(page, second_page, live_jam, member):
    slug, admin, _idea, _comment = fresh_jam(live_jam)
    log_in(page, member)
    page.goto(f"/c/{slug}")
    live(page)
    mark_page(page)
    ends_before = page.locator("[data-countdown]").get_attribute("data-countdown")
    type_idea(page)
    page.get_by_label("Your idea (Markdown)").focus()

    log_in(second_page, admin)
    second_page.goto(f"/c/{slug}")
    second_page.get_by_role("button", name="Extend").click()
    expect(second_page.locator(".flash")).to_be_visible()

    # The countdown moves on; the form, its words and the caret stay.
    expect(page.locator("[data-countdown]")).not_to_have_attribute("data-countdown", ends_before)
    expect_idea_typed(page)
    expect(page.get_by_label("Your idea (Markdown)")).to_be_focused()

    second_page.get_by_role("button", name="Close now").click()
    expect(page.locator(".campaign-head .badge-closed")).to_be_visible()
    expect(page.get_by_role("button", name="Post idea")).to_have_count(0)
    kept = page.locator("[data-kept-text]")
    expect(kept).to_contain_text("no longer takes new ideas")
    expect(kept.locator("textarea").nth(0)).to_have_value(IDEA_TITLE)
    expect(kept.locator("textarea").nth(1)).to_have_value(IDEA_BODY)
    expect(kept.locator("textarea").nth(1)).to_have_attribute("readonly", "")
    kept.get_by_role("button", name="Copy").nth(1).click()
    expect(kept.get_by_role("button", name="Copied")).to_have_count(1)
    assert still_same_page(page)


def test_a_comment_survives_a_lock_and_a_reply_survives_a_live_edit(page, second_page, live_jam, member):
    slug, admin, idea_id, comment_id = fresh_jam(live_jam)
    log_in(page, member)
    page.goto(f"/ideas/{idea_id}")
    live(page)
    mark_page(page)
    page.locator(f"#comment-{comment_id} .reply summary").first.click()
    page.get_by_label("Reply to Lena Locker").fill("A reply in the making")
    page.locator("form.comment-form:not(.reply-form)").get_by_label("Comment (Markdown)").fill(COMMENT)

    # Someone posts a new comment: it arrives, nothing typed moves.
    log_in(second_page, admin)
    second_page.goto(f"/ideas/{idea_id}")
    second_page.locator("form.comment-form:not(.reply-form)").get_by_label("Comment (Markdown)").fill("Admin was here")
    second_page.get_by_role("button", name="Post comment").click()
    expect(page.locator("[data-comment-list]")).to_contain_text("Admin was here")
    expect(page.get_by_label("Reply to Lena Locker")).to_have_value("A reply in the making")

    second_page.get_by_role("button", name="Lock comments").click()
    kept = page.locator("[data-kept-text]")
    expect(kept.first).to_contain_text("Comments are closed here now")
    expect(page.locator("[data-kept-text] textarea")).to_have_count(2)
    values = [page.locator("[data-kept-text] textarea").nth(i).input_value() for i in range(2)]
    assert sorted(values) == sorted(["A reply in the making", COMMENT])
    expect(page.get_by_role("button", name="Post comment")).to_have_count(0)

    # Unlocked again: the forms come back with the words in them (from the drafts).
    second_page.get_by_role("button", name="Unlock comments").click()
    expect(page.locator("form.comment-form:not(.reply-form)").get_by_label("Comment (Markdown)")).to_have_value(COMMENT)
    expect(page.get_by_label("Reply to Lena Locker")).to_have_value("A reply in the making")
    expect(page.locator("[data-kept-text]")).to_have_count(0)
    assert still_same_page(page)


def test_a_comment_survives_the_session_ending_and_a_new_login(page, live_jam, member):
    _slug, _admin, idea_id, _comment = fresh_jam(live_jam)
    log_in(page, member)
    page.goto(f"/ideas/{idea_id}")
    box = page.locator("form.comment-form:not(.reply-form)").get_by_label("Comment (Markdown)")
    box.fill(COMMENT)
    expect(page.locator("form.comment-form:not(.reply-form) [data-draft-status]")).to_have_attribute("data-state", "saved")

    page.context.clear_cookies()  # the session ends while the person types
    page.get_by_role("button", name="Post comment").click()
    error = page.locator("form.comment-form:not(.reply-form) [data-form-error]")
    expect(error).to_contain_text("Your session has ended")
    expect(box).to_have_value(COMMENT)
    error.get_by_role("link", name="Log in").click()

    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password", exact=True).fill(member.password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(rf"/ideas/{idea_id}$"))
    box = page.locator("form.comment-form:not(.reply-form)").get_by_label("Comment (Markdown)")
    expect(box).to_have_value(COMMENT)
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("[data-comment-list]")).to_contain_text("Half a thought about pilots")
    expect(box).to_have_value("")
    page.reload()
    expect(page.locator("form.comment-form:not(.reply-form)").get_by_label("Comment (Markdown)")).to_have_value("")


def test_an_idea_survives_the_session_ending_through_the_refusal_page(page, live_jam, member):
    slug, _admin, _idea, _comment = fresh_jam(live_jam)
    log_in(page, member)
    page.goto(f"/c/{slug}")
    type_idea(page)
    page.context.clear_cookies()
    page.get_by_role("button", name="Post idea").click()  # a plain post: the form has expired
    expect(page.locator(".error-status")).to_have_text("400")
    page.get_by_role("link", name="Log in and go back to the page").click()
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password", exact=True).fill(member.password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(rf"/c/{slug}$"))
    expect_idea_typed(page)


def markup(locator):
    """An element's HTML, its CSRF tokens left out (each rendering signs a fresh one)."""
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]*"', r'\1"', locator.evaluate("el => el.outerHTML"))


def test_live_comments_have_reply_flag_and_the_pages_time(page, second_page, live_jam, member):
    _slug, admin, idea_id, _comment = fresh_jam(live_jam)
    log_in(page, member)
    page.goto(f"/ideas/{idea_id}")
    live(page)
    mark_page(page)
    log_in(second_page, admin)
    second_page.goto(f"/ideas/{idea_id}")
    second_page.locator("form.comment-form:not(.reply-form)").get_by_label("Comment (Markdown)").fill("Arrives **live**")
    second_page.get_by_role("button", name="Post comment").click()

    arrived = page.locator(".comment", has_text="Arrives live").last
    expect(arrived.locator("strong", has_text="live")).to_be_visible()
    expect(arrived.locator(".reply summary")).to_have_text("Reply")
    expect(arrived.locator(".flag summary")).to_have_text("Flag")
    expect(arrived.locator(".kind")).to_have_text("Staff")
    shown_time = arrived.locator("time").inner_text()
    comment_id = arrived.get_attribute("id")
    assert still_same_page(page)
    # The same words, markup and time as the server renders on a reload.
    live_html = markup(arrived)
    page.reload()
    reloaded = page.locator(f"#{comment_id}")
    expect(reloaded.locator("time")).to_have_text(shown_time)
    assert markup(reloaded) == live_html

    # Reply works on the live-arrived comment, as on any other.
    reloaded.locator(".reply summary").click()
    reloaded.get_by_label(re.compile("Reply to")).fill("Replying to a live one")
    reloaded.get_by_role("button", name="Post reply").click()
    expect(reloaded.locator(".replies")).to_contain_text("Replying to a live one")


def test_the_composer_counts_previews_and_says_the_draft_is_saved(page, live_jam, member):
    _slug, _admin, idea_id, comment_id = fresh_jam(live_jam)
    log_in(page, member)
    page.goto(f"/ideas/{idea_id}")
    form = page.locator("form.comment-form:not(.reply-form)")
    form.get_by_label("Comment (Markdown)").fill("Make it **bold** <script>alert(1)</script>")
    expect(form.locator("[data-char-count]")).to_have_text("42 / 5,000 characters")
    expect(form.locator("[data-draft-status]")).to_have_text("Draft saved in this browser")
    form.get_by_role("button", name="Preview").click()
    preview = form.locator("[data-preview]")
    expect(preview.locator("strong")).to_have_text("bold")
    expect(preview).to_contain_text("<script>alert(1)</script>")  # shown as text, never run
    form.get_by_label("Comment (Markdown)").fill("Now *different*")
    expect(preview.locator("em")).to_have_text("different")
    form.get_by_label("Comment (Markdown)").fill("x" * 5003)  # the field stops at the limit
    expect(form.locator("[data-char-count]")).to_have_text("5,000 / 5,000 characters")
    form.get_by_role("button", name="Hide preview").click()
    expect(preview).to_be_hidden()

    # A reply's field has no hard stop: the counter and the preview say what is too much.
    reply = page.locator(f"#comment-{comment_id} form.reply-form")
    page.locator(f"#comment-{comment_id} .reply summary").click()
    reply.get_by_label("Reply to Lena Locker").fill("x" * 5003)
    expect(reply.locator("[data-char-count]")).to_have_text("3 characters over the limit")
    expect(reply.get_by_label("Reply to Lena Locker")).to_have_attribute("aria-invalid", "true")
    reply.get_by_role("button", name="Preview").click()
    expect(reply.locator("[data-preview]")).to_contain_text("Use at most 5000 characters.")


def test_the_composer_on_a_phone_in_chinese(phone_page, live_jam, member):
    page = phone_page
    slug, _admin, _idea, _comment = fresh_jam(live_jam)
    log_in(page, member)
    page.goto(f"/c/{slug}")
    page.get_by_role("banner").locator(".language-menu summary").click()
    page.get_by_role("button", name="繁體中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    form = page.locator(".idea-form")
    expect(form.locator("[data-char-count]")).to_have_text("0 / 10,000 字")  # the composer is ready
    form.locator("textarea[name=body]").fill("**大膽**的點子")
    expect(form.locator("[data-char-count]")).to_have_text("9 / 10,000 字")  # characters, as posting counts them
    expect(form.locator("[data-draft-status]")).to_have_text("草稿已儲存在此瀏覽器")
    form.get_by_role("button", name="預覽").click()
    expect(form.locator("[data-preview] strong")).to_have_text("大膽")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone: {width}px"


def test_a_reply_being_written_stays_when_its_comment_is_hidden(page, second_page, live_jam, member):
    _slug, admin, idea_id, comment_id = fresh_jam(live_jam)
    log_in(page, member)
    page.goto(f"/ideas/{idea_id}")
    live(page)
    mark_page(page)
    page.locator(f"#comment-{comment_id} .reply summary").click()
    page.get_by_label("Reply to Lena Locker").fill("Replying before it vanishes")

    log_in(second_page, admin)
    second_page.goto(f"/ideas/{idea_id}")
    target = second_page.locator(f"#comment-{comment_id}")
    target.locator(".mod-tools summary").click()
    target.get_by_label("Reason for hiding (the author reads it)").fill("Off topic")
    target.get_by_role("button", name="Hide").click()

    hidden = page.locator(f"#comment-{comment_id}")
    expect(hidden).to_contain_text("This comment was hidden by a moderator.")
    expect(hidden).not_to_contain_text("Who runs the first pilot?")
    expect(hidden.locator("[data-kept-text] textarea")).to_have_value("Replying before it vanishes")
    expect(hidden.get_by_role("button", name="Post reply")).to_have_count(0)
    assert still_same_page(page)
