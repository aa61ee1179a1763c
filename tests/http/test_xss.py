"""Every text field people fill in renders inert, whatever they type: over 200 cross-site
scripting payloads (tests/xss_payloads.py) in titles, bodies, comments, tags, names,
departments and campaign texts, checked on every page that shows them."""
import pytest

from app.domain import comments, ideas, rules
from app.domain.errors import ValidationError
from app.extensions import db
from app.models import Role
from tests import factories
from tests.http.conftest import text_of
from tests.xss_payloads import PAYLOADS, live_markup

# Every fourth payload: still well over 200, each in every field below.
SAMPLE = PAYLOADS[::4]


def test_the_sample_is_large_enough():
    assert len(SAMPLE) >= 200


def assert_inert(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    found = live_markup(text_of(response))
    assert found == [], (path, found[:5])


def fitted(text, low, high):
    """The payload cut to a field's length limits (too short ones padded)."""
    text = text[:high]
    return text if len(text) >= low else (text + " padding words")[:high]


def test_ideas_comments_tags_and_names_render_inert(client, campaign, auth):
    moderator = factories.make_user(role=Role.MODERATOR)
    made = []
    for n, payload in enumerate(SAMPLE):
        author = factories.make_user(display_name=fitted(payload, 1, 80), department=fitted(payload, 1, 80))
        tags = [fitted(payload, 1, 30)]
        try:
            idea = ideas.submit_idea(author, campaign.id, title=fitted(f"{n} {payload}", 5, 160),
                                     body=payload, tags=tags)
        except ValidationError:  # a tag the rules refuse is inert too; post without it
            db.session.rollback()
            idea = ideas.submit_idea(author, campaign.id, title=fitted(f"{n} {payload}", 5, 160), body=payload)
        comments.add_comment(factories.make_user(display_name=fitted(payload, 1, 80)), idea.id, body=payload)
        made.append(idea)
    auth.login(moderator)  # moderators see the most: flags, pending, edit links
    for idea in made:
        assert_inert(client, f"/ideas/{idea.id}")
        assert_inert(client, f"/people/{idea.author_id}")
    pages = -(-len(made) // 20)
    for page in range(1, pages + 1):
        assert_inert(client, f"/c/{campaign.slug}?sort=newest&page={page}")
    for path in (f"/c/{campaign.slug}/dashboard", f"/c/{campaign.slug}/dashboard?sort=newest",
                 f"/c/{campaign.slug}/wall?sort=newest", f"/c/{campaign.slug}/summary?sort=newest",
                 "/dashboard?sort=newest", "/moderation/queue"):
        assert_inert(client, path)


def test_campaign_texts_render_inert(client, admin, auth):
    auth.login(admin)
    made = []
    for n, payload in enumerate(SAMPLE):
        campaign = factories.make_campaign(admin, title=fitted(f"{n} {payload}", 3, 160),
                                           question=fitted(payload, 5, 300), description=payload)
        rules.update_campaign_rules(admin, campaign.id, code_of_conduct=payload, premoderated_kinds=[],
                                    ideas_per_hour=10, comments_per_minute=5, flags_per_day=20)
        made.append(campaign)
    for campaign in made:
        assert_inert(client, f"/c/{campaign.slug}")
        assert_inert(client, f"/c/{campaign.slug}/rules")
    assert_inert(client, "/")
    assert_inert(client, "/dashboard")
