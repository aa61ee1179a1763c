"""No query per row: each page and each write sends a fixed number of SQL statements, however
big the jam grows (more ideas, people, votes, comments, replies and tags).

The limits are today's counts with a little room; a page that starts reading once per idea or
per comment goes past them at once, because the jam grows by dozens of rows between the two
counts."""
import pytest

from app.domain import themes
from app.models import Role
from tests import factories
from tests.http.conftest import statements_for

# The most statements each request may send (login and session reads included).
LIMITS = {
    "campaign page, top": 14,
    "campaign page, newest": 14,
    "campaign page, trending": 14,
    "search, English": 15,
    "search, Chinese": 15,
    "tag filter": 15,
    "idea page": 24,  # the other-language similar ideas: new ideas since, the idea's vector, candidates
    "profile page": 11,
    "API idea list": 7,
    "API comment threads": 10,
    "vote POST": 22,
    # A comment's notification is read again, checked and worded for its reader just before it
    # is sent live (the reader, the notification and its idea, the unread count): a fixed 8.
    "comment POST": 34,
}

PATHS = {
    "campaign page, top": "/c/{slug}?sort=top",
    "campaign page, newest": "/c/{slug}?sort=newest",
    "campaign page, trending": "/c/{slug}?sort=trending",
    "search, English": "/c/{slug}?q=fibre",
    "search, Chinese": "/c/{slug}?q=%E9%9B%BB%E4%BF%A1",
    "tag filter": "/c/{slug}?tag=t1",
    "idea page": "/ideas/{idea}",
    "profile page": "/people/{author}",
    "API idea list": "/api/v1/campaigns/{campaign}/ideas",
    "API comment threads": "/api/v1/ideas/{idea}/comments",
}


class Jam:
    """A campaign that grows: ideas in English and Chinese by one prolific author and many
    others, with tags, votes, comments and replies, most of them on one discussed idea."""

    def __init__(self, campaign):
        self.campaign = campaign
        self.author = factories.make_user(display_name="Prolific Author")
        self.discussed = factories.make_idea(campaign, self.author, title="Fibre to every 電信 shop",
                                             tags=["t1"])
        self.grown = 0

    def grow(self, n):
        for k in range(self.grown, self.grown + n):
            author = self.author if k % 3 == 0 else factories.make_user()
            title = f"Fibre idea {k}" if k % 2 else f"中華電信的第{k}個點子"
            idea = factories.make_idea(self.campaign, author, title=title, tags=[f"t{k % 5}", f"x{k}"])
            for _ in range(2):
                factories.make_vote(idea)
            top = factories.make_comment(self.discussed, body=f"Comment {k}")
            factories.make_comment(self.discussed, body=f"Reply {k}", parent=top)
            factories.make_comment(idea, author=self.author, body=f"The author's remark {k}")
            factories.make_vote(self.discussed)
        self.grown += n
        # The campaign page and its summary show themes with their top ideas.
        themes.refresh_themes(self.campaign.id)

    def path(self, label):
        return PATHS[label].format(slug=self.campaign.slug, campaign=self.campaign.id, idea=self.discussed.id,
                                   author=self.author.id)


@pytest.fixture
def jam(app, campaign):
    return Jam(campaign)


def _viewer(kind):
    return factories.make_user(role=Role.MODERATOR) if kind == "moderator" else factories.make_user()


@pytest.mark.parametrize("viewer", ["participant", "moderator"])
@pytest.mark.parametrize("label", list(PATHS))
def test_pages_read_a_fixed_number_of_statements(client, auth, jam, label, viewer):
    auth.login(_viewer(viewer))
    jam.grow(6)  # enough ideas for themes (app.domain.clustering.MIN_IDEAS)
    client.get(jam.path(label))  # the first visit builds the campaign's similar-idea index
    small = statements_for(client, jam.path(label))
    jam.grow(12)
    client.get(jam.path(label))  # (the visit that adds the new ideas to that index)
    if label.startswith("campaign page"):
        assert "theme-ideas" in client.get(jam.path(label)).get_data(as_text=True)  # themes are shown
    assert statements_for(client, jam.path(label)) == small
    assert small <= LIMITS[label], small


def test_writes_send_a_fixed_number_of_statements(client, auth, jam):
    voter = factories.make_user()
    auth.login(voter)
    # A person's first vote and comment also open their rows in the dashboard tallies.
    first = factories.make_idea(jam.campaign, title="The first one voted on")
    client.post(f"/ideas/{first.id}/vote", data={"value": "1"}, headers={"Accept": "application/json"})
    client.post(f"/ideas/{first.id}/comments", data={"body": "A first thought"}, headers={"Accept": "application/json"})
    counts = []
    for size in (3, 12):
        jam.grow(size)
        target = factories.make_idea(jam.campaign, title=f"Target after {size}")
        vote = statements_for(client, f"/ideas/{target.id}/vote", method="POST", data={"value": "1"},
                              headers={"Accept": "application/json"})
        comment = statements_for(client, f"/ideas/{jam.discussed.id}/comments", method="POST",
                                 data={"body": f"One more thought after {size}"},
                                 headers={"Accept": "application/json"}, expected=201)
        counts.append((vote, comment))
    assert counts[0] == counts[1]
    assert counts[0][0] <= LIMITS["vote POST"] and counts[0][1] <= LIMITS["comment POST"], counts
