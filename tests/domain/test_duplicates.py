"""Similar ideas while writing one, and likely duplicates for moderators."""
import pytest

from app import offload
from app.domain import clustering, duplicates, ideas, merges, moderation, rules, similarity, themes
from app.domain.errors import NotFound, PermissionDenied
from app.models import ParticipantKind, Role
from tests import factories as f


def titles(found):
    return [item.idea.title for item in found]


def test_similar_english_ideas_come_first(app, campaign):
    f.make_idea(campaign, title="Explain every charge on the bill in plain language",
                body="Customers cannot read their bill; add a plain line under each charge.")
    f.make_idea(campaign, title="Roaming day pass", body="One flat price per day abroad.")
    f.make_idea(campaign, title="Solar panels on store roofs", body="Cut our emissions.")
    found = duplicates.find_similar_ideas(f.make_user(), campaign.id,
                                          title="Plain-language bill charges",
                                          body="People call us because the charges on their bills are unclear.")
    assert titles(found)[0] == "Explain every charge on the bill in plain language"
    assert "Solar panels on store roofs" not in titles(found)
    assert 0 < found[0].similarity <= 1
    assert found[0].snippet.startswith("Customers cannot read")


def test_similar_chinese_ideas_come_first(app, campaign):
    f.make_idea(campaign, title="用白話說明帳單上的每一筆費用", body="很多客戶看不懂帳單上的代碼。")
    f.make_idea(campaign, title="門市線上預約", body="不用現場排隊。")
    f.make_idea(campaign, title="基地台夜間節能", body="深夜關閉部分設備省電。")
    found = duplicates.find_similar_ideas(f.make_user(), campaign.id, title="帳單費用看不懂",
                                          body="希望帳單上的每筆費用都有說明")
    assert titles(found)[0] == "用白話說明帳單上的每一筆費用"
    assert "基地台夜間節能" not in titles(found)


def test_text_with_no_telling_word_finds_nothing(app, campaign):
    f.make_idea(campaign, title="Roaming day pass", body="One flat price per day abroad.")
    assert duplicates.find_similar_ideas(f.make_user(), campaign.id, title="the", body="we should") == []
    assert duplicates.find_similar_ideas(f.make_user(), campaign.id, title="", body="") == []


def test_only_ideas_everyone_may_see_are_suggested(app, admin):
    campaign = f.make_campaign(admin)
    author, moderator = f.make_user(), f.make_user(role=Role.MODERATOR)
    shown = f.make_idea(campaign, author, title="Roaming day pass at one price", body="Flat price abroad.")
    hidden = f.make_idea(campaign, author, title="Roaming day pass for one price", body="Flat price abroad.")
    merged = f.make_idea(campaign, author, title="A roaming day pass, one price", body="Flat price abroad.")
    moderation.hide_idea(moderator, hidden.id, reason="Off topic")
    merges.merge_idea(moderator, merged.id, into=shown.id)
    rules.update_campaign_rules(moderator, campaign.id, code_of_conduct="", premoderated_kinds=["customer"],
                                ideas_per_hour=50, comments_per_minute=50, flags_per_day=50)
    customer = f.make_user(kind=ParticipantKind.CUSTOMER)
    pending = ideas.submit_idea(customer, campaign.id, title="Roaming day pass with a single price",
                                body="Flat price abroad.")
    for viewer in (f.make_user(), moderator, customer, author):
        found = duplicates.find_similar_ideas(viewer, campaign.id, title="roaming day pass price",
                                              body="flat price abroad")
        assert [item.idea.id for item in found] == [shown.id], viewer
    assert pending.id and hidden.id


def test_private_campaigns_answer_only_their_audience(app, admin):
    private = f.make_campaign(admin, audience=["staff"], is_private=True)
    f.make_idea(private, f.make_user(kind=ParticipantKind.STAFF), title="Internal tooling for staff",
                body="Better laptops.")
    with pytest.raises(NotFound):
        duplicates.find_similar_ideas(f.make_user(kind=ParticipantKind.CUSTOMER), private.id,
                                      title="tooling for staff")
    staff = f.make_user(kind=ParticipantKind.STAFF)
    assert titles(duplicates.find_similar_ideas(staff, private.id, title="tooling for staff")) == [
        "Internal tooling for staff"]


