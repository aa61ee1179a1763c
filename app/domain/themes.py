"""Themes: what a campaign's ideas are about, found while the jam runs.

``refresh_themes`` groups a campaign's published ideas into themes (``domain.clustering``
has the maths) and writes them; the server refreshes a campaign at most every
``THEMES_REFRESH_SECONDS`` after its ideas changed (``app.realtime``), with the
computation in a child process (``app.offload``), and ``flask jam refresh-themes`` does it
by hand. Everyone who may see a campaign sees its themes (``list_themes``): each with its
name, size, growth in the last hour and best ideas. Moderators rename and merge themes;
a refresh matches its new groups to the earlier themes by the ideas they share, so names
and merges survive it.
"""
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, select, update

from app import offload
from app.domain import audit, campaigns, clustering, events, idea_vectors, permissions
from app.domain.clock import utcnow
from app.domain.duplicates import suggestable_clause
from app.domain.errors import Conflict, NotFound, PermissionDenied
from app.domain.ideas import insert_ignoring_duplicates
from app.domain.text import clean_line
from app.domain.validation import FieldErrors, parse_id
from app.extensions import db
from app.models import Campaign, Idea, Theme, ThemeIdea, ThemeRefresh

NAME_MAX = 80
TOP_IDEAS = 3
SUMMARY_THEMES = 8
GROWTH_WINDOW = timedelta(hours=1)
LOAD_PAGE = 5_000
# Stream entries after which a campaign's themes are out of date.
CHANGING_KINDS = ("idea.created", "idea.edited", "idea.hidden", "idea.restored", "idea.merged",
                  "idea.unmerged")
ANNOUNCED_THEMES = 12


@dataclass
class ThemeSummary:
    """A theme as people see it. ``name`` is the moderator's name or else the automatic
    label; ``top_ideas`` are its best published ideas now (by the "best" sort), as rows of
    ``id``, ``title``, ``up_count``, ``down_count``, ``score`` and ``best_score``."""

    id: int
    campaign_id: int
    name: str
    label: str
    named: bool
    terms: list
    size: int
    growth_last_hour: int
    top_ideas: list = field(default_factory=list)


@dataclass
class RefreshResult:
    campaign_id: int
    themes: int
    ideas: int
    seconds: float


def _campaign_and_check(viewer, campaign_id):
    campaign = campaigns.get_campaign(viewer, campaign_id)
    if not permissions.can_view_themes(viewer, campaign):
        raise NotFound(_l("We could not find that campaign."))
    return campaign


def list_themes(viewer, campaign_id, limit=None):
    """A campaign's themes, largest first, for whoever may see the campaign: [ThemeSummary]
    with ``name``, ``size``, ``growth_last_hour`` and ``top_ideas``. Empty until the
    first refresh (and while the campaign has fewer than a handful of ideas)."""
    campaign = _campaign_and_check(viewer, campaign_id)
    stmt = (select(Theme).where(Theme.campaign_id == campaign.id, Theme.merged_into_id.is_(None),
                                Theme.size > 0)
            .order_by(Theme.size.desc(), Theme.id))
    if limit:
        stmt = stmt.limit(limit)
    rows = db.session.scalars(stmt).all()
    return _summaries(campaign, rows)


def _summaries(campaign, rows, *, keep_empty=False):
    """What readers see of these themes now. A theme whose every idea was hidden or merged
    away since the last refresh is left out of lists (``keep_empty`` keeps it, at size 0, for
    the moderator acting on that one theme)."""
    if not rows:
        return []
    theme_ids = [theme.id for theme in rows]
    growth = dict(db.session.execute(
        select(ThemeIdea.theme_id, func.count())
        .join(Idea, Idea.id == ThemeIdea.idea_id)
        .where(Idea.campaign_id == campaign.id, Idea.created_at >= utcnow() - GROWTH_WINDOW,
               ThemeIdea.theme_id.in_(theme_ids), suggestable_clause())
        .group_by(ThemeIdea.theme_id)).all())
    wanted = {idea_id for theme in rows for idea_id in theme.top_idea_ids or []}
    # Only what a summary shows: full ideas (bodies, tags, authors) cost more than the page
    # that lists them.
    shown = {idea.id: idea for idea in db.session.execute(
        select(Idea.id, Idea.title, Idea.up_count, Idea.down_count, Idea.score, Idea.best_score)
        .where(Idea.id.in_(wanted), Idea.campaign_id == campaign.id, suggestable_clause()))} if wanted else {}
    sizes = _visible_sizes(theme_ids)
    words = _visible_words(campaign, [theme for theme in rows if sizes.get(theme.id, 0) < theme.size])
    summaries = []
    for theme in rows:
        if not sizes.get(theme.id) and not keep_empty:
            continue  # every idea of the theme was hidden or merged away since the last refresh
        best = sorted((shown[i] for i in theme.top_idea_ids or [] if i in shown),
                      key=lambda idea: (-idea.best_score, -idea.id))
        terms, label = list(theme.terms or []), theme.label
        if theme.id in words:
            terms = [term for term in terms if term.lower() in words[theme.id]]
            label = " · ".join(terms[:clustering.LABEL_TERMS])
        summaries.append(ThemeSummary(
            id=theme.id, campaign_id=theme.campaign_id, name=theme.name or label, label=label,
            named=bool(theme.name), terms=terms, size=sizes.get(theme.id, 0),
            growth_last_hour=growth.get(theme.id, 0), top_ideas=best[:TOP_IDEAS]))
    return summaries


