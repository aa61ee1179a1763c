"""The compare page, the leaderboard page and the voting-mode setting, through HTTP."""
import re

from app.domain import comparisons
from app.extensions import db
from app.models import Campaign, Comparison, VotingMode
from tests import factories
from tests.http.conftest import text_of


def make_ideas(campaign, n=3):
    return [factories.make_idea(campaign, title=f"Pairable idea {k}", body=f"Body of idea {k}")
            for k in range(n)]


def pair_form_action(html):
    return re.search(r'action="(/comparisons/\d+)"', html).group(1)


def test_the_compare_page_shows_two_ideas_without_counts(client, campaign, member, login):
    make_ideas(campaign)
    login(member)
    response = client.get(f"/c/{campaign.slug}/compare")
    assert response.status_code == 200
    html = text_of(response)
    assert len(re.findall(r"<h2 id=\"pair-(?:left|right)-title\" class=\"idea-title\">Pairable idea \d</h2>", html)) == 2
    assert 'aria-keyshortcuts="ArrowLeft"' in html and 'aria-keyshortcuts="ArrowRight"' in html
    assert 'aria-keyshortcuts="S"' in html
    assert "data-score" not in html and "data-vote-form" not in html  # counts stay hidden


def test_answering_by_form_moves_to_the_next_pair(client, campaign, member, login):
    make_ideas(campaign)
    login(member)
    html = text_of(client.get(f"/c/{campaign.slug}/compare"))
    action = pair_form_action(html)
    response = client.post(action, data={"choice": "left"})
    assert response.status_code == 302 and response.headers["Location"] == f"/c/{campaign.slug}/compare"
    following = text_of(client.get(f"/c/{campaign.slug}/compare"))
    assert pair_form_action(following) != action
    assert "You have compared 1 pair." in following
    # The same answer again is refused with a message, and changes nothing.
    again = text_of(client.post(action, data={"choice": "right"}, follow_redirects=True))
    assert "You have already answered this pair." in again
    answered = db.session.query(Comparison).filter(Comparison.answered_at.is_not(None)).all()
    assert [c.choice.value for c in answered] == ["left"]


def test_a_bad_choice_is_explained(client, campaign, member, login):
    make_ideas(campaign)
    login(member)
    action = pair_form_action(text_of(client.get(f"/c/{campaign.slug}/compare")))
    page = text_of(client.post(action, data={"choice": "both"}, follow_redirects=True))
    assert "Choose left, right or skip." in page
    assert db.session.query(Comparison).filter(Comparison.answered_at.is_not(None)).count() == 0


def test_someone_elses_pair_is_not_found(client, campaign, member, login):
    make_ideas(campaign)
    theirs = comparisons.serve_pair(factories.make_user(), campaign.id)
    login(member)
    assert client.post(f"/comparisons/{theirs.id}", data={"choice": "left"}).status_code == 404


def test_when_nothing_is_left_the_page_says_so(client, campaign, member, login):
    make_ideas(campaign, 2)
    login(member)
    action = pair_form_action(text_of(client.get(f"/c/{campaign.slug}/compare")))
    client.post(action, data={"choice": "skip", "reason": "Both fine"})
    page = text_of(client.get(f"/c/{campaign.slug}/compare"))
    assert "You have compared every pair we can show you for now." in page
    assert "You skipped 1." in page


def test_comparing_needs_a_login(client, campaign):
    make_ideas(campaign)
    response = client.get(f"/c/{campaign.slug}/compare")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_campaign_page_follows_the_voting_mode(client, admin, member, login):
    pairwise = factories.make_campaign(admin, voting_mode="pairwise")
    up_down = factories.make_campaign(admin, voting_mode="up_down")
    for campaign in (pairwise, up_down):
        make_ideas(campaign)
    login(member)
    page = text_of(client.get(f"/c/{pairwise.slug}"))
    assert f"/c/{pairwise.slug}/compare" in page and f"/c/{pairwise.slug}/ranking" in page
    assert "data-vote-form" not in page and "data-score" not in page
    page = text_of(client.get(f"/c/{up_down.slug}"))
    assert "/compare" not in page and "data-vote-form" in page
    assert client.get(f"/c/{up_down.slug}/compare").status_code == 403


def test_sorts_are_explained(client, campaign):
    page = text_of(client.get(f"/c/{campaign.slug}"))
    assert "Pairwise ranking" in page and "a few lucky early votes do not beat many steady ones" in page
    page = text_of(client.get(f"/c/{campaign.slug}?sort=ranked"))
    assert "chance to beat a random other idea" in page


def test_the_leaderboard_page(client, campaign):
    best, *_ = make_ideas(campaign)
    for _ in range(3):
        person = factories.make_user()
        for _ in range(3):
            pair = comparisons.serve_pair(person, campaign.id)
            choice = ("left" if pair.left_idea_id == best.id else
                      "right" if pair.right_idea_id == best.id else "skip")
            comparisons.answer_comparison(person, pair.id, choice)
    comparisons.refresh_ranking(campaign.id)
    page = text_of(client.get(f"/c/{campaign.slug}/ranking"))
    items = re.findall(r'data-leaderboard-idea="(\d+)"', page)
    assert items[0] == str(best.id) and len(items) == 3
    assert "6 comparisons so far" in page and "likely" in page
    assert f'data-campaign-id="{campaign.id}"' in page  # follows the live stream


def test_admin_chooses_the_voting_mode(client, admin, login):
    login(admin)
    form = {"title": "Pairs jam", "question": "Which idea is best?", "starts_at": "2030-03-01T09:00",
            "ends_at": "2030-03-08T18:00", "audience": ["staff"]}
    response = client.post("/campaigns/new", data={**form, "voting_mode": "sideways"})
    assert response.status_code == 422
    assert "Choose up/down votes, pairs, or both." in text_of(response)
    assert db.session.query(Campaign).count() == 0
    assert client.post("/campaigns/new", data={**form, "voting_mode": "pairwise"}).status_code == 302
    campaign = db.session.query(Campaign).one()
    assert campaign.voting_mode is VotingMode.PAIRWISE
    assert '<option selected value="pairwise">' in text_of(client.get(f"/c/{campaign.slug}/edit"))
