"""Ideas: submitting, editing (with kept versions), listing, searching and following."""
import enum
import math
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.domain import activity, campaigns, conduct, events, languages, limits, permissions, ranking, search
from app.domain.clock import utcnow
from app.domain.errors import AuthenticationRequired, NotFound, PermissionDenied
from app.domain.paging import Page
from app.domain import sqlfunctions
from app.domain.sqlfunctions import logaddexp
from app.domain.text import clean_block, clean_line, render_markdown
from app.domain.validation import FieldErrors, bounded_int, parse_id
from app.extensions import db
from app.models import (Campaign, ContentState, EventVisibility, Idea, IdeaFollow, IdeaSearchTerm,
                        IdeaStatus, IdeaStatusChange, IdeaVersion, Tag, Vote, idea_tags)

TITLE_MIN = 5
TITLE_MAX = 160
BODY_MAX = 10_000
TAG_MAX = 30
TAGS_MAX = 5
QUERY_MAX = 200
PER_PAGE_MAX = 100
# Lists page over at most this many ideas in any order (an OFFSET deeper than that walks the
# index that far); past it, a tag or a search narrows the list.
PAGED_IDEAS_MAX = 10_000
# A search or tag filter counts its matches up to this many ("1,000+"), pages over these.
COUNTED_MATCHES_MAX = 1_000

# Trending weights: how much each kind of activity counts.
WEIGHT_NEW_IDEA = 2.0
WEIGHT_UP_VOTE = 1.0
WEIGHT_COMMENT = 2.0
_TRENDING_EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)


class IdeaSort(enum.Enum):
    """The orders of a campaign's idea list; docs/RANKING.md defines each in one sentence."""

    BEST = "best"
    RANKED = "ranked"
    TOP = "top"
    NEWEST = "newest"
    DISCUSSED = "discussed"
    TRENDING = "trending"


#: Ideas in these statuses take no further part in ranking: they are never served in a pair,
#: and the pairwise fit leaves them out.
UNRANKED_STATUSES = (IdeaStatus.DECLINED, IdeaStatus.DUPLICATE)


def rankable_clause():
    """SQL condition: the idea still competes in its campaign's ranking (published, and
    neither declined nor merged away)."""
    return Idea.status.not_in(UNRANKED_STATUSES) & published_clause()


def published_clause():
    """SQL condition: everyone who can see the campaign can see the idea."""
    return Idea.content_state == ContentState.PUBLISHED


def visible_ideas_clause(user):
    """A SQL condition selecting the ideas ``user`` may see now (mirrors
    permissions.can_view_idea); the query must join the idea's Campaign."""
    condition = campaigns.visible_campaigns_clause(user)
    if permissions.is_moderator(user):
        return condition
    if permissions.is_authenticated(user):
        return condition & (published_clause() | (Idea.author_id == user.id))
    return condition & published_clause()


def stream_visibility(post):
    """Entries about a pending or hidden post go to moderators only."""
    return (EventVisibility.PUBLIC if post.content_state is ContentState.PUBLISHED
            else EventVisibility.MODERATORS)


def trending_increment(weight: float, at: datetime | None = None) -> float:
    """The log-weight one activity adds to an idea's trending sum.

    Trending is log(sum of weight * e^((t - epoch) / timescale)) over an idea's activity.
    Every idea decays at the same rate, so comparing these sums ranks recent activity
    first without ever rewriting old rows; log-space keeps the numbers small.
    """
    at = at or utcnow()
    hours = (at - _TRENDING_EPOCH).total_seconds() / 3600
    return hours / current_app.config["TRENDING_TIMESCALE_HOURS"] + math.log(weight)


def bump_trending(idea_id, weight):
    """An UPDATE adding one activity to an idea's trending sum (atomic, no read first)."""
    return (update(Idea).where(Idea.id == idea_id)
            .values(trending=logaddexp(Idea.trending, trending_increment(weight))))


def insert_ignoring_duplicates(model):
    """INSERT ... ON CONFLICT DO NOTHING for the session's database."""
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(model).on_conflict_do_nothing()


