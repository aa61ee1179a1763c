"""The shortlisting board, the scorecard, reviews and decisions through HTTP."""
import re

from app.domain import moderation, reviews
from app.extensions import db
from app.models import Decision, IdeaStatus, Review, ReviewCriterion, Role
from tests import factories
from tests.http.conftest import text_of


def test_the_board_shows_columns_and_moves_ideas(client, campaign, login, moderator):
    mod = moderator
    first = factories.make_idea(campaign, title="Board idea one", tags=["retail"])
    second = factories.make_idea(campaign, title="Board idea two")
    login(mod)
    page = text_of(client.get(f"/c/{campaign.slug}/board"))
    assert 'data-status="submitted"' in page and 'data-status="implemented"' in page
    assert "Board idea one" in page and 'draggable="true"' in page
    response = client.post(f"/c/{campaign.slug}/board/move",
                           data={"idea_ids": [str(first.id), str(second.id)], "status": "shortlisted"})
    assert response.status_code == 302
    assert first.status is IdeaStatus.SHORTLISTED and second.status is IdeaStatus.SHORTLISTED
    filtered = text_of(client.get(f"/c/{campaign.slug}/board?tag=retail"))
    assert "Board idea one" in filtered and "Board idea two" not in filtered


def test_drag_moves_answer_json_and_declining_needs_a_note(client, campaign, login, moderator):
    mod = moderator
    idea = factories.make_idea(campaign)
    login(mod)
    json = {"Accept": "application/json"}
    refused = client.post(f"/c/{campaign.slug}/board/move", headers=json,
                          data={"idea_ids": [str(idea.id)], "status": "declined"})
    assert refused.status_code == 422 and "note" in refused.get_json()["error"]["fields"]
    assert idea.status is IdeaStatus.SUBMITTED
    moved = client.post(f"/c/{campaign.slug}/board/move", headers=json,
                        data={"idea_ids": [str(idea.id)], "status": "declined", "note": "Out of scope"})
    assert moved.get_json() == {"moved": [idea.id]}


def test_participants_cannot_see_or_use_the_board(client, campaign, member, login):
    idea = factories.make_idea(campaign)
    login(member)
    assert client.get(f"/c/{campaign.slug}/board").status_code == 403
    assert client.post(f"/c/{campaign.slug}/board/move",
                       data={"idea_ids": [str(idea.id)], "status": "selected"}).status_code in (302, 403)
    assert idea.status is IdeaStatus.SUBMITTED


def test_executives_watch_the_board_without_moving(client, campaign, login):
    factories.make_idea(campaign, title="Visible to executives")
    login(factories.make_user(role=Role.EXECUTIVE))
    page = text_of(client.get(f"/c/{campaign.slug}/board"))
    assert "Visible to executives" in page and 'draggable="true"' not in page


def test_scorecard_reviews_and_the_decision(client, campaign, login, auth, moderator):
    mod = moderator
    reviewer = factories.make_user(display_name="Rita Reviewer")
    owner = factories.make_user(display_name="Olga Owner")
    idea = factories.make_idea(campaign, title="Idea under review")
    moderation.change_idea_status(mod, idea.id, status="shortlisted")
    login(mod)
    response = client.post(f"/c/{campaign.slug}/review-criteria", data={
        "rows-0-name": "Impact", "rows-0-weight": "3", "rows-1-name": "Cost", "rows-1-weight": "1"})
    assert response.status_code == 302
    criteria = {c.name: c.id for c in db.session.query(ReviewCriterion)}
    assert set(criteria) == {"Impact", "Cost"}
    client.post(f"/ideas/{idea.id}/reviewers", data={"reviewer_ids": [str(reviewer.id)]})
    assert reviews.is_assigned(reviewer, idea.id)
    auth.logout()

    login(reviewer)
    page = text_of(client.get(f"/ideas/{idea.id}/review"))
    assert "Your review" in page and f'name="score_{criteria["Impact"]}"' in page
    bad = text_of(client.post(f"/ideas/{idea.id}/review", data={f"score_{criteria['Impact']}": "9"},
                              follow_redirects=True))
    assert "Score Impact from 1 to 5." in bad and db.session.query(Review).count() == 0
    client.post(f"/ideas/{idea.id}/review", data={f"score_{criteria['Impact']}": "4",
                                                  f"score_{criteria['Cost']}": "2"})
    assert db.session.query(Review).count() == 1
    auth.logout()

    login(mod)
    board = text_of(client.get(f"/c/{campaign.slug}/board"))
    assert "3.5 ± 0.0" in board and "1 of 1 reviews" in board
    missing_owner = client.post(f"/ideas/{idea.id}/decision", data={"outcome": "selected", "note": "Go"})
    assert missing_owner.status_code == 422
    assert "A selected idea needs an owner for the next steps." in text_of(missing_owner)
    done = client.post(f"/ideas/{idea.id}/decision", data={
        "outcome": "selected", "owner_id": str(owner.id), "note": "Pilot in Q1."})
    assert done.status_code == 302
    assert db.session.get(Decision, idea.id).owner_id == owner.id
    assert idea.status is IdeaStatus.SELECTED


def test_reviews_stay_private(client, campaign, member, login, moderator):
    mod = moderator
    idea = factories.make_idea(campaign)
    moderation.change_idea_status(mod, idea.id, status="shortlisted")
    login(member)
    response = client.get(f"/ideas/{idea.id}/review")
    assert response.status_code == 403  # the reviewers and their summary are not theirs to read
    page = text_of(response)
    assert "Your review" not in page and "Review summary" not in page and "Final decision" not in page
    assert not re.search(r'name="score_\d+"', page)
    reviews.assign_reviewers(mod, idea.id, [member.id])
    assert client.get(f"/ideas/{idea.id}/review").status_code == 200  # once assigned, they review


def test_participants_read_the_decision_on_the_idea(client, campaign, member, login, moderator):
    mod = moderator
    owner = factories.make_user(display_name="Olga Owner")
    idea = factories.make_idea(campaign)
    reviews.record_decision(mod, idea.id, outcome="selected", owner_id=owner.id,
                            note="Pilot in the Taipei stores from March.")
    login(member)
    page = text_of(client.get(f"/ideas/{idea.id}"))
    assert "Pilot in the Taipei stores from March." in page and "Olga Owner" in page
    assert f"/ideas/{idea.id}/review" not in page
