"""Shortlisting and review: scorecards, private reviews, the board and the decision record."""
import pytest

from app.domain import moderation, reviews
from app.domain.errors import Conflict, PermissionDenied, ValidationError
from app.extensions import db
from app.models import AuditEntry, IdeaStatus, ParticipantKind, Role
from tests import factories as f

CRITERIA = [{"name": "Impact", "weight": 3}, {"name": "Feasibility", "weight": 2},
            {"name": "Cost", "weight": 1}]


@pytest.fixture
def scorecard(campaign, moderator):
    return {c.name: c.id for c in reviews.set_review_criteria(moderator, campaign.id, CRITERIA)}


def shortlisted(campaign, moderator, **kwargs):
    idea = f.make_idea(campaign, **kwargs)
    moderation.change_idea_status(moderator, idea.id, status="shortlisted")
    return idea


def test_weighted_mean_spread_and_count(campaign, moderator, scorecard):
    idea = shortlisted(campaign, moderator)
    first, second, lazy = f.make_user(), f.make_user(), f.make_user()
    reviews.assign_reviewers(moderator, idea.id, [first.id, second.id, lazy.id])
    ids = scorecard
    reviews.submit_review(first, idea.id, scores={ids["Impact"]: 5, ids["Feasibility"]: 4, ids["Cost"]: 2})
    reviews.submit_review(second, idea.id, scores={str(ids["Impact"]): "3", str(ids["Feasibility"]): "2",
                                                   str(ids["Cost"]): "1"})
    summary = reviews.summarise_reviews([idea.id], reviews.list_criteria(campaign.id))[idea.id]
    first_score = (3 * 5 + 2 * 4 + 1 * 2) / 6  # 4.1667
    second_score = (3 * 3 + 2 * 2 + 1 * 1) / 6  # 2.3333
    assert summary.count == 2 and summary.assigned == 3
    assert summary.mean == pytest.approx((first_score + second_score) / 2)
    assert summary.spread == pytest.approx(abs(first_score - second_score) / 2)
    assert summary.by_criterion[ids["Impact"]] == 4
    # Submitting again replaces the reviewer's scorecard.
    reviews.submit_review(second, idea.id, scores={ids["Impact"]: 5, ids["Feasibility"]: 4, ids["Cost"]: 2})
    again = reviews.summarise_reviews([idea.id], reviews.list_criteria(campaign.id))[idea.id]
    assert again.count == 2 and again.spread == pytest.approx(0)


def test_reviews_are_private(campaign, moderator, scorecard):
    idea = shortlisted(campaign, moderator)
    reviewer, other = f.make_user(), f.make_user()
    reviews.assign_reviewers(moderator, idea.id, [reviewer.id, other.id])
    reviews.submit_review(reviewer, idea.id, scores={cid: 4 for cid in scorecard.values()}, note="Strong")
    assert reviews.my_review(reviewer, idea.id).note == "Strong"
    assert reviews.my_review(other, idea.id) is None
    assert reviews.my_review(moderator, idea.id) is None


@pytest.mark.parametrize("scores", [{}, {"Impact": 6}, {"Impact": 0}, {"Impact": "five"}, {"Impact": True}])
def test_every_criterion_needs_a_score_from_one_to_five(campaign, moderator, scorecard, scores):
    idea = shortlisted(campaign, moderator)
    reviewer = f.make_user()
    reviews.assign_reviewers(moderator, idea.id, [reviewer.id])
    full = {scorecard[name]: 3 for name in scorecard}
    full.update({scorecard[name]: value for name, value in scores.items()})
    if not scores:
        full = {}
    with pytest.raises(ValidationError):
        reviews.submit_review(reviewer, idea.id, scores=full)
    assert reviews.my_review(reviewer, idea.id) is None


def test_only_assigned_reviewers_review_and_only_shortlisted_ideas(campaign, moderator, scorecard):
    idea = f.make_idea(campaign)
    with pytest.raises(Conflict):
        reviews.assign_reviewers(moderator, idea.id, [f.make_user().id])
    moderation.change_idea_status(moderator, idea.id, status="shortlisted")
    with pytest.raises(ValidationError):
        reviews.assign_reviewers(moderator, idea.id, [idea.author_id])
    with pytest.raises(ValidationError):
        reviews.assign_reviewers(moderator, idea.id, [])
    with pytest.raises(PermissionDenied):
        reviews.submit_review(f.make_user(), idea.id, scores={cid: 3 for cid in scorecard.values()})
    with pytest.raises(PermissionDenied):
        reviews.assign_reviewers(f.make_user(), idea.id, [f.make_user().id])


