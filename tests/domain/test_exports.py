"""Exports of a campaign's ideas: every published idea once, safe in a spreadsheet."""
import csv
import io
import json

import pytest

from app.domain import exports, moderation, votes
from app.domain.errors import PermissionDenied
from app.models import ParticipantKind, Role
from tests import factories as f


@pytest.fixture
def organiser(app):
    return f.make_user(role=Role.EXECUTIVE)


def test_every_published_idea_once_with_its_figures(app, organiser, monkeypatch):
    monkeypatch.setattr(exports, "BATCH", 2)  # several batches
    campaign = f.make_campaign()
    author = f.make_user(kind=ParticipantKind.PARTNER, department="Retail", country="TW")
    made = [f.make_idea(campaign, author, title=f"Idea {n} for export", tags=["b", "a"]) for n in range(5)]
    votes.cast_vote(f.make_user(), made[0].id, 1)
    hidden = f.make_idea(campaign, title="Hidden from export")
    moderation.hide_idea(f.make_user(role=Role.MODERATOR), hidden.id, reason="Spam")
    rows = list(exports.export_ideas(organiser, campaign.id).rows)
    assert [row["id"] for row in rows] == [idea.id for idea in made]
    first = rows[0]
    assert (first["score"], first["up_votes"], first["tags"], first["author_kind"], first["author_country"]) == (
        1, 1, ["a", "b"], "partner", "TW")
    assert set(first) == set(exports.COLUMNS)
    assert "author_name" not in first and "email" not in json.dumps(rows)


def test_csv_and_json_read_back(app, organiser):
    campaign = f.make_campaign()
    f.make_idea(campaign, title="=HYPERLINK(\"http://evil\")", tags=["x", "y"])
    f.make_idea(campaign, title="自助開通 SIM 卡")
    text = "".join(exports.as_csv(exports.export_ideas(organiser, campaign.id).rows))
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0]["title"].startswith("'=")  # a spreadsheet shows it, never runs it
    assert rows[0]["tags"] == "x; y"
    assert rows[1]["title"] == "自助開通 SIM 卡"
    data = json.loads("".join(exports.as_json(exports.export_ideas(organiser, campaign.id).rows)))
    assert [row["title"] for row in data][1] == "自助開通 SIM 卡"
    assert json.loads("".join(exports.as_json(iter([])))) == []


def test_negative_scores_stay_numbers_in_csv(app, organiser):
    campaign = f.make_campaign()
    idea = f.make_idea(campaign)
    votes.cast_vote(f.make_user(), idea.id, -1)
    text = "".join(exports.as_csv(exports.export_ideas(organiser, campaign.id).rows))
    assert list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))[0]["score"] == "-1"


@pytest.mark.parametrize("role", [Role.PARTICIPANT])
def test_participants_cannot_export(app, role):
    campaign = f.make_campaign()
    with pytest.raises(PermissionDenied):
        exports.export_ideas(f.make_user(role=role), campaign.id)