def _visible_sizes(theme_ids):
    """How many ideas each theme holds that everyone may still see: one hidden, merged or
    sent back for approval since the last refresh no longer counts."""
    return dict(db.session.execute(
        select(ThemeIdea.theme_id, func.count()).join(Idea, Idea.id == ThemeIdea.idea_id)
        .where(ThemeIdea.theme_id.in_(theme_ids), suggestable_clause())
        .group_by(ThemeIdea.theme_id)).all())


def _visible_words(campaign, withdrawn_from):
    """For themes that lost an idea since the last refresh: the lowercased text of the ideas
    they still show, so that their words (label and terms, worked out when the lost idea
    was still there) keep only those that someone may still read. {theme id: text}"""
    if not withdrawn_from:
        return {}
    texts = {theme.id: [] for theme in withdrawn_from}
    for theme_id, title, body in db.session.execute(
            select(ThemeIdea.theme_id, Idea.title, Idea.body).join(Idea, Idea.id == ThemeIdea.idea_id)
            .where(ThemeIdea.theme_id.in_(texts), Idea.campaign_id == campaign.id, suggestable_clause())):
        texts[theme_id].append(f"{title}\n{body}".lower())
    return {theme_id: "\n".join(parts) for theme_id, parts in texts.items()}


def get_theme(viewer, theme_id):
    """A theme of a campaign the viewer may see, or NotFound."""
    theme_id = parse_id(theme_id)
    theme = db.session.get(Theme, theme_id) if theme_id is not None else None
    if theme is None:
        raise NotFound(_l("We could not find that theme."))
    try:
        _campaign_and_check(viewer, theme.campaign_id)
    except NotFound:
        raise NotFound(_l("We could not find that theme.")) from None
    return theme


def get_theme_summary(viewer, theme_id):
    theme = get_theme(viewer, theme_id)
    return _summaries(db.session.get(Campaign, theme.campaign_id), [theme], keep_empty=True)[0]


def last_refresh(viewer, campaign_id):
    """When the campaign's themes were last worked out (a ThemeRefresh), or None."""
    campaign = _campaign_and_check(viewer, campaign_id)
    state = db.session.get(ThemeRefresh, campaign.id)
    return state if state is not None and state.refreshed_at is not None else None


# --- moderators' edits --------------------------------------------------------------------

def _editable(actor, theme_id):
    theme = get_theme(actor, theme_id)
    if not permissions.can_edit_themes(actor, db.session.get(Campaign, theme.campaign_id)):
        raise PermissionDenied()
    if theme.merged_into_id is not None:
        raise Conflict(_l("This theme was merged into another."), code="theme_merged")
    return theme


def _edited(campaign_id):
    """Count a moderator's edit: a refresh computing meanwhile drops its result."""
    _state(campaign_id)
    db.session.execute(update(ThemeRefresh).where(ThemeRefresh.campaign_id == campaign_id)
                       .values(version=ThemeRefresh.version + 1))


def rename_theme(actor, theme_id, *, name):
    """Give a theme a name (moderators and admins); an empty name goes back to the
    automatic label. The name stays through later refreshes."""
    theme = _editable(actor, theme_id)
    errors = FieldErrors()
    name = errors.text("name", clean_line(name), max_length=NAME_MAX, required=False)
    errors.raise_if_any()
    name = name or None
    if name == theme.name:
        return theme
    before = theme.name
    theme.name = name
    _edited(theme.campaign_id)
    audit.record_audit(actor, "theme.rename", target_type="theme", target_id=theme.id,
                       campaign_id=theme.campaign_id, before={"name": before}, after={"name": name})
    _announce(theme.campaign_id)
    db.session.commit()
    return theme


