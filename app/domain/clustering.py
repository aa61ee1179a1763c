"""Themes from a campaign's ideas: the pure maths behind ``domain.themes`` (no database).

``compute_themes`` takes the ideas' words and meaning vectors and the themes of the last
refresh, and returns the new themes. It runs apart from the server (``app.offload``), so it
gets and returns plain data only.

1. Each idea becomes its word vector and its meaning vector (``domain.similarity``), which
   puts an English idea and its Chinese twin side by side.
2. The ideas are grouped into themes (at most ``MAX_THEMES``): while a campaign is small,
   by average-linkage grouping of the distances 1 - similarity (the one score of
   ``similarity.combine``), as many themes as the ideas call for (it depends on nothing
   random); beyond, by k-means of the meaning vectors into about sqrt(2n) themes, started
   from the themes it found last time (their centres), so themes stay put while a jam
   grows instead of being shuffled at every refresh.
3. Each new group is matched with the earlier theme most of its ideas were in: it takes
   that theme's id, and so its moderator-given name. A theme a moderator merged others
   into holds all the groups matched to it, so the merge survives (k-means may well split
   it again); any other theme goes to the group that shares most ideas with it.
4. A theme's label is its most telling real words, in English and Chinese
   (``domain.theme_labels``).
5. Every idea's nearest other idea and their similarity (within its theme once a campaign
   is large) give the moderators' likely duplicates.
"""
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

from app.domain import similarity, theme_labels

MIN_IDEAS = 6  # fewer published ideas than this: no themes yet
MIN_THEME_SIZE = 2  # a group of one idea is no theme
MAX_THEMES = 30
LABEL_TERMS = 3
KEPT_TERMS = 6
TOP_IDEAS = 10
# Up to this many ideas every pair is compared for duplicates; beyond, pairs within a theme.
ALL_PAIRS_MAX = 8_000
MATCH_SHARE = 0.5
# Up to this many ideas, themes come from grouping every pair (n² memory); beyond, k-means.
GROUPING_MAX = 2_500
# Groups join while their ideas are on average at least 1 - this alike (chosen on the
# labelled sets: docs/THEMES.md).
GROUPING_DISTANCE = 0.70


@dataclass
class ThemeDraft:
    """A theme found by a refresh: ``theme_id`` is the earlier theme it continues (None
    for a new one); ``idea_ids`` best first (by the "best" sort)."""

    theme_id: int | None
    idea_ids: list
    terms: list
    label: str
    top_idea_ids: list


@dataclass
class ThemeRun:
    themes: list = field(default_factory=list)
    # idea id -> (nearest other idea id, similarity)
    twins: dict = field(default_factory=dict)
    # idea id -> meaning vector, for the ideas given without one (to be stored)
    vectors: dict = field(default_factory=dict)


def theme_count(n: int, max_themes: int = MAX_THEMES) -> int:
    """How many themes to look for among n ideas."""
    return max(2, min(max_themes, int(round(math.sqrt(2 * n)))))


def compute_themes(ideas, previous=None, held=(), *, max_themes=MAX_THEMES, seed=0):
    """Themes and nearest ideas for ``ideas`` [(id, title, body, best score, meaning
    vector or None)], given the earlier themes ``previous`` {theme id: [idea ids]} and the
    ids of the themes a moderator merged others into (``held``). Returns a ``ThemeRun``
    (with the vectors it had to compute)."""
    ideas = [tuple(idea) + (None,) * (5 - len(idea)) for idea in ideas]
    previous = previous or {}
    run = ThemeRun()
    if len(ideas) < 2:
        return run
    ids = np.array([idea[0] for idea in ideas], dtype=np.int64)
    scores = np.array([idea[3] for idea in ideas], dtype=np.float64)
    vectors = similarity.fill_vectors([(idea[1], idea[2], idea[4]) for idea in ideas])
    run.vectors = {int(idea[0]): vectors[n] for n, idea in enumerate(ideas) if idea[4] is None}
    corpus, _weights = similarity.make_corpus([(idea[1], idea[2]) for idea in ideas], vectors)

    labels = None
    if len(ideas) >= MIN_IDEAS:
        labels = _cluster(corpus, ids, previous, theme_count(len(ideas), max_themes), max_themes, seed)
    nearest, best = similarity.nearest_neighbours(
        corpus, None if labels is None or len(ideas) <= ALL_PAIRS_MAX else labels)
    run.twins = {int(ids[i]): (int(ids[j]), round(float(best[i]), 4))
                 for i, j in enumerate(nearest) if j >= 0}
    if labels is None:
        return run

    groups = defaultdict(list)
    for row, label in enumerate(labels):
        groups[int(label)].append(row)
    groups = [rows for rows in groups.values() if len(rows) >= MIN_THEME_SIZE]
    owners = _match(groups, ids, previous, set(held))

    combined = defaultdict(list)  # earlier theme id (or a new key) -> rows
    for index, rows in enumerate(groups):
        combined[owners.get(index, ("new", index))].extend(rows)
    keys = list(combined)
    members = [np.array(sorted(combined[key])) for key in keys]
    texts = [f"{idea[1]}\n{idea[2]}" for idea in ideas]
    names = theme_labels.name_themes(members, texts, corpus.chinese)
    for key, rows, (label, words) in zip(keys, members, names):
        order = rows[np.lexsort((-ids[rows], -scores[rows]))]
        run.themes.append(ThemeDraft(
            theme_id=key if isinstance(key, int) else None,
            idea_ids=[int(i) for i in ids[order]],
            terms=words[:KEPT_TERMS], label=label,
            top_idea_ids=[int(i) for i in ids[order[:TOP_IDEAS]]]))
    run.themes.sort(key=lambda draft: (-len(draft.idea_ids), draft.idea_ids[0]))
    return run