def parse_tags(raw, errors):
    """Tags from a comma-separated string or a list: trimmed, lowercased, unique, in order."""
    if raw is None:
        return []
    # Chinese keyboards type the full-width comma or the enumeration comma.
    items = re.split(r"[,，、]", raw) if isinstance(raw, str) else raw
    if not isinstance(items, (list, tuple)):
        errors.add("tags", _l("Give tags as a list of words."))
        return []
    tags = []
    for item in items:
        name = clean_line(item).lower().lstrip("#")
        if not name:
            continue
        if len(name) > TAG_MAX:
            errors.add("tags", _l("Each tag can have at most %(n)d characters.", n=TAG_MAX))
        elif name not in tags:
            tags.append(name)
    if len(tags) > TAGS_MAX:
        errors.add("tags", _l("Use at most %(n)d tags.", n=TAGS_MAX))
    return tags


def _validated(title, body, tags, language=None, *, current_language=None):
    """Cleaned title, body, tags and language. A ``language`` of None keeps
    ``current_language`` (an edit that does not say), else "auto" detects it."""
    errors = FieldErrors()
    title = errors.text("title", clean_line(title), max_length=TITLE_MAX, min_length=TITLE_MIN)
    body = errors.text("body", clean_block(body), max_length=BODY_MAX)
    tags = parse_tags(tags, errors)
    if language is None and current_language is not None:
        language = current_language
    else:
        language = languages.parse_language(errors, "language", language,
                                            text=f"{title or ''} {body or ''}")
    errors.raise_if_any()
    return title, body, tags, language


def _tag_rows(names):
    if not names:
        return []
    db.session.execute(insert_ignoring_duplicates(Tag).values([{"name": n} for n in names]))
    rows = {t.name: t for t in db.session.scalars(select(Tag).where(Tag.name.in_(names)))}
    return [rows[n] for n in names]


def _reindex(idea):
    db.session.execute(delete(IdeaSearchTerm).where(IdeaSearchTerm.idea_id == idea.id))
    text = " ".join([idea.title, idea.body, *[t.name for t in idea.tags]])
    terms = search.index_terms(text)
    if terms:
        db.session.execute(insert_ignoring_duplicates(IdeaSearchTerm),
                           [{"idea_id": idea.id, "term": t} for t in terms])


def follow_idea_row(user_id, idea_id):
    """Statement making a person follow an idea, harmless when they already do."""
    return insert_ignoring_duplicates(IdeaFollow).values(user_id=user_id, idea_id=idea_id,
                                                          created_at=utcnow())


def submit_idea(user, campaign_id, *, title, body, tags=None, accept_code_of_conduct=False,
                language=None):
    """Post a new idea to an open campaign the person takes part in; they follow it.

    ``language`` is "en" or "zh" as the author marks it; None or "auto" detects it.

    The campaign's code of conduct must be accepted first (``accept_code_of_conduct``
    records it with the post); its pace limit applies; in a pre-moderated campaign the
    idea waits, unseen by others, for a moderator's approval.
    """
    campaign = campaigns.get_campaign(user, campaign_id)
    campaigns.ensure_can_take_part(user, campaign)
    title, body, tag_names, language = _validated(title, body, tags, language)
    conduct.ensure_conduct_accepted(user, campaign, accept_code_of_conduct)
    limits.ensure_within_limit(user, campaign, limits.IDEAS)
    now = utcnow()
    idea = Idea(campaign_id=campaign.id, author_id=user.id, title=title, body=body,
                body_html=render_markdown(body), language=language, created_at=now,
                trending=trending_increment(WEIGHT_NEW_IDEA, now), best_score=ranking.best_score(0, 0),
                content_state=campaigns.initial_content_state(user, campaign))
    idea.tags = _tag_rows(tag_names)
    db.session.add(idea)
    db.session.flush()
    db.session.add(IdeaVersion(idea_id=idea.id, number=1, title=title, body=body,
                               tags=",".join(tag_names), editor_id=user.id, created_at=now))
    db.session.add(IdeaStatusChange(idea_id=idea.id, from_status=None, to_status=IdeaStatus.SUBMITTED,
                                    actor_id=user.id, created_at=now))
    _reindex(idea)
    db.session.execute(follow_idea_row(user.id, idea.id))
    activity.record_participation(user, campaign.id, now)
    activity.tally_idea(idea.id, +1)
    if idea.content_state is ContentState.PUBLISHED:
        count_published(campaign.id, +1)
    events.record_campaign_event(campaign.id, "idea.created", idea_summary(idea), idea_id=idea.id,
                                 visibility=stream_visibility(idea))
    db.session.commit()
    return idea


def count_published(campaign_id, delta):
    """Keep the campaign's idea count to what everyone can see."""
    db.session.execute(update(Campaign).where(Campaign.id == campaign_id)
                       .values(idea_count=Campaign.idea_count + delta))