def test_new_and_edited_ideas_count_at_once(app, campaign):
    viewer = f.make_user()
    f.make_idea(campaign, title="Roaming day pass", body="Flat price abroad.")
    assert duplicates.find_similar_ideas(viewer, campaign.id, title="fibre installation booking") == []
    fresh = f.make_idea(campaign, title="Book fibre installation online", body="Pick a slot.")
    assert titles(duplicates.find_similar_ideas(viewer, campaign.id, title="fibre installation booking")) == [
        fresh.title]
    ideas.edit_idea(fresh.author, fresh.id, title="Satellite dishes for farms", body="Rural coverage.")
    assert duplicates.find_similar_ideas(viewer, campaign.id, title="fibre installation booking") == []
    assert titles(duplicates.find_similar_ideas(viewer, campaign.id, title="satellite farms")) == [
        "Satellite dishes for farms"]


def test_a_large_index_adds_ideas_beside_its_matrix(app, campaign, monkeypatch):
    monkeypatch.setattr(duplicates, "SMALL_INDEX", 2)
    viewer = f.make_user()
    for n in range(4):
        f.make_idea(campaign, title=f"Roaming pass number {n}", body="Flat price abroad.")
    duplicates.find_similar_ideas(viewer, campaign.id, title="roaming")
    late = f.make_idea(campaign, title="Roaming alerts by text message", body="Warn travellers abroad.")
    found = duplicates.find_similar_ideas(viewer, campaign.id, title="roaming alerts text message")
    assert found[0].idea.id == late.id
    assert duplicates.indexes_due() == []
    monkeypatch.setattr(duplicates, "REBUILD_MIN", 1)
    assert duplicates.indexes_due() == [campaign.id]


def test_the_index_in_a_child_process_is_the_same(app, campaign):
    rows = [(1, "Roaming day pass", "Flat price."), (2, "帳單說明", "看不懂帳單")]
    inline = similarity.SimilarityIndex.build(rows)
    child = offload.run_in_child(similarity.SimilarityIndex.build, rows)
    assert child.most_similar("roaming pass") == inline.most_similar("roaming pass")
    assert child.most_similar("帳單") == inline.most_similar("帳單")
    assert offload.run_in_child(clustering.theme_count, 80) == 13


def _pairs(moderator, campaign):
    return [(pair.older.title, pair.newer.title) for pair in
            duplicates.list_duplicate_pairs(moderator, campaign_id=campaign.id)]


def seed_with_duplicates(campaign):
    author = f.make_user()
    made = [f.make_idea(campaign, author, title=title, body=body) for title, body in (
        ("Explain every charge on the bill in plain language", "Add a plain line under each charge."),
        ("Plain-language explanations of bill charges", "Each charge needs a plain explanation."),
        ("Roaming day pass at one flat price", "A daily pass abroad."),
        ("Solar panels on store roofs", "Cut emissions."),
        ("Chatbot hands over to a human agent", "After two failed tries."),
        ("Store queue length shown in the app", "Pick a quieter shop."),
    )]
    themes.refresh_themes(campaign.id)
    return made


def test_moderators_get_likely_duplicate_pairs(app, campaign):
    made = seed_with_duplicates(campaign)
    moderator = f.make_user(role=Role.MODERATOR)
    assert _pairs(moderator, campaign) == [(made[0].title, made[1].title)]
    pair = duplicates.list_duplicate_pairs(moderator)[0]  # across campaigns too
    assert pair.similarity >= similarity.DUPLICATE_THRESHOLD
    with pytest.raises(PermissionDenied):
        duplicates.list_duplicate_pairs(f.make_user(), campaign_id=campaign.id)


def test_a_merged_or_hidden_idea_leaves_the_pairs_at_once(app, campaign):
    made = seed_with_duplicates(campaign)
    moderator = f.make_user(role=Role.MODERATOR)
    merges.merge_idea(moderator, made[1].id, into=made[0].id)
    assert _pairs(moderator, campaign) == []
    merges.undo_merge(moderator, merges.current_merge_of(made[1]).id)
    assert _pairs(moderator, campaign) == [(made[0].title, made[1].title)]
    moderation.hide_idea(moderator, made[0].id, reason="Spam")
    assert _pairs(moderator, campaign) == []