def _cluster(corpus, ids, previous, k, max_themes, seed):
    """Group labels. Up to ``GROUPING_MAX`` ideas: average-linkage grouping on the
    distances 1 - similarity, joining groups while their ideas are on average at least
    ``1 - GROUPING_DISTANCE`` alike (at most ``max_themes`` groups): the same ideas always
    give the same themes, as many as the ideas call for. Beyond, k-means of the meaning
    vectors into k groups, started from the earlier themes' centres when there are any."""
    from sklearn.cluster import AgglomerativeClustering, KMeans

    n = len(corpus)
    k = min(k, n)
    if n <= GROUPING_MAX:
        distances = 1.0 - corpus.scores(np.arange(n))
        np.clip(distances, 0.0, 2.0, out=distances)
        np.fill_diagonal(distances, 0.0)
        labels = AgglomerativeClustering(None, metric="precomputed", linkage="average",
                                         distance_threshold=GROUPING_DISTANCE).fit_predict(distances)
        if labels.max() + 1 > max_themes:
            labels = AgglomerativeClustering(max_themes, metric="precomputed",
                                             linkage="average").fit_predict(distances)
        return labels
    points = corpus.meaning
    init = _warm_start(points, ids, previous, k)
    if init is None:
        model = KMeans(k, n_init=3 if n < 20_000 else 1, random_state=seed)
    else:
        model = KMeans(k, init=init, n_init=1, random_state=seed)
    return model.fit_predict(points)


def _warm_start(points, ids, previous, k):
    """Centres of the earlier themes (largest first), topped up with the ideas least like
    any centre so far; None on a first refresh."""
    position = {int(idea_id): row for row, idea_id in enumerate(ids)}
    centres = []
    for members in sorted(previous.values(), key=len, reverse=True):
        rows = [position[i] for i in members if i in position]
        if len(rows) >= MIN_THEME_SIZE:
            centre = points[rows].mean(axis=0)
            norm = np.linalg.norm(centre)
            if norm:
                centres.append(centre / norm)
        if len(centres) == k:
            break
    if not centres:
        return None
    closest = (points @ np.array(centres).T).max(axis=1)
    while len(centres) < k:
        row = int(np.argmin(closest))
        centre = points[row]
        centres.append(centre)
        closest = np.maximum(closest, points @ centre)
        closest[row] = np.inf
    return np.array(centres, dtype=points.dtype)


def _match(groups, ids, previous, held):
    """{group index: earlier theme id}: each group takes the earlier theme that held most
    of its ideas (if it held at least MATCH_SHARE of those that had a theme). A held theme
    takes every group so matched; any other, the group sharing most ideas with it."""
    owner = {idea_id: theme_id for theme_id, members in previous.items() for idea_id in members}
    proposals = []
    for index, rows in enumerate(groups):
        votes = Counter(owner[int(ids[r])] for r in rows if int(ids[r]) in owner)
        if not votes:
            continue
        theme_id, overlap = votes.most_common(1)[0]
        if overlap >= MATCH_SHARE * sum(votes.values()):
            proposals.append((overlap, -index, theme_id))
    owners, taken = {}, set()
    for overlap, negative_index, theme_id in sorted(proposals, reverse=True):
        if theme_id in held or theme_id not in taken:
            owners[-negative_index] = theme_id
            taken.add(theme_id)
    return owners