def edit_idea(user, idea_id, *, title, body, tags=None, language=None):
    """The author changes an idea while its campaign is open; the earlier text is kept.
    ``language`` None keeps the idea's language; "auto" detects it again."""
    idea = get_idea(user, idea_id)
    if not permissions.can_edit_idea(user, idea):
        raise PermissionDenied(_l("Only the author can edit this idea."), code="not_author")
    campaigns.ensure_open(idea.campaign)
    apply_idea_edit(user, idea, title, body, tags, language)
    db.session.commit()
    return idea


def apply_idea_edit(editor, idea, title, body, tags, language=None):
    """Validate and write a new version of an idea, inside the caller's transaction.
    Returns False (and writes nothing) when nothing changed."""
    title, body, tag_names, language = _validated(title, body, tags, language,
                                                  current_language=idea.language)
    if (title, body, tag_names) == (idea.title, idea.body, [t.name for t in idea.tags]):
        if language == idea.language:
            return False
        idea.language = language  # the language alone is no new version of the text
        events.record_campaign_event(idea.campaign_id, "idea.edited", idea_summary(idea),
                                     idea_id=idea.id, visibility=stream_visibility(idea))
        return True
    idea.language = language
    now = utcnow()
    idea.title, idea.body, idea.body_html = title, body, render_markdown(body)
    if tag_names != [t.name for t in idea.tags]:
        with activity.retallied(idea):
            idea.tags = _tag_rows(tag_names)
    idea.version += 1
    idea.edited_at = now
    db.session.add(IdeaVersion(idea_id=idea.id, number=idea.version, title=title, body=body,
                               tags=",".join(tag_names), editor_id=editor.id, created_at=now))
    if editor.id != idea.author_id:
        idea.moderator_edited_at = now
    db.session.flush()
    _reindex(idea)
    events.record_campaign_event(idea.campaign_id, "idea.edited", idea_summary(idea), idea_id=idea.id,
                                 visibility=stream_visibility(idea))
    return True


def idea_summary(idea) -> dict:
    """What every viewer of a campaign may know of an idea, as plain data for live updates."""
    return {
        "id": idea.id, "campaign_id": idea.campaign_id, "title": idea.title,
        "body_html": idea.body_html, "language": idea.language, "tags": [t.name for t in idea.tags],
        "author": {"id": idea.author_id, "display_name": idea.author.display_name,
                   "kind": idea.author.kind.value},
        "up_count": idea.up_count, "down_count": idea.down_count, "score": idea.score,
        "comment_count": idea.comment_count, "version": idea.version,
        "status": (idea.status or IdeaStatus.SUBMITTED).value,
        "moderator_edited": idea.moderator_edited_at is not None,
        "comments_locked": bool(idea.comments_locked),
        "created_at": idea.created_at.isoformat(),
        "edited_at": idea.edited_at.isoformat() if idea.edited_at else None,
    }


def get_idea(user, idea_id):
    """An idea the person may see (its campaign visible), or NotFound."""
    idea_id = parse_id(idea_id)
    idea = db.session.get(Idea, idea_id) if idea_id is not None else None
    if idea is None or not permissions.can_view_idea(user, idea):
        raise NotFound(_l("We could not find that idea."))
    return idea


def list_versions(user, idea_id):
    idea = get_idea(user, idea_id)
    return db.session.scalars(select(IdeaVersion).where(IdeaVersion.idea_id == idea.id)
                              .order_by(IdeaVersion.number.desc())).all()


