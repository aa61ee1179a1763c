"""How alike two ideas are, in English and in Chinese, and an index that finds the ideas most
like a text in milliseconds. Pure: no database, no Flask (``domain.duplicates`` feeds it).

Text is read as ``domain.search`` reads it. English words are lowercased, common words
("the", "we", "should") dropped and plurals folded ("charges" meets "charge"). Chinese has
no spaces, so each run of CJK characters becomes its characters and its overlapping
character pairs ("帳單說明" gives 帳, 單, 說, 明, 帳單, 單說, 說明): a word of two or more
characters shares pairs with every text that contains it, with no dictionary to ship or
load. (The jieba segmenter was measured against this on the labelled set in tests/data:
it found no more duplicates, see docs/THEMES.md.)

Each term is weighted by TF-IDF: 1 + log(count) in the idea (title words count twice),
times log((1 + n) / (1 + ideas with the term)) + 1, so a term every idea uses says little
and a rare one says much; each idea's vector has length one, and the similarity of two
ideas is the cosine of their vectors, from 0 (no term in common) to 1 (the same terms in
the same proportions).
"""
import math
import operator
from collections import Counter

import numpy as np
from scipy import sparse

from app.domain import search

TITLE_WEIGHT = 2
#: Two ideas at least this similar are likely duplicates (chosen on the labelled set:
#: docs/THEMES.md has the precision and recall it gives).
DUPLICATE_THRESHOLD = 0.28
#: Suggestions while a person types start lower: a related idea is worth a look too.
SUGGESTION_THRESHOLD = 0.15

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing done down during each either else even
ever every few for from further get gets got had has have having he her here hers him his how i
if in into is it its itself just let lets like make makes many may me might more most much must
my no nor not now of off often on once one only or other our ours out over own per please put
rather same she should so some such than that the their theirs them then there these they this
those through to too under until up us very via was we were what when where which while who whom
why will with within without would yet you your yours today new way ways help idea ideas use using
used want need needs instead able already still around always never
""".split())


def stem(word: str) -> str:
    """Fold English plurals onto their singular ("charges" -> "charge", "batteries" ->
    "battery"). Trimming -ing and -ed as well was measured and made more false duplicates
    than it found true ones (docs/THEMES.md)."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def features(title: str, body: str = "", surfaces: dict | None = None) -> Counter:
    """The terms of an idea with their counts (title terms count ``TITLE_WEIGHT`` times).

    English: words without the common ones, plurals folded. Chinese: each character and
    each pair of neighbouring characters of a run ("帳單" gives 帳, 單 and 帳單); pairs
    tell words apart, characters let "回撥" and "回電" meet on 回.

    With ``surfaces``, the words each English term came from are counted into it
    ({term: Counter(word)}), so labels can show the word people actually wrote."""
    counts = Counter(_terms(body, surfaces, 1))
    for term, count in Counter(_terms(title, surfaces, TITLE_WEIGHT)).items():
        counts[term] += count * TITLE_WEIGHT
    return counts


def _terms(text, surfaces, weight):
    terms = []
    for kind, value in search.text_pieces(text or ""):
        if kind == "word":
            if len(value) < 2 or value in STOPWORDS or value.isdigit():
                continue
            term = stem(value)
            terms.append(term)
            if surfaces is not None:
                surfaces.setdefault(term, Counter())[value] += weight
        else:
            terms.extend(value)
            terms.extend(map(operator.add, value, value[1:]))
    return terms


class Weights:
    """The terms of a set of ideas and the IDF weight of each."""

    def __init__(self, vocabulary: dict, idf: np.ndarray, documents: int):
        self.vocabulary = vocabulary
        self.idf = idf
        self.documents = documents

    @classmethod
    def fit(cls, documents) -> "Weights":
        """Weights from an iterable of feature Counters."""
        frequency = Counter()
        n = 0
        for counts in documents:
            frequency.update(counts.keys())
            n += 1
        vocabulary = {term: i for i, term in enumerate(sorted(frequency))}
        df = np.fromiter((frequency[t] for t in vocabulary), dtype=np.float64, count=len(vocabulary))
        idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
        return cls(vocabulary, idf, n)

    def vector(self, counts):
        """(columns, values) of one idea's unit vector; terms the weights never saw are left
        out (they are in no indexed idea, so they cannot make two ideas alike)."""
        columns, values = [], []
        for term, count in counts.items():
            column = self.vocabulary.get(term)
            if column is not None:
                columns.append(column)
                values.append((1.0 + math.log(count)) * self.idf[column])
        values = np.asarray(values, dtype=np.float64)
        norm = math.sqrt(float(values @ values)) if len(values) else 0.0
        if norm:
            values /= norm
        return np.asarray(columns, dtype=np.int64), values

    def matrix(self, documents) -> sparse.csr_matrix:
        """The unit vectors of many ideas, one row each (as ``vector``, all at once)."""
        vocabulary = self.vocabulary
        indptr, indices, counts = [0], [], []
        for document in documents:
            for term, count in document.items():
                column = vocabulary.get(term)
                if column is not None:
                    indices.append(column)
                    counts.append(count)
            indptr.append(len(indices))
        indices = np.asarray(indices, dtype=np.int64)
        data = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * self.idf[indices]
        matrix = sparse.csr_matrix((data, indices, np.asarray(indptr, dtype=np.int64)),
                                   shape=(len(indptr) - 1, len(vocabulary)))
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


