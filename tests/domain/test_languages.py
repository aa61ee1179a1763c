"""Content in English and Chinese: campaign texts in both, the language of each idea."""
from datetime import timedelta

import pytest

from app.domain import campaigns, ideas, languages, reviews, rules
from app.domain.clock import utcnow
from app.domain.errors import ValidationError
from app.extensions import db
from app.models import Campaign, Idea
from tests import factories as f


@pytest.mark.parametrize("text, expected", [
    ("Cross-border roaming plan with China Telecom", "en"),
    ("與中國電信合作推出跨境漫遊方案", "zh"),
    ("空压机换成变频的", "zh"),
    ("無卡提款", "zh"),
    ("無卡提款 ATM", "zh"),  # a Chinese post with an English term
    ("推出 5G eSIM 漫遊 App", "zh"),
    ("Pay with 微信 at the counter in every shop", "en"),  # an English post quoting Chinese
    ("", "en"), ("12345 !!!", "en"),
])
def test_language_is_detected_from_the_words(text, expected):
    assert languages.detect_language(text) == expected


def test_reader_language_folds_both_chinese_scripts():
    assert [languages.reader_language(loc) for loc in ("en", "zh_Hant", "zh_Hans")] == ["en", "zh", "zh"]


def test_each_reader_gets_their_text_or_the_other_marked():
    pick = languages.pick_text
    both = ("Faster launches", "en", "更快上市")
    assert pick(*both, "en") == languages.LocalText("Faster launches", "en", False)
    assert pick(*both, "zh") == languages.LocalText("更快上市", "zh", False)
    only_english = ("Faster launches", "en", "")
    assert pick(*only_english, "zh") == languages.LocalText("Faster launches", "en", True)
    assert pick(*only_english, "zh").mark == "English"
    only_chinese = ("更快上市", "zh", "")
    assert pick(*only_chinese, "en") == languages.LocalText("更快上市", "zh", True)
    assert pick(*only_chinese, "en").mark == "中文"
    # An empty main text with a translation still shows the translation (marked for others).
    assert pick("", "en", "更快上市", "en") == languages.LocalText("更快上市", "zh", True)
    assert not pick("", "en", "", "zh")


def _campaign(admin, **fields):
    now = utcnow()
    return campaigns.create_campaign(
        admin, title=fields.pop("title", "Faster launches"),
        question=fields.pop("question", "How could we launch new services faster?"),
        description=fields.pop("description", "Share **ideas**."), starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=2), audience=["staff"], **fields)


def test_campaign_texts_in_both_languages(app, admin):
    campaign = _campaign(admin, language="en", translation=campaigns.Translation(
        title="更快上市", question="我們如何更快推出新服務？", description="分享**點子**。"))
    assert campaign.description_translation_html == "<p>分享<strong>點子</strong>。</p>\n"
    english = [languages.campaign_text(campaign, field, "en")
               for field in ("title", "question", "description_html")]
    chinese = [languages.campaign_text(campaign, field, "zh")
               for field in ("title", "question", "description_html")]
    assert [(t.text, t.lang, t.fallback) for t in english] == [
        ("Faster launches", "en", False), ("How could we launch new services faster?", "en", False),
        ("<p>Share <strong>ideas</strong>.</p>\n", "en", False)]
    assert [(t.text, t.lang, t.fallback) for t in chinese] == [
        ("更快上市", "zh", False), ("我們如何更快推出新服務？", "zh", False),
        ("<p>分享<strong>點子</strong>。</p>\n", "zh", False)]


def test_campaign_language_is_detected_when_not_given(app, admin):
    campaign = _campaign(admin, title="無卡提款體驗", question="如何讓提款更方便？", description="")
    assert campaign.language == "zh"
    assert languages.campaign_text(campaign, "title", "en").fallback


def test_bad_campaign_texts_are_refused_and_change_nothing(app, admin):
    campaign = _campaign(admin)
    with pytest.raises(ValidationError) as info:
        campaigns.update_campaign(
            admin, campaign.id, title="Faster launches", question="How could we go faster?",
            description="", starts_at=campaign.starts_at, ends_at=campaign.ends_at, audience=["staff"],
            is_private=False, language="fr",
            translation=campaigns.Translation(title="短", question="x" * 301))
    assert set(info.value.fields) == {"language", "title_translation", "question_translation"}
    db.session.expire_all()
    kept = db.session.get(Campaign, campaign.id)
    assert (kept.language, kept.title_translation, kept.question) == (
        "en", "", "How could we launch new services faster?")
    with pytest.raises(ValidationError) as info:
        _campaign(admin, translation={"title": "更快上市", "slogan": "?"})
    assert set(info.value.fields) == {"translation"}


