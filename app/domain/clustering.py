"""Themes from a campaign's ideas: the pure maths behind ``domain.themes`` (no database).

``compute_themes`` takes the ideas' words and the themes of the last refresh, and returns
the new themes. It runs apart from the server (``app.offload``), so it gets and returns
plain data only.

1. Each idea becomes its TF-IDF vector (``domain.similarity``: English words, Chinese
   characters and character pairs).
2. The vectors are grouped into themes (at most ``MAX_THEMES``): while a campaign is
   small, by average-linkage grouping of the cosine distances, as many themes as the ideas
   call for (it depends on nothing random); beyond, by k-means into about sqrt(2n) themes,
   started from the themes it found last time (their centres), so themes stay put while a
   jam grows instead of being shuffled at every refresh.
3. Each new group is matched with the earlier theme most of its ideas were in: it takes
   that theme's id, and so its moderator-given name. A theme a moderator merged others
   into holds all the groups matched to it, so the merge survives (k-means may well split
   it again); any other theme goes to the group that shares most ideas with it.
4. A theme's label is its most telling words: those whose weight in the theme's ideas
   exceeds their weight across the campaign the most. Chinese character pairs grow into
   the longer word they keep appearing in (光纖 -> 光纖安裝), English terms show as the
   word people wrote most.
5. Every idea's nearest other idea and their similarity (within its theme once a campaign
   is large) give the moderators' likely duplicates.
"""
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

from app.domain import similarity

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
# Groups join while their ideas are on average at least 1 - this alike (labelled set: 0.94).
GROUPING_DISTANCE = 0.94
# Characters that glue words together rather than belong to them: a label word neither
# holds nor grows across them (帳單 does not become 帳單的 or 的帳單).
GLUE = frozenset("的了是在和與及或也都就很會要把被讓給從對這那們")
# Chinese pairs that say little of what a theme is about: never a label word.
LABEL_STOP = frozenset("""提供 可以 希望 應該 建議 我們 他們 自己 不用 不必 需要 時候 現在 一個 每個 改成
讓客 讓用 客戶 用戶 直接 自動 主動 一直 比較 如果 這是 什麼 很多 常常 或者 以及 並且 同時""".split())


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


def theme_count(n: int, max_themes: int = MAX_THEMES) -> int:
    """How many themes to look for among n ideas."""
    return max(2, min(max_themes, int(round(math.sqrt(2 * n)))))


def compute_themes(ideas, previous=None, held=(), *, max_themes=MAX_THEMES, seed=0):
    """Themes and nearest ideas for ``ideas`` [(id, title, body, best score)], given the
    earlier themes ``previous`` {theme id: [idea ids]} and the ids of the themes a
    moderator merged others into (``held``). Returns a ``ThemeRun``."""
    ideas = list(ideas)
    previous = previous or {}
    run = ThemeRun()
    if len(ideas) < 2:
        return run
    ids = np.array([idea[0] for idea in ideas], dtype=np.int64)
    scores = np.array([idea[3] for idea in ideas], dtype=np.float64)
    surfaces = {}
    documents = [similarity.features(title, body, surfaces) for _id, title, body, _score in ideas]
    weights = similarity.Weights.fit(documents)
    matrix = weights.matrix(documents)

    labels = None
    if len(ideas) >= MIN_IDEAS:
        labels = _cluster(matrix, ids, previous, theme_count(len(ideas), max_themes), max_themes, seed)
    nearest, best = similarity.nearest_neighbours(
        matrix, None if labels is None or len(ideas) <= ALL_PAIRS_MAX else labels)
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
    terms = [None] * len(weights.vocabulary)
    for term, column in weights.vocabulary.items():
        terms[column] = term
    overall = np.asarray(matrix.mean(axis=0)).ravel()
    texts = [f"{title}\n{body}" for _id, title, body, _score in ideas]
    for key, rows in combined.items():
        rows = np.array(sorted(rows))
        telling = _telling_terms(matrix, rows, overall, terms, surfaces, [texts[r] for r in rows])
        order = rows[np.lexsort((-ids[rows], -scores[rows]))]
        run.themes.append(ThemeDraft(
            theme_id=key if isinstance(key, int) else None,
            idea_ids=[int(i) for i in ids[order]],
            terms=telling[:KEPT_TERMS], label=" · ".join(telling[:LABEL_TERMS])[:200],
            top_idea_ids=[int(i) for i in ids[order[:TOP_IDEAS]]]))
    run.themes.sort(key=lambda draft: (-len(draft.idea_ids), draft.idea_ids[0]))
    return run


