"""Status, board and decision moves that undo progress must be confirmed; the reviewer
picker finds people by name, department and country."""
import pytest
from sqlalchemy import func, select

from app.domain import moderation, reviews
from app.domain.errors import ValidationError
from app.extensions import db
from app.models import IdeaStatus, IdeaStatusChange, ParticipantKind, Role
from tests import factories as f

S = IdeaStatus


@pytest.fixture
def moderator(app):
    return f.make_user(role=Role.MODERATOR)


@pytest.mark.parametrize("old, new, backward", [
    (S.SUBMITTED, S.SHORTLISTED, False), (S.SHORTLISTED, S.SUBMITTED, True),
    (S.SELECTED, S.UNDER_REVIEW, True), (S.IN_PROGRESS, S.IMPLEMENTED, False),
    (S.SELECTED, S.DECLINED, False), (S.DECLINED, S.SUBMITTED, True), (S.DUPLICATE, S.SELECTED, True),
    (S.DECLINED, S.DUPLICATE, False),
])
def test_what_counts_as_a_backward_move(old, new, backward):
    assert moderation.is_backward_move(old, new) is backward
    assert (new in moderation.backward_statuses(old)) is backward


def history_length(idea):
    return db.session.scalar(select(func.count()).select_from(IdeaStatusChange)
                             .where(IdeaStatusChange.idea_id == idea.id))


def test_a_backward_status_change_needs_a_confirmation(campaign, moderator):
    idea = f.make_idea(campaign)
    moderation.change_idea_status(moderator, idea.id, status="shortlisted")
    before = history_length(idea)
    with pytest.raises(ValidationError) as refused:
        moderation.change_idea_status(moderator, idea.id, status="submitted", note="Oops")
    assert "confirm" in refused.value.fields
    assert idea.status is S.SHORTLISTED and history_length(idea) == before
    moderation.change_idea_status(moderator, idea.id, status="submitted", note="Oops", confirm=True)
    assert idea.status is S.SUBMITTED


def test_a_board_move_backwards_needs_a_confirmation_for_all_or_none(campaign, moderator):
    ahead, behind = f.make_idea(campaign), f.make_idea(campaign)
    reviews.move_ideas(moderator, [ahead.id], status="selected")
    with pytest.raises(ValidationError) as refused:
        reviews.move_ideas(moderator, [behind.id, ahead.id], status="shortlisted")
    assert "confirm" in refused.value.fields
    assert behind.status is S.SUBMITTED and ahead.status is S.SELECTED
    assert reviews.move_ideas(moderator, [behind.id, ahead.id], status="shortlisted",
                              confirm=True) == [behind.id, ahead.id]


def test_a_decision_that_goes_backwards_needs_a_confirmation(campaign, moderator):
    idea, owner = f.make_idea(campaign), f.make_user()
    moderation.change_idea_status(moderator, idea.id, status="in_progress")
    with pytest.raises(ValidationError) as refused:
        reviews.record_decision(moderator, idea.id, outcome="selected", owner_id=owner.id, note="Again")
    assert "confirm" in refused.value.fields and idea.status is S.IN_PROGRESS
    reviews.record_decision(moderator, idea.id, outcome="selected", owner_id=owner.id, note="Again",
                            confirm=True)
    assert idea.status is S.SELECTED


def test_the_reviewer_picker_searches_name_department_and_country(campaign, moderator):
    idea = f.make_idea(campaign)
    mei = f.make_user(display_name="Mei Lin", department="Retail", country="TW")
    ana = f.make_user(display_name="Ana Ruiz", department="Finance", country="ES")
    f.make_user(display_name="Carl Customer", kind=ParticipantKind.CUSTOMER, department="Retail")

    def found(q):
        return {p.id for p in reviews.reviewer_candidates(moderator, idea.id, q=q)}

    assert found("mei") == {mei.id}
    assert found("RETAIL") == {mei.id}  # customers are not reviewers
    assert found("es") >= {ana.id} and mei.id not in found("finance")
    assert found("retail tw") == {mei.id} and found("retail es") == set()
    assert found("%") == set() and found("_") == set()  # wildcards are plain characters
    assert reviews.reviewer_candidates(f.make_user(), idea.id, q="mei") == []