@dataclass
class IdeaPage(Page):
    """A page of a campaign's ideas, with the viewer's votes and the list's settings."""

    my_votes: dict = None
    sort: IdeaSort = None
    tag: str | None = None
    q: str = ""
    more: bool = False  # more ideas match than ``total`` counts (a search counts to 1,000)

    @property
    def pages(self):
        return max(1, -(-min(self.total, PAGED_IDEAS_MAX) // self.per_page))


def best_score_expression():
    """``ranking.best_score`` in SQL, from the idea's own counts (it needs nothing else)."""
    return sqlfunctions.best_score(Idea.up_count, Idea.down_count)


def keep_best_scores(idea_ids):
    """After vote counts changed, inside the caller's transaction: work out these ideas'
    "best" scores again. The score depends on an idea's own counts only, so no other idea
    (and no campaign row) is touched.

    Lock order (PostgreSQL) of every campaign write: idea rows first, then the campaign row
    (the stream's number, ``events.next_seq``), then per-person tallies. The caller already
    holds these ideas, so this takes no lock the order does not allow."""
    if idea_ids:
        db.session.execute(update(Idea).where(Idea.id.in_(sorted(idea_ids)))
                           .values(best_score=best_score_expression()))


def rescore_best(campaign_id):
    """Work out every idea's "best" score from its counts (after a bulk import), inside the
    caller's transaction."""
    db.session.execute(update(Idea).where(Idea.campaign_id == campaign_id)
                       .values(best_score=best_score_expression()))


_ORDER = {
    IdeaSort.BEST: (Idea.best_score.desc(), Idea.id.desc()),
    IdeaSort.RANKED: (Idea.pairwise_chance.desc(), Idea.id.desc()),
    IdeaSort.TOP: (Idea.score.desc(), Idea.id.desc()),
    IdeaSort.NEWEST: (Idea.created_at.desc(), Idea.id.desc()),
    IdeaSort.DISCUSSED: (Idea.comment_count.desc(), Idea.id.desc()),
    IdeaSort.TRENDING: (Idea.trending.desc(), Idea.id.desc()),
}


def top_sort(campaign):
    """The sort of the campaign's top list: the order every leaderboard of the campaign shows
    (its page's list and results, the dashboard, the wall, the one-page summary) unless a
    person picks another sort. The pairwise ranking where the campaign runs on pairs alone;
    otherwise "best", which needs no extra step from anyone (with both modes, the pairwise
    ranking stays one click away and on its own page)."""
    if campaigns.allows_pairwise(campaign) and not campaigns.allows_up_down(campaign):
        return IdeaSort.RANKED
    return IdeaSort.BEST


def available_sorts(campaign):
    """The sorts that make sense for a campaign's voting mode, its ``top_sort`` first."""
    vote_sorts = []
    if campaigns.allows_up_down(campaign):
        vote_sorts += [IdeaSort.BEST, IdeaSort.TOP]
    if campaigns.allows_pairwise(campaign):
        vote_sorts.insert(1 if vote_sorts else 0, IdeaSort.RANKED)
    sorts = vote_sorts + [IdeaSort.TRENDING, IdeaSort.NEWEST, IdeaSort.DISCUSSED]
    first = top_sort(campaign)
    return [first] + [sort for sort in sorts if sort is not first]


def parse_sort(value, campaign, errors=None):
    """The chosen sort if the campaign offers it; else its default (or an error, strictly)."""
    sorts = available_sorts(campaign)
    if isinstance(value, IdeaSort) and value in sorts:
        return value
    if value in (None, ""):
        return sorts[0]
    try:
        sort = IdeaSort(value)
    except ValueError:
        sort = None
    if sort in sorts:
        return sort
    if errors is not None:
        errors.add("sort", _l("Sort by one of: %(sorts)s.", sorts=", ".join(s.value for s in sorts)))
    return sorts[0]


def list_ideas(user, campaign_id, *, sort=None, tag=None, q=None, page=1, per_page=None,
               strict=False):
    """One page of a campaign's ideas with the total count and the viewer's own votes.

    With ``strict`` (the API), unknown sorts and bad page numbers are errors; pages
    forgive them and fall back to defaults.
    """
    campaign = campaigns.get_campaign(user, campaign_id)
    errors = FieldErrors()
    sort = parse_sort(sort, campaign, errors if strict else None)
    default_size = current_app.config["IDEAS_PER_PAGE"]
    page = bounded_int(errors, "page", page, 1, 1, 1_000_000)
    per_page = bounded_int(errors, "per_page", per_page, default_size, 1, PER_PAGE_MAX)
    q = clean_line(q)
    if len(q) > QUERY_MAX:
        errors.add("q", _l("Use at most %(n)d characters.", n=QUERY_MAX))
        q = q[:QUERY_MAX]
    tag = clean_line(tag).lower() or None
    if strict:
        errors.raise_if_any()

    stmt = select(Idea).where(Idea.campaign_id == campaign.id, published_clause())
    if tag:
        # Driven from the tag's rows (an index range), not checked idea by idea down the sort.
        stmt = stmt.where(Idea.id.in_(select(idea_tags.c.idea_id).join(Tag, Tag.id == idea_tags.c.tag_id)
                                      .where(Tag.name == tag)))
    for matching in search.matching_idea_ids(q) or ():
        stmt = stmt.where(Idea.id.in_(matching))
    if tag or q:
        # Counted up to the window only: a word found in 8,000 ideas costs no more than one in 1,000.
        found = db.session.scalar(select(func.count()).select_from(
            stmt.with_only_columns(Idea.id).limit(COUNTED_MATCHES_MAX + 1).subquery()))
        total, more = min(found, COUNTED_MATCHES_MAX), found > COUNTED_MATCHES_MAX
    else:
        total, more = campaign.idea_count, False  # kept with every publish, hide and restore
    reachable = min(total, PAGED_IDEAS_MAX)
    if not strict:  # a page past the end shows the last one; the API answers it empty
        page = min(page, max(1, -(-reachable // per_page)))
    items = db.session.scalars(
        stmt.order_by(*_ORDER[sort]).limit(per_page).offset((page - 1) * per_page)
    ).all() if (page - 1) * per_page < reachable else []
    return IdeaPage(items=items, total=total, page=page, per_page=per_page,
                    my_votes=votes_of(user, [i.id for i in items]), sort=sort, tag=tag, q=q,
                    more=more)


def top_ideas(campaign_id, sort, limit):
    """The first ``limit`` published ideas of a campaign in a sort, without counting the rest
    (the caller checked the viewer may see the campaign). Ideas merged into another are left
    out: their votes went to the idea they joined, which stands for them on a leaderboard."""
    return db.session.scalars(select(Idea).where(Idea.campaign_id == campaign_id, published_clause(),
                                                 Idea.merged_into_id.is_(None))
                              .order_by(*_ORDER[sort]).limit(limit)).all()


def votes_of(user, idea_ids):
    """The viewer's own vote (+1 / -1) on each of these ideas, in one query."""
    if not permissions.is_authenticated(user) or not idea_ids:
        return {}
    rows = db.session.execute(select(Vote.idea_id, Vote.value)
                              .where(Vote.user_id == user.id, Vote.idea_id.in_(idea_ids)))
    return dict(rows.all())


def popular_tags(user, campaign_id, limit=15):
    """The campaign's most used tags, for the filter: read from the kept tag tallies
    (published ideas per tag, app.domain.activity), so the cost does not grow with the jam."""
    from app.models import TagTally

    campaign = campaigns.get_campaign(user, campaign_id)
    rows = db.session.execute(
        select(Tag.name, TagTally.ideas).join(Tag, Tag.id == TagTally.tag_id)
        .where(TagTally.scope == campaign.id, TagTally.ideas > 0)
        .order_by(TagTally.ideas.desc(), Tag.name).limit(limit)
    )
    return [(name, n) for name, n in rows]


def is_following(user, idea_id) -> bool:
    if not permissions.is_authenticated(user):
        return False
    return db.session.get(IdeaFollow, (user.id, idea_id)) is not None


def follow_idea(user, idea_id):
    """Follow an idea to hear about its comments and changes."""
    if not permissions.is_authenticated(user):
        raise AuthenticationRequired()
    idea = get_idea(user, idea_id)
    db.session.execute(follow_idea_row(user.id, idea.id))
    db.session.commit()
    return idea


def unfollow_idea(user, idea_id):
    """Stop following an idea (authors and commenters too)."""
    if not permissions.is_authenticated(user):
        raise AuthenticationRequired()
    idea = get_idea(user, idea_id)
    db.session.execute(delete(IdeaFollow).where(IdeaFollow.user_id == user.id,
                                                IdeaFollow.idea_id == idea.id))
    db.session.commit()
    return idea


def list_ideas_by_author(viewer, author_id, limit=50):
    """A person's ideas in campaigns the viewer may see, newest first; their pending and
    hidden ideas only for themselves and the moderators."""
    stmt = (select(Idea).join(Campaign, Campaign.id == Idea.campaign_id)
            .where(Idea.author_id == author_id, campaigns.visible_campaigns_clause(viewer)))
    own = permissions.is_authenticated(viewer) and viewer.id == author_id
    if not (own or permissions.is_moderator(viewer)):
        stmt = stmt.where(published_clause())
    return db.session.scalars(stmt.order_by(Idea.created_at.desc()).limit(limit)).all()


def patch_idea(user, idea_id, changes):
    """Edit some of an idea's fields (``changes`` holds any of title, body, tags, language);
    the fields left out keep their current values. Same rules as edit_idea."""
    idea = get_idea(user, idea_id)
    current = {"title": idea.title, "body": idea.body, "tags": [t.name for t in idea.tags],
               "language": idea.language}
    unknown = set(changes) - set(current)
    if unknown:
        raise TypeError(f"patch_idea got unknown fields: {sorted(unknown)}")
    return edit_idea(user, idea.id, **{**current, **changes})