def merge_themes(actor, theme_id, *, into):
    """Merge a theme into another of the same campaign (moderators and admins): its ideas
    join ``into``, which keeps its name; later refreshes keep them together."""
    source = _editable(actor, theme_id)
    errors = FieldErrors()
    target_id = parse_id(into)
    target = db.session.get(Theme, target_id) if target_id is not None else None
    if target is None or target.campaign_id != source.campaign_id or target.merged_into_id is not None:
        errors.add("into", _l("Choose another theme of the same campaign."))
    elif target.id == source.id:
        errors.add("into", _l("A theme cannot be merged into itself."))
    errors.raise_if_any()
    db.session.execute(update(ThemeIdea).where(ThemeIdea.theme_id == source.id)
                       .values(theme_id=target.id))
    db.session.execute(update(Theme).where(Theme.merged_into_id == source.id)
                       .values(merged_into_id=target.id))
    target.size += source.size
    target.top_idea_ids = list(dict.fromkeys((target.top_idea_ids or []) + (source.top_idea_ids or [])))
    source.merged_into_id, source.size, source.top_idea_ids = target.id, 0, []
    target.updated_at = source.updated_at = utcnow()
    _edited(source.campaign_id)
    audit.record_audit(actor, "theme.merge", target_type="theme", target_id=source.id,
                       campaign_id=source.campaign_id,
                       before={"name": source.display_name},
                       after={"merged_into": target.id, "name": target.display_name})
    _announce(source.campaign_id)
    db.session.commit()
    return target


def _announce(campaign_id):
    """Tell open pages the themes changed: ids, names and sizes of the largest ones only
    (names are moderators' words or words of published ideas)."""
    db.session.flush()
    rows = db.session.execute(
        select(Theme.id, Theme.name, Theme.label, Theme.size)
        .where(Theme.campaign_id == campaign_id, Theme.merged_into_id.is_(None), Theme.size > 0)
        .order_by(Theme.size.desc(), Theme.id).limit(ANNOUNCED_THEMES)).all()
    events.record_campaign_event(campaign_id, "themes.updated", {
        "themes": [{"id": row.id, "name": row.name or row.label, "size": row.size} for row in rows]})


# --- refreshing -----------------------------------------------------------------------------

def _state(campaign_id):
    db.session.execute(insert_ignoring_duplicates(ThemeRefresh).values(campaign_id=campaign_id))
    return db.session.get(ThemeRefresh, campaign_id)


def _published_ideas(campaign_id, pause):
    rows, after = [], 0
    while True:
        page = db.session.execute(
            select(Idea.id, Idea.title, Idea.body, Idea.best_score)
            .where(Idea.campaign_id == campaign_id, Idea.id > after, suggestable_clause())
            .order_by(Idea.id).limit(LOAD_PAGE)).all()
        rows.extend(tuple(row) for row in page)
        if len(page) < LOAD_PAGE:
            return rows
        after = page[-1][0]
        if pause:
            pause()


def refresh_themes(campaign_id, *, pause=None):
    """Work out a campaign's themes and each idea's nearest idea again, and record a
    ``themes.updated`` stream entry. Returns a RefreshResult, or None when the campaign is
    gone or its themes changed meanwhile (another process refreshed them, or a moderator
    edited one: the next refresh starts from that). ``pause`` runs between pages read."""
    started = time.monotonic()
    if db.session.get(Campaign, campaign_id) is None:
        return None
    version = _state(campaign_id).version
    db.session.commit()
    rows = _published_ideas(campaign_id, pause)
    vectors = [row[3] for row in idea_vectors.with_vectors([row[:3] for row in rows])]
    ideas = [(*row, vector) for row, vector in zip(rows, vectors)]
    previous = {}
    for idea_id, theme_id in db.session.execute(
            select(ThemeIdea.idea_id, ThemeIdea.theme_id)
            .join(Theme, Theme.id == ThemeIdea.theme_id)
            .where(ThemeIdea.campaign_id == campaign_id, Theme.merged_into_id.is_(None))):
        previous.setdefault(theme_id, []).append(idea_id)
    held = sorted(set(db.session.scalars(
        select(Theme.merged_into_id).where(Theme.campaign_id == campaign_id,
                                           Theme.merged_into_id.is_not(None)))))
    db.session.commit()  # nothing is held open while the themes are computed

    run = offload.run(clustering.compute_themes, ideas, previous, held)
    if run.vectors:  # computed once, kept for the look-ups and the next refresh
        texts = {row[0]: row[1:3] for row in rows}
        idea_vectors.store_vectors((idea_id, campaign_id, *texts[idea_id], vector)
                                   for idea_id, vector in run.vectors.items())
    claimed = db.session.execute(
        update(ThemeRefresh).where(ThemeRefresh.campaign_id == campaign_id,
                                   ThemeRefresh.version == version)
        .values(version=ThemeRefresh.version + 1)).rowcount
    if not claimed:
        db.session.rollback()
        return None
    _write(campaign_id, rows, run)
    seconds = time.monotonic() - started
    db.session.execute(update(ThemeRefresh).where(ThemeRefresh.campaign_id == campaign_id).values(
        refreshed_at=utcnow(), ideas=len(rows), seconds=round(seconds, 3),
        last_idea_id=max((row[0] for row in rows), default=0)))
    _announce(campaign_id)
    db.session.commit()
    return RefreshResult(campaign_id=campaign_id, themes=len(run.themes), ideas=len(rows),
                         seconds=seconds)