def test_the_scorecard_is_fixed_once_reviews_start(campaign, moderator, scorecard):
    idea = shortlisted(campaign, moderator)
    reviewer = f.make_user()
    reviews.assign_reviewers(moderator, idea.id, [reviewer.id])
    reviews.set_review_criteria(moderator, campaign.id, CRITERIA + [{"name": "Risk", "weight": 1}])
    criteria = {c.name: c.id for c in reviews.list_criteria(campaign.id)}
    reviews.submit_review(reviewer, idea.id, scores={cid: 3 for cid in criteria.values()})
    with pytest.raises(Conflict):
        reviews.set_review_criteria(moderator, campaign.id, CRITERIA)


@pytest.mark.parametrize("criteria", [[], [{"name": "", "weight": 1}], [{"name": "Impact", "weight": 0}],
                                      [{"name": "Impact", "weight": 1}, {"name": "impact", "weight": 2}],
                                      [{"name": f"C{n}", "weight": 1} for n in range(11)], "impact"])
def test_bad_scorecards_change_nothing(campaign, moderator, criteria):
    with pytest.raises(ValidationError):
        reviews.set_review_criteria(moderator, campaign.id, criteria)
    assert reviews.list_criteria(campaign.id) == []


def test_the_board_has_a_column_per_status_and_filters(campaign, moderator, scorecard):
    customer_idea = shortlisted(campaign, moderator, author=f.make_user(kind=ParticipantKind.CUSTOMER),
                                tags=["retail"])
    staff_idea = f.make_idea(campaign, tags=["network"])
    f.make_vote(staff_idea)
    board = reviews.get_board(moderator, campaign.id)
    columns = dict(board.columns)
    assert [s for s, _ in board.columns][0] is IdeaStatus.SUBMITTED
    assert [c.idea.id for c in columns[IdeaStatus.SHORTLISTED]] == [customer_idea.id]
    assert [c.idea.id for c in columns[IdeaStatus.SUBMITTED]] == [staff_idea.id]

    def ids(**filters):
        return {c.idea.id for _, cards in reviews.get_board(moderator, campaign.id, **filters).columns
                for c in cards}

    assert ids(tag="retail") == {customer_idea.id}
    assert ids(author_kind="customer") == {customer_idea.id}
    assert ids(min_score=1) == {staff_idea.id}
    with pytest.raises(ValidationError):
        reviews.get_board(moderator, campaign.id, min_score="high", author_kind="robot")
    assert reviews.get_board(f.make_user(role=Role.EXECUTIVE), campaign.id)
    with pytest.raises(PermissionDenied):
        reviews.get_board(f.make_user(), campaign.id)


def test_moving_ideas_in_bulk(campaign, moderator):
    first, second = f.make_idea(campaign), f.make_idea(campaign)
    assert reviews.move_ideas(moderator, [first.id, second.id], status="under_review") == [first.id, second.id]
    assert first.status is IdeaStatus.UNDER_REVIEW and second.status is IdeaStatus.UNDER_REVIEW
    with pytest.raises(ValidationError):  # declining needs a note, for every idea
        reviews.move_ideas(moderator, [first.id, second.id], status="declined")
    assert first.status is IdeaStatus.UNDER_REVIEW
    with pytest.raises(PermissionDenied):
        reviews.move_ideas(f.make_user(), [first.id], status="shortlisted")


def test_the_decision_record(campaign, moderator):
    idea = f.make_idea(campaign)
    owner = f.make_user(display_name="Olga Owner")
    with pytest.raises(ValidationError) as refused:
        reviews.record_decision(moderator, idea.id, outcome="selected", note="Go")
    assert "owner_id" in refused.value.fields
    with pytest.raises(ValidationError):
        reviews.record_decision(moderator, idea.id, outcome="shortlisted", owner_id=owner.id, note="Go")
    reviews.record_decision(moderator, idea.id, outcome="selected", owner_id=owner.id,
                            note="Pilot in Q1 with the Taipei stores.")
    decision = reviews.get_decision(f.make_user(), idea.id)
    assert decision.outcome is IdeaStatus.SELECTED and decision.owner.display_name == "Olga Owner"
    assert idea.status is IdeaStatus.SELECTED
    assert db.session.query(AuditEntry).filter_by(action="idea.decision").count() == 1
    with pytest.raises(PermissionDenied):
        reviews.record_decision(f.make_user(), idea.id, outcome="declined", note="No")