def test_update_keeps_the_translation_unless_given(app, admin):
    campaign = _campaign(admin, language="en", translation=campaigns.Translation(title="更快上市"))
    campaigns.update_campaign(admin, campaign.id, title="Launch faster", question=campaign.question,
                              description="", starts_at=campaign.starts_at, ends_at=campaign.ends_at,
                              audience=["staff"], is_private=False)
    assert (campaign.title, campaign.title_translation, campaign.language) == ("Launch faster", "更快上市", "en")
    campaigns.update_campaign(admin, campaign.id, title="更快上市", question="我們如何更快推出新服務？",
                              description="", starts_at=campaign.starts_at, ends_at=campaign.ends_at,
                              audience=["staff"], is_private=False, language="zh",
                              translation=campaigns.Translation(title="Launch faster"))
    assert (campaign.language, campaign.title_translation, campaign.question_translation) == (
        "zh", "Launch faster", "")
    assert languages.campaign_text(campaign, "question", "en") == languages.LocalText(
        "我們如何更快推出新服務？", "zh", True)


def test_code_of_conduct_in_both_languages(app, admin):
    campaign = f.make_campaign(admin)
    member = f.make_user()
    rules.update_campaign_rules(admin, campaign.id, code_of_conduct="", premoderated_kinds=[],
                                ideas_per_hour=5, comments_per_minute=5, flags_per_day=5,
                                code_of_conduct_translation="請**友善**。")
    # A code given only in Chinese is still a code: everyone accepts it before posting.
    from app.domain import conduct

    assert conduct.needs_acceptance(member, campaign)
    shown = languages.campaign_text(campaign, "code_of_conduct_html", "en")
    assert (shown.text, shown.lang, shown.fallback) == ("<p>請<strong>友善</strong>。</p>\n", "zh", True)
    rules.update_campaign_rules(admin, campaign.id, code_of_conduct="Be kind.", premoderated_kinds=[],
                                ideas_per_hour=5, comments_per_minute=5, flags_per_day=5)
    assert campaign.code_of_conduct_translation == "請**友善**。"  # None keeps it
    assert rules.rules_of(campaign)["code_of_conduct_translation"] == "請**友善**。"


def test_review_criteria_names_in_both_languages(app, admin):
    campaign = f.make_campaign(admin)
    saved = reviews.set_review_criteria(admin, campaign.id, [
        {"name": "Impact", "name_translation": "影響", "weight": 2}, {"name": "Cost", "weight": 1}])
    assert [(c.name, c.name_translation) for c in saved] == [("Impact", "影響"), ("Cost", "")]
    assert languages.criterion_name(saved[0], campaign, "zh") == languages.LocalText("影響", "zh", False)
    assert languages.criterion_name(saved[1], campaign, "zh") == languages.LocalText("Cost", "en", True)
    with pytest.raises(ValidationError):
        reviews.set_review_criteria(admin, campaign.id, [{"name": "Impact", "name_translation": 5,
                                                          "weight": 1}])
    assert [c.name for c in reviews.list_criteria(campaign.id)] == ["Impact", "Cost"]


def test_idea_language_is_marked_or_detected(app, campaign):
    author = f.make_user()
    detected = ideas.submit_idea(author, campaign.id, title="手機無卡提款服務", body="用手機在 ATM 提款。")
    marked = ideas.submit_idea(author, campaign.id, title="Cardless cash", body="無卡提款",
                               language="en")
    automatic = ideas.submit_idea(author, campaign.id, title="Cardless cash withdrawals",
                                  body="Use the phone at the ATM.", language="auto")
    assert [detected.language, marked.language, automatic.language] == ["zh", "en", "en"]
    assert ideas.idea_summary(detected)["language"] == "zh"


def test_editing_keeps_or_changes_the_language(app, campaign):
    author = f.make_user()
    idea = ideas.submit_idea(author, campaign.id, title="Cardless cash", body="無卡提款", language="en")
    version = idea.version
    ideas.edit_idea(author, idea.id, title="Cardless cash", body="無卡提款 — 用手機提款", tags=[])
    assert idea.language == "en"  # not said: kept, though the words read Chinese
    ideas.edit_idea(author, idea.id, title=idea.title, body=idea.body, tags=[], language="zh")
    assert (idea.language, idea.version) == ("zh", version + 1)  # a new language alone: no new text
    ideas.patch_idea(author, idea.id, {"language": "auto"})
    assert idea.language == "zh"


def test_a_bad_language_is_refused_and_nothing_is_posted(app, campaign):
    author = f.make_user()
    with pytest.raises(ValidationError) as info:
        ideas.submit_idea(author, campaign.id, title="Cardless cash", body="Use the phone.",
                          language="klingon")
    assert info.value.fields == {"language": "Choose English, Chinese or automatic."}
    assert db.session.query(Idea).count() == 0