def _write(campaign_id, rows, run):
    """Write a computed ThemeRun: themes matched to earlier ones keep their row (id, name),
    the others are new; earlier themes matched by none go (unless a moderator named
    them); the idea rows change only where they differ."""
    now = utcnow()
    existing = {theme.id: theme for theme in db.session.scalars(
        select(Theme).where(Theme.campaign_id == campaign_id, Theme.merged_into_id.is_(None)))}
    assignment = {}
    kept = set()
    for draft in run.themes:
        theme = existing.get(draft.theme_id)
        if theme is None:
            theme = Theme(campaign_id=campaign_id, created_at=now)
            db.session.add(theme)
        theme.label, theme.terms = draft.label, draft.terms
        theme.size, theme.top_idea_ids, theme.updated_at = len(draft.idea_ids), draft.top_idea_ids, now
        db.session.flush()
        kept.add(theme.id)
        assignment.update((idea_id, theme.id) for idea_id in draft.idea_ids)
    holders = Counter(db.session.scalars(select(Theme.merged_into_id).where(
        Theme.campaign_id == campaign_id, Theme.merged_into_id.is_not(None))))
    for theme_id, theme in existing.items():
        if theme_id in kept:
            continue
        if theme.name or holders[theme_id]:
            theme.size, theme.top_idea_ids, theme.updated_at = 0, [], now
        else:
            db.session.delete(theme)

    wanted = {}
    for idea_id, *_rest in rows:
        twin_id, score = run.twins.get(idea_id, (None, 0.0))
        wanted[idea_id] = (assignment.get(idea_id), twin_id, score)
    current = {row.idea_id: (row.theme_id, row.twin_id, row.twin_score) for row in db.session.execute(
        select(ThemeIdea.idea_id, ThemeIdea.theme_id, ThemeIdea.twin_id, ThemeIdea.twin_score)
        .where(ThemeIdea.campaign_id == campaign_id))}
    gone = [idea_id for idea_id in current if idea_id not in wanted]
    for start in range(0, len(gone), 500):
        db.session.execute(delete(ThemeIdea).where(ThemeIdea.idea_id.in_(gone[start:start + 500])))

    def values(idea_id):
        theme_id, twin_id, score = wanted[idea_id]
        return {"idea_id": idea_id, "campaign_id": campaign_id, "theme_id": theme_id,
                "twin_id": twin_id, "twin_score": score}

    added = [values(i) for i in wanted if i not in current]
    changed = [values(i) for i in wanted if i in current and current[i] != wanted[i]]
    if added:
        db.session.execute(insert(ThemeIdea), added)
    if changed:
        db.session.execute(update(ThemeIdea), changed)
    db.session.flush()


def campaigns_needing_refresh():
    """Ids of campaigns with ideas posted since their last theme refresh (or never
    refreshed): a server starting up refreshes these."""
    newest = (select(Idea.campaign_id, func.max(Idea.id).label("newest"))
              .group_by(Idea.campaign_id).subquery())
    return list(db.session.scalars(
        select(newest.c.campaign_id)
        .outerjoin(ThemeRefresh, ThemeRefresh.campaign_id == newest.c.campaign_id)
        .where(newest.c.newest > func.coalesce(ThemeRefresh.last_idea_id, 0))
        .order_by(newest.c.campaign_id)))
