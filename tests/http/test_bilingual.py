"""Pages in two content languages: campaign texts in the reader's language, ideas with lang."""
import re
from datetime import datetime, timedelta, timezone

from app.domain import moderation, reviews
from app.extensions import db
from app.models import Campaign, Idea, Role
from tests import factories
from tests.http.conftest import text_of

ZH_HANS = {"Accept-Language": "zh-CN"}
ZH_HANT = {"Accept-Language": "zh-TW"}
EN = {"Accept-Language": "en"}
_NOW = datetime.now(timezone.utc)
FORM = {"title": "Faster launches", "question": "How could we launch new services faster?",
        "description": "Share your **ideas**.", "audience": ["staff"], "language": "en",
        "starts_at": (_NOW - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (_NOW + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")}
TRANSLATION = {"title_translation": "更快上市", "question_translation": "我們如何更快推出新服務？",
               "description_translation": "分享你的**點子**。"}


def _create(client, admin, login, **extra):
    login(admin)
    response = client.post("/campaigns/new", data={**FORM, **extra})
    assert response.status_code == 302, text_of(response)
    return db.session.query(Campaign).filter_by(title=FORM["title"]).one()


def test_organisers_give_texts_in_both_languages_and_each_reader_gets_theirs(client, admin, login):
    login(admin)
    assert 'name="title_translation"' in text_of(client.get("/campaigns/new"))
    campaign = _create(client, admin, login, **TRANSLATION)
    english = text_of(client.get(f"/c/{campaign.slug}", headers=EN))
    simplified = text_of(client.get(f"/c/{campaign.slug}", headers=ZH_HANS))
    traditional = text_of(client.get(f"/c/{campaign.slug}", headers=ZH_HANT))
    assert '<h1><span lang="en">Faster launches</span></h1>' in english and "更快上市" not in english
    assert "<strong>ideas</strong>" in english
    for page in (simplified, traditional):  # one Chinese text serves both scripts
        assert '<h1><span lang="zh">更快上市</span></h1>' in page
        assert '<span lang="zh">我們如何更快推出新服務？</span>' in page
        assert '<div class="prose" lang="zh"><p>分享你的<strong>點子</strong>。</p>' in page
        assert "Faster launches" not in page.split("<main")[1] and "lang-mark" not in page
    assert "<title>更快上市 · Idea Jam</title>" in simplified


def test_a_text_given_in_one_language_shows_to_the_other_marked(client, admin, login):
    campaign = _create(client, admin, login)
    for headers in (ZH_HANS, ZH_HANT):
        page = text_of(client.get(f"/c/{campaign.slug}", headers=headers))
        assert ('<h1><span lang="en">Faster launches</span> '
                '<span class="lang-mark" lang="en">(English)</span></h1>') in page
        home = text_of(client.get("/", headers=headers))
        assert '<span lang="en">Faster launches</span> <span class="lang-mark" lang="en">(English)</span>' in home
    chinese = _create_chinese(client, admin)
    page = text_of(client.get(f"/c/{chinese.slug}", headers=EN))
    assert '<span lang="zh">無卡提款體驗</span> <span class="lang-mark" lang="zh">(中文)</span>' in page


def _create_chinese(client, admin):
    response = client.post("/campaigns/new", data={
        **FORM, "title": "無卡提款體驗", "question": "如何讓提款更方便？", "description": "",
        "language": "zh"})
    assert response.status_code == 302
    return db.session.query(Campaign).filter_by(title="無卡提款體驗").one()


def test_edit_form_keeps_both_languages_and_refuses_bad_input(client, admin, login):
    campaign = _create(client, admin, login, **TRANSLATION)
    form = text_of(client.get(f"/c/{campaign.slug}/edit"))
    assert 'value="更快上市"' in form and '<option selected value="en">English</option>' in form
    response = client.post(f"/c/{campaign.slug}/edit", data={
        **FORM, **TRANSLATION, "language": "fr", "question_translation": "短"})
    assert response.status_code == 422
    page = text_of(response)
    assert "Choose English or Chinese." in page and "Use at least 5 characters." in page
    db.session.expire_all()
    kept = db.session.get(Campaign, campaign.id)
    assert (kept.language, kept.question_translation) == ("en", TRANSLATION["question_translation"])


def test_code_of_conduct_in_the_readers_language(client, admin, login):
    campaign = _create(client, admin, login)
    response = client.post(f"/c/{campaign.slug}/rules", data={
        "code_of_conduct": "Be **kind**.", "code_of_conduct_translation": "請**友善**。",
        "ideas_per_hour": "5", "comments_per_minute": "5", "flags_per_day": "5"})
    assert response.status_code == 302
    member = factories.make_user(locale="zh_Hans")
    login(member)
    page = text_of(client.get(f"/c/{campaign.slug}"))
    conduct = page[page.index('id="code-of-conduct"'):]
    assert '<div class="prose" lang="zh"><p>請<strong>友善</strong>。</p>' in conduct[:400]


def test_review_criteria_in_the_readers_language(client, campaign, login):
    mod = factories.make_user(role=Role.MODERATOR)
    idea = factories.make_idea(campaign, title="Idea under review")
    moderation.change_idea_status(mod, idea.id, status="shortlisted")
    login(mod)
    form = text_of(client.get(f"/c/{campaign.slug}/review-criteria"))
    assert 'name="rows-0-name_translation"' in form
    response = client.post(f"/c/{campaign.slug}/review-criteria", data={
        "rows-0-name": "Impact", "rows-0-name_translation": "影響", "rows-0-weight": "2",
        "rows-1-name": "Cost", "rows-1-weight": "1"})
    assert response.status_code == 302
    reviewer = factories.make_user(locale="zh_Hans")
    reviews.assign_reviewers(mod, idea.id, [reviewer.id])
    login(reviewer)
    page = text_of(client.get(f"/ideas/{idea.id}/review"))
    assert '<span lang="zh">影響</span>' in page
    assert '<span lang="en">Cost</span> <span class="lang-mark" lang="en">(English)</span>' in page


def test_ideas_carry_their_language_on_the_page(client, campaign, member, login):
    login(member)
    page = text_of(client.get(f"/c/{campaign.slug}"))
    assert re.search(r'<select [^>]*name="language"', page) and 'value="auto"' in page
    client.post(f"/c/{campaign.slug}/ideas", data={"title": "與中國電信合作推出跨境漫遊方案",
                                                   "body": "讓旅客一落地就能上網。"})
    client.post(f"/c/{campaign.slug}/ideas", data={"title": "Cross-border roaming plan",
                                                   "body": "與中國電信合作", "language": "en"})
    chinese, english = db.session.query(Idea).order_by(Idea.id).all()
    assert (chinese.language, english.language) == ("zh", "en")
    page = text_of(client.get(f"/ideas/{chinese.id}"))
    assert '<h1 data-idea-title lang="zh">' in page and '<div class="prose" data-idea-body lang="zh">' in page
    listing = text_of(client.get(f"/c/{campaign.slug}"))
    assert re.search(rf'<h3 class="idea-title" lang="en"><a href="/ideas/{english.id}">', listing)
    edit = text_of(client.get(f"/ideas/{english.id}/edit"))
    assert '<option selected value="en">English</option>' in edit


def test_a_bad_idea_language_is_refused(client, campaign, member, login):
    login(member)
    response = client.post(f"/c/{campaign.slug}/ideas", data={
        "title": "Cross-border roaming plan", "body": "Partner up.", "language": "xx"})
    assert response.status_code == 422
    assert "Choose English, Chinese or automatic." in text_of(response)
    assert db.session.query(Idea).count() == 0
