"""Exports of a campaign's ideas for the people who run it: CSV and JSON, streamed in batches
so a jam of fifty thousand ideas leaves the server in constant memory.

Published ideas only (hidden and waiting ones are moderation matters, not results), with
their votes, "best" score, pairwise chance, comments, status, tags and who proposed them by
kind, department and country — never by name or email.
"""
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select

from app.domain import campaigns, ideas, permissions
from app.domain.errors import PermissionDenied
from app.extensions import db
from app.models import Campaign, Idea, Tag, User, idea_tags

BATCH = 2_000
COLUMNS = ("id", "title", "status", "score", "up_votes", "down_votes", "best_score", "pairwise_chance",
           "comments", "tags", "author_kind", "author_department", "author_country", "created_at",
           "merged_into")
# A spreadsheet runs a cell starting with one of these as a formula; a quote keeps it text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class IdeaExport:
    campaign: Campaign
    rows: Iterator[dict]


def export_ideas(viewer, campaign_id) -> IdeaExport:
    """The published ideas of a campaign as dicts, oldest first (organisers only). Checks
    access at once; the rows are read batch by batch as they are consumed."""
    campaign = campaigns.get_campaign(viewer, campaign_id)
    if not permissions.can_export_ideas(viewer):
        raise PermissionDenied()
    return IdeaExport(campaign, _rows(campaign.id))


def _rows(campaign_id):
    after = 0
    while True:
        batch = db.session.execute(
            select(Idea.id, Idea.title, Idea.status, Idea.score, Idea.up_count, Idea.down_count, Idea.best_score,
                   Idea.pairwise_chance, Idea.comment_count, Idea.created_at, Idea.merged_into_id,
                   User.kind, User.department, User.country)
            .join(User, User.id == Idea.author_id)
            .where(Idea.campaign_id == campaign_id, ideas.published_clause(), Idea.id > after)
            .order_by(Idea.id).limit(BATCH)).all()
        if not batch:
            return
        tags = {}
        for idea_id, name in db.session.execute(
                select(idea_tags.c.idea_id, Tag.name).join(Tag, Tag.id == idea_tags.c.tag_id)
                .where(idea_tags.c.idea_id.in_([row.id for row in batch])).order_by(Tag.name)):
            tags.setdefault(idea_id, []).append(name)
        for row in batch:
            yield {
                "id": row.id, "title": row.title, "status": row.status.value, "score": row.score,
                "up_votes": row.up_count, "down_votes": row.down_count,
                "best_score": round(row.best_score, 4),
                "pairwise_chance": round(row.pairwise_chance, 4), "comments": row.comment_count,
                "tags": tags.get(row.id, []), "author_kind": row.kind.value,
                "author_department": row.department or "", "author_country": row.country or "",
                "created_at": row.created_at.isoformat(), "merged_into": row.merged_into_id,
            }
        after = batch[-1].id


def _cell(value):
    if isinstance(value, list):
        value = "; ".join(value)
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def as_csv(rows):
    """CSV text in chunks: a UTF-8 byte-order mark (so spreadsheets read Chinese titles right),
    a header, then one line per idea; cells that a spreadsheet would run as formulas stay text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(row[column]) for column in COLUMNS])
        yield buffer.getvalue()


def as_json(rows):
    """A JSON array in chunks, one idea per line."""
    yield "["
    first = True
    for row in rows:
        yield ("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "\n]\n"
