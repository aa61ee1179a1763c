"""A campaign's rules: code of conduct, pre-moderated kinds and pace limits."""
from datetime import timedelta

import pytest

from app.domain import comments, conduct, ideas, rules
from app.domain.errors import PermissionDenied, RateLimited, ValidationError
from app.extensions import db
from app.models import AuditEntry, ConductAcceptance, Idea, Role
from tests import factories as f

DEFAULTS = dict(code_of_conduct="", code_of_conduct_translation="", premoderated_kinds=[], ideas_per_hour=10,
                comments_per_minute=5, flags_per_day=20)


def set_rules(moderator, campaign, **changes):
    return rules.update_campaign_rules(moderator, campaign.id, **{**DEFAULTS, **changes})


def veteran(clock):
    return f.make_user(created_at=clock() - timedelta(days=30))


def test_a_code_of_conduct_is_accepted_once_before_the_first_post(campaign, moderator, clock):
    set_rules(moderator, campaign, code_of_conduct="Be **kind**. No confidential data.")
    assert "<strong>kind</strong>" in campaign.code_of_conduct_html
    person = veteran(clock)
    assert conduct.needs_acceptance(person, campaign)
    with pytest.raises(ValidationError) as refused:
        ideas.submit_idea(person, campaign.id, title="An idea without consent", body="Body")
    assert conduct.FIELD in refused.value.fields
    assert db.session.query(Idea).count() == 0 and db.session.query(ConductAcceptance).count() == 0
    ideas.submit_idea(person, campaign.id, title="An idea with consent", body="Body",
                      accept_code_of_conduct=True)
    assert not conduct.needs_acceptance(person, campaign)
    idea = f.make_idea(campaign, person)  # no second acceptance needed
    other = veteran(clock)
    with pytest.raises(ValidationError):
        comments.add_comment(other, idea.id, body="Hello")
    comments.add_comment(other, idea.id, body="Hello", accept_code_of_conduct=True)


def test_a_refused_post_records_no_acceptance(campaign, moderator, clock):
    set_rules(moderator, campaign, code_of_conduct="Be kind.")
    person = veteran(clock)
    with pytest.raises(ValidationError):
        ideas.submit_idea(person, campaign.id, title="x", body="", accept_code_of_conduct=True)
    assert conduct.needs_acceptance(person, campaign)


def test_ideas_per_hour_and_comments_per_minute(campaign, moderator, clock):
    set_rules(moderator, campaign, ideas_per_hour=2, comments_per_minute=2)
    person = veteran(clock)
    idea = f.make_idea(campaign, person)
    f.make_idea(campaign, person)
    with pytest.raises(RateLimited) as refused:
        f.make_idea(campaign, person)
    assert "2 ideas an hour" in str(refused.value.message)
    commenter = veteran(clock)
    f.make_comment(idea, commenter)
    f.make_comment(idea, commenter)
    with pytest.raises(RateLimited):
        f.make_comment(idea, commenter)
    clock.advance(timedelta(minutes=1, seconds=1))
    f.make_comment(idea, commenter)
    clock.advance(timedelta(hours=1))
    f.make_idea(campaign, person)


def test_new_accounts_get_half_the_allowance_and_moderators_none_of_the_limits(campaign, moderator):
    set_rules(moderator, campaign, ideas_per_hour=4)
    newcomer = f.make_user()
    f.make_idea(campaign, newcomer)
    f.make_idea(campaign, newcomer)
    with pytest.raises(RateLimited):
        f.make_idea(campaign, newcomer)
    admin_author = f.make_user(role=Role.ADMIN)
    for _ in range(5):
        f.make_idea(campaign, admin_author)


@pytest.mark.parametrize("field, value", [
    ("ideas_per_hour", 0), ("comments_per_minute", 1001), ("flags_per_day", "ten"),
    ("premoderated_kinds", ["robots"]), ("code_of_conduct", "x" * (rules.CONDUCT_MAX + 1)),
    ("code_of_conduct_translation", "x" * (rules.CONDUCT_MAX + 1)),
])
def test_bad_rules_change_nothing(campaign, moderator, field, value):
    set_rules(moderator, campaign)
    with pytest.raises(ValidationError) as refused:
        set_rules(moderator, campaign, **{field: value})
    assert field in refused.value.fields
    assert rules.rules_of(campaign) == {**DEFAULTS}


def test_rules_are_audited_and_only_moderators_set_them(campaign, moderator):
    set_rules(moderator, campaign, premoderated_kinds=["customer", "partner"], flags_per_day=3)
    entry = db.session.query(AuditEntry).filter_by(action="campaign.rules").one()
    assert entry.before["flags_per_day"] == 1000 and entry.after["flags_per_day"] == 3
    assert entry.after["premoderated_kinds"] == ["customer", "partner"]
    for role in (Role.PARTICIPANT, Role.EXECUTIVE):
        with pytest.raises(PermissionDenied):
            set_rules(f.make_user(role=role), campaign)