def similarity_matrix(matrix) -> np.ndarray:
    """Every pair's cosine similarity (for small sets: n x n dense)."""
    return (matrix @ matrix.T).toarray()


def nearest_neighbours(matrix, groups=None, chunk=1024):
    """For each row, the most similar other row and its similarity (-1 and 0.0 for a row
    alone). With ``groups`` (a label per row), only rows of the same group are compared:
    duplicates share their theme, and the work drops from n² to the sum of the groups'
    squares."""
    n = matrix.shape[0]
    nearest = np.full(n, -1, dtype=np.int64)
    best = np.zeros(n, dtype=np.float64)
    if groups is None:
        groups = np.zeros(n, dtype=np.int64)
    groups = np.asarray(groups)
    for label in np.unique(groups):
        rows = np.flatnonzero(groups == label)
        if len(rows) < 2:
            continue
        block = matrix[rows]
        block_t = block.T.tocsr()
        for start in range(0, len(rows), chunk):
            part = (block[start:start + chunk] @ block_t).toarray()
            local = np.arange(part.shape[0])
            part[local, start + local] = -1.0  # not itself
            top = part.argmax(axis=1)
            nearest[rows[start:start + chunk]] = rows[top]
            best[rows[start:start + chunk]] = part[local, top]
    return nearest, best


class SimilarityIndex:
    """The ideas of one campaign as unit vectors, ready to be compared with a text.

    Built once from every idea, then kept current: ``add`` takes a new or edited idea (kept
    beside the matrix until the next build), ``discard`` forgets one. Weights stay those of
    the build: a few hundred new ideas barely move them, and a rebuild catches up.
    """

    def __init__(self, weights: Weights, ids, matrix):
        self.weights = weights
        self.ids = np.asarray(ids, dtype=np.int64)
        self.position = {int(idea_id): i for i, idea_id in enumerate(self.ids)}
        self.columns = matrix.tocsc()
        self.alive = np.ones(len(self.ids), dtype=bool)
        self.extra = {}  # idea id -> (columns, values) of ideas added since the build
        self._extra_matrix = None  # the same as a matrix, made when first needed
        self.max_id = int(self.ids.max()) if len(self.ids) else 0

    @classmethod
    def build(cls, ideas):
        """From (id, title, body) tuples."""
        ideas = list(ideas)
        documents = [features(title, body) for _id, title, body in ideas]
        weights = Weights.fit(documents)
        return cls(weights, [idea[0] for idea in ideas], weights.matrix(documents))

    def __len__(self):
        return int(self.alive.sum()) + len(self.extra)

    @property
    def built_size(self) -> int:
        return len(self.ids)

    @property
    def pending(self) -> int:
        """Ideas added (or re-added after an edit) since the build."""
        return len(self.extra)

    def add(self, idea_id, title, body):
        """Index a new idea, or the new text of an edited one."""
        self.discard(idea_id)
        self.extra[int(idea_id)] = self.weights.vector(features(title, body))
        self._extra_matrix = None
        self.max_id = max(self.max_id, int(idea_id))

    def discard(self, idea_id):
        idea_id = int(idea_id)
        if self.extra.pop(idea_id, None) is not None:
            self._extra_matrix = None
        position = self.position.get(idea_id)
        if position is not None:
            self.alive[position] = False

    def _extras(self):
        if self._extra_matrix is None:
            ids = list(self.extra)
            indptr, indices, data = [0], [], []
            for idea_id in ids:
                columns, values = self.extra[idea_id]
                indices.extend(columns.tolist())
                data.extend(values.tolist())
                indptr.append(len(indices))
            self._extra_matrix = (np.asarray(ids, dtype=np.int64), sparse.csr_matrix(
                (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr),
                shape=(len(ids), len(self.weights.vocabulary))).tocsc())
        return self._extra_matrix

    def most_similar(self, title, body="", *, limit=5, min_score=0.0):
        """[(idea id, similarity)] of the ideas most like this text, most similar first
        (only those at least ``min_score`` alike, and never one with no term in common)."""
        columns, values = self.weights.vector(features(title, body))
        if not len(columns):
            return []
        ids, scores = self.ids, np.where(self.alive, self.columns[:, columns] @ values, -1.0)
        if self.extra:
            extra_ids, extra = self._extras()
            ids = np.concatenate([ids, extra_ids])
            scores = np.concatenate([scores, extra[:, columns] @ values])
        if not len(scores):
            return []
        take = min(limit, len(scores))
        top = np.argpartition(-scores, take - 1)[:take]
        found = sorted(((float(scores[i]), int(ids[i])) for i in top), key=lambda pair: (-pair[0], pair[1]))
        return [(idea_id, round(score, 4)) for score, idea_id in found if score >= min_score and score > 0]