def _cluster(matrix, ids, previous, k, max_themes, seed):
    """Group labels. Up to ``GROUPING_MAX`` ideas: average-linkage grouping on the cosine
    distances, joining groups while their ideas are on average at least ``1 -
    GROUPING_DISTANCE`` alike (at most ``max_themes`` groups): the same ideas always give
    the same themes, as many as the ideas call for, and it groups short texts better than
    k-means on the labelled set. Beyond, k-means into k groups, started from the earlier
    themes' centres when there are any."""
    from sklearn.cluster import AgglomerativeClustering, KMeans

    n = matrix.shape[0]
    k = min(k, n)
    if n <= GROUPING_MAX:
        distances = 1.0 - (matrix @ matrix.T).toarray()
        np.clip(distances, 0.0, 2.0, out=distances)
        np.fill_diagonal(distances, 0.0)
        labels = AgglomerativeClustering(None, metric="precomputed", linkage="average",
                                         distance_threshold=GROUPING_DISTANCE).fit_predict(distances)
        if labels.max() + 1 > max_themes:
            labels = AgglomerativeClustering(max_themes, metric="precomputed",
                                             linkage="average").fit_predict(distances)
        return labels
    init = _warm_start(matrix, ids, previous, k)
    if init is None:
        model = KMeans(k, n_init=10 if n < 5_000 else 2, random_state=seed)
    else:
        model = KMeans(k, init=init, n_init=1, random_state=seed)
    return model.fit_predict(matrix)


def _warm_start(matrix, ids, previous, k):
    """Centres of the earlier themes (largest first), topped up with the ideas least like
    any centre so far; None on a first refresh."""
    position = {int(idea_id): row for row, idea_id in enumerate(ids)}
    centres = []
    for members in sorted(previous.values(), key=len, reverse=True):
        rows = [position[i] for i in members if i in position]
        if len(rows) >= MIN_THEME_SIZE:
            centre = np.asarray(matrix[rows].mean(axis=0)).ravel()
            norm = np.linalg.norm(centre)
            if norm:
                centres.append(centre / norm)
        if len(centres) == k:
            break
    if not centres:
        return None
    closest = np.asarray((matrix @ np.array(centres).T).max(axis=1)).ravel()
    while len(centres) < k:
        row = int(np.argmin(closest))
        centre = matrix[row].toarray().ravel()
        centres.append(centre)
        closest = np.maximum(closest, np.asarray(matrix @ centre).ravel())
        closest[row] = np.inf
    return np.array(centres)


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


def _telling_terms(matrix, rows, overall, terms, surfaces, texts, limit=KEPT_TERMS):
    """The words that set these ideas apart from the rest of the campaign, as people wrote
    them, best first."""
    centre = np.asarray(matrix[rows].mean(axis=0)).ravel()
    lift = centre - overall
    if lift.max(initial=0.0) <= 1e-9:
        lift = centre  # ideas like all the others: their commonest words, then
    shown = []
    for column in np.argsort(-lift)[:limit * 6]:
        if lift[column] <= 0:
            break
        term = terms[column]
        if _is_cjk_char(term) or term in LABEL_STOP or GLUE.intersection(term):
            continue  # a lone character, a pair across a glue character, or a word saying little
        word = _cjk_word(term, texts) if _is_cjk_char(term[0]) else _surface(term, surfaces)
        if any(word in other or other in word for other in shown):
            continue
        shown.append(word)
        if len(shown) == limit:
            break
    return shown


def _is_cjk_char(text):
    return len(text) == 1 and not text.isascii() and text.isalpha()


def _surface(term, surfaces):
    forms = surfaces.get(term)
    return forms.most_common(1)[0][0] if forms else term


def _cjk_word(pair, texts, keep=0.75):
    """The longest run of up to four characters around ``pair`` that appears (nearly)
    wherever the pair does: 光纖 -> 光纖安裝 in ideas about fibre installation."""
    seen = 0
    longer = Counter()
    for text in texts:
        start = text.find(pair)
        while start >= 0:
            seen += 1
            for before, after in ((1, 0), (0, 1), (2, 0), (1, 1), (0, 2)):
                lo, hi = start - before, start + 2 + after
                if lo >= 0 and hi <= len(text):
                    piece = text[lo:hi]
                    added = piece[:before] + piece[before + 2:]
                    if all(_is_cjk_char(ch) for ch in piece) and not any(ch in GLUE for ch in added):
                        longer[piece] += 1
            start = text.find(pair, start + 1)
    best = pair
    for piece, count in sorted(longer.items(), key=lambda item: (-len(item[0]), -item[1], item[0])):
        if count >= keep * seen and count >= 2:
            best = piece
            break
    return best
