"""How alike two ideas are, in English and in Chinese and across the two, and an index that
finds the ideas most like a text in milliseconds. Pure: no database, no Flask
(``domain.duplicates`` feeds it).

One score for a pair, everywhere (the typing look-up, the moderators' likely duplicates and
the themes): ``combine`` of two cosines.

- Meaning: the cosine of the ideas' sentence vectors (``domain.embedding``), which reads
  English and Chinese alike: a translation scores about 0.5, unrelated ideas about 0.1.
- Words: the cosine of their TF-IDF vectors. Text is read as ``domain.search`` reads it,
  Chinese first folded to one script (``text.fold_chinese``: 空压机 is 空壓機). English words
  are lowercased, common words ("the", "we", "should") dropped and plurals folded
  ("charges" meets "charge"). Chinese has no spaces, so each run of CJK characters becomes
  its characters and its overlapping character pairs ("帳單說明" gives 帳, 單, 說, 明, 帳單,
  單說, 說明): a word of two or more characters shares pairs with every text that contains
  it. Each term is weighted by TF-IDF: 1 + log(count) in the idea (title words count
  twice), times log((1 + n) / (1 + ideas with the term)) + 1; each idea's vector has
  length one.

The score is ``SEMANTIC_WEIGHT`` x meaning + the rest x words. Two ideas in different
languages share no words, and the encoder scores a translation lower than a paraphrase in
one language (median 0.5 against 0.8 on the labelled sets), so across languages the score
is at least meaning + ``CROSS_LANGUAGE_LIFT``: a translation then scores as a paraphrase
does. Both constants and the thresholds were chosen on the labelled sets in tests/data
(docs/THEMES.md has the measurements).
"""
import math
import operator
from collections import Counter

import numpy as np
from scipy import sparse

from app.domain import search
from app.domain.text import fold_chinese

TITLE_WEIGHT = 2
#: Share of the score that comes from meaning (the rest: shared words).
SEMANTIC_WEIGHT = 0.6
#: Across English and Chinese a pair scores at least its meaning plus this.
CROSS_LANGUAGE_LIFT = 0.15
#: Two ideas at least this similar are likely duplicates: on the labelled sets, about four
#: in five pairs at or above it are the same proposal (docs/THEMES.md has the curve).
DUPLICATE_THRESHOLD = 0.56
#: Suggestions while a person types start lower: a related idea (same topic, another
#: proposal) is worth a look too.
SUGGESTION_THRESHOLD = 0.35
# An idea is Chinese when at least this share of its letters are CJK characters.
CHINESE_SHARE = 0.3

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
    for kind, value in search.text_pieces(fold_chinese(text or "")):
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

    def extend(self, counts):
        """Give the terms of a new idea that no idea had their own column, weighted as a
        term one idea has: a look-up then finds the idea by its new words at once."""
        new = [term for term in counts if term not in self.vocabulary]
        if new:
            self.documents += 1
            for term in new:
                self.vocabulary[term] = len(self.vocabulary)
            weight = math.log((1.0 + self.documents) / 2.0) + 1.0
            self.idf = np.concatenate([self.idf, np.full(len(new), weight)])

    def unseen_idf(self) -> float:
        """The weight of a term no indexed idea has."""
        return math.log(1.0 + self.documents) + 1.0

    def vector(self, counts):
        """(columns, values) of one idea's unit vector. Terms the weights never saw have no
        column (no indexed idea holds them, so they make no pair alike) but count in the
        length, with the weight of a term no idea has: a text is scored as it would be if
        it were indexed, so the look-up and the moderators' queue agree on a pair."""
        columns, values, unseen = [], [], 0.0
        for term, count in counts.items():
            column = self.vocabulary.get(term)
            if column is not None:
                columns.append(column)
                values.append((1.0 + math.log(count)) * self.idf[column])
            else:
                unseen += ((1.0 + math.log(count)) * self.unseen_idf()) ** 2
        values = np.asarray(values, dtype=np.float64)
        norm = math.sqrt(float(values @ values) + unseen)
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


def is_chinese(title: str, body: str = "") -> bool:
    """Whether an idea is written in Chinese (English terms in it or not)."""
    text = f"{title} {body}"
    letters = sum(1 for ch in text if ch.isalpha())
    cjk = sum(1 for ch in text if ch.isalpha() and not ch.isascii()
              and "\u2e80" <= ch <= "\U0002fa1f")
    return bool(letters) and cjk >= CHINESE_SHARE * letters


def combine(meaning, words, cross):
    """The similarity of pairs from their meaning and word cosines and whether each pair
    is across languages (arrays of one shape, or scalars): from 0 to 1."""
    score = SEMANTIC_WEIGHT * np.asarray(meaning) + (1.0 - SEMANTIC_WEIGHT) * np.asarray(words)
    score = np.where(cross, np.maximum(score, np.asarray(meaning) + CROSS_LANGUAGE_LIFT), score)
    return np.clip(score, 0.0, 1.0)


class Corpus:
    """Ideas ready to be compared: their word vectors (sparse rows of unit length), meaning
    vectors (dense rows of unit length, zero for an empty idea) and languages."""

    def __init__(self, words, meaning, chinese):
        self.words = words.tocsr()
        self.meaning = np.asarray(meaning, dtype=np.float32)
        self.chinese = np.asarray(chinese, dtype=bool)

    def __len__(self):
        return self.words.shape[0]

    def scores(self, rows, columns=None) -> np.ndarray:
        """Dense similarities of ``rows`` (indices) with ``columns`` (all ideas if None)."""
        columns = np.arange(len(self)) if columns is None else np.asarray(columns)
        rows = np.asarray(rows)
        words = (self.words[rows] @ self.words[columns].T).toarray()
        meaning = self.meaning[rows] @ self.meaning[columns].T
        cross = self.chinese[rows][:, None] != self.chinese[columns][None, :]
        return combine(meaning, words, cross)


def make_corpus(ideas, vectors, surfaces=None):
    """A Corpus and its Weights from (title, body) pairs and their meaning vectors."""
    ideas = list(ideas)
    documents = [features(title, body, surfaces) for title, body in ideas]
    weights = Weights.fit(documents)
    chinese = [is_chinese(title, body) for title, body in ideas]
    return Corpus(weights.matrix(documents), vectors, chinese), weights


def nearest_neighbours(corpus, groups=None, chunk=1024):
    """For each idea, the most similar other idea and their similarity (-1 and 0.0 for an
    idea alone). With ``groups`` (a label per idea), only ideas of the same group are
    compared: duplicates share their theme, and the work drops from n² to the sum of the
    groups' squares."""
    n = len(corpus)
    nearest = np.full(n, -1, dtype=np.int64)
    best = np.zeros(n, dtype=np.float64)
    if groups is None:
        groups = np.zeros(n, dtype=np.int64)
    groups = np.asarray(groups)
    for label in np.unique(groups):
        rows = np.flatnonzero(groups == label)
        if len(rows) < 2:
            continue
        for start in range(0, len(rows), chunk):
            part = corpus.scores(rows[start:start + chunk], rows)
            local = np.arange(part.shape[0])
            part[local, start + local] = -1.0  # not itself
            top = part.argmax(axis=1)
            nearest[rows[start:start + chunk]] = rows[top]
            best[rows[start:start + chunk]] = part[local, top]
    return nearest, best


class SimilarityIndex:
    """The ideas of one campaign as word and meaning vectors, ready to be compared with a
    text.

    Built once from every idea, then kept current: ``add`` takes a new or edited idea (kept
    beside the matrices until the next build), ``discard`` forgets one. Word weights stay
    those of the build: a few hundred new ideas barely move them, and a rebuild (in the
    background, never in a look-up) catches up.
    """

    def __init__(self, weights: Weights, ids, corpus: Corpus):
        self.weights = weights
        self.ids = np.asarray(ids, dtype=np.int64)
        self.position = {int(idea_id): i for i, idea_id in enumerate(self.ids)}
        self.columns = corpus.words.tocsc()
        self.meaning = corpus.meaning
        self.chinese = corpus.chinese
        self.alive = np.ones(len(self.ids), dtype=bool)
        self.extra = {}  # idea id -> (columns, values, meaning vector, chinese)
        self._extra_matrices = None  # the same as matrices, made when first needed
        self.max_id = int(self.ids.max()) if len(self.ids) else 0

    @classmethod
    def build(cls, ideas):
        """From (id, title, body[, meaning vector]) tuples (a vector missing or None is
        computed)."""
        ideas = [tuple(idea) + (None,) * (4 - len(idea)) for idea in ideas]
        vectors = fill_vectors([(title, body, vector) for _id, title, body, vector in ideas])
        corpus, weights = make_corpus([(title, body) for _id, title, body, _v in ideas], vectors)
        return cls(weights, [idea[0] for idea in ideas], corpus)

    def __len__(self):
        return int(self.alive.sum()) + len(self.extra)

    @property
    def built_size(self) -> int:
        return len(self.ids)

    @property
    def pending(self) -> int:
        """Ideas added (or re-added after an edit) since the build."""
        return len(self.extra)

    def add(self, idea_id, title, body, vector):
        """Index a new idea, or the new text of an edited one, with its meaning vector."""
        self.discard(idea_id)
        counts = features(title, body)
        self.weights.extend(counts)
        columns, values = self.weights.vector(counts)
        self.extra[int(idea_id)] = (columns, values, np.asarray(vector, dtype=np.float32),
                                    is_chinese(title, body))
        self._extra_matrices = None
        self.max_id = max(self.max_id, int(idea_id))

    def discard(self, idea_id):
        idea_id = int(idea_id)
        if self.extra.pop(idea_id, None) is not None:
            self._extra_matrices = None
        position = self.position.get(idea_id)
        if position is not None:
            self.alive[position] = False

    def _extras(self):
        if self._extra_matrices is None:
            ids = list(self.extra)
            indptr, indices, data = [0], [], []
            for idea_id in ids:
                columns, values, _vector, _chinese = self.extra[idea_id]
                indices.extend(columns.tolist())
                data.extend(values.tolist())
                indptr.append(len(indices))
            words = sparse.csr_matrix(
                (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr),
                shape=(len(ids), len(self.weights.vocabulary))).tocsc()
            meaning = np.array([self.extra[i][2] for i in ids], dtype=np.float32).reshape(len(ids), -1)
            chinese = np.array([self.extra[i][3] for i in ids], dtype=bool)
            self._extra_matrices = (np.asarray(ids, dtype=np.int64), words, meaning, chinese)
        return self._extra_matrices

    def most_similar(self, title, body="", vector=None, *, limit=5, min_score=0.0):
        """[(idea id, similarity)] of the ideas most like this text (whose meaning vector
        is ``vector``, computed if None), most similar first, at least ``min_score`` alike."""
        if vector is None:
            from app.domain import embedding

            vector = embedding.encode_ideas([(title, body)])[0]
        vector = np.asarray(vector, dtype=np.float32)
        columns, values = self.weights.vector(features(title, body))
        chinese = is_chinese(title, body)
        ids = self.ids
        scores = self._scores(self.columns, self.meaning, self.chinese, columns, values, vector, chinese)
        scores = np.where(self.alive, scores, -1.0)
        if self.extra:
            extra_ids, words, meaning, languages = self._extras()
            ids = np.concatenate([ids, extra_ids])
            scores = np.concatenate([scores, self._scores(words, meaning, languages, columns, values,
                                                          vector, chinese)])
        if not len(scores):
            return []
        take = min(limit, len(scores))
        top = np.argpartition(-scores, take - 1)[:take]
        found = sorted(((float(scores[i]), int(ids[i])) for i in top), key=lambda pair: (-pair[0], pair[1]))
        return [(idea_id, round(score, 4)) for score, idea_id in found if score >= min_score and score > 0]

    @staticmethod
    def _scores(word_columns, meaning, chinese, columns, values, vector, query_chinese):
        known = columns < word_columns.shape[1]  # terms added after this matrix was made
        columns, values = columns[known], values[known]
        words = (word_columns[:, columns] @ values if len(columns)
                 else np.zeros(word_columns.shape[0]))
        return combine(meaning @ vector if len(meaning) else np.zeros(0), words,
                       chinese != query_chinese)


def fill_vectors(ideas) -> np.ndarray:
    """Meaning vectors (n x DIMENSIONS) of (title, body, vector or None) triples: the
    given ones as they are, the missing ones computed."""
    from app.domain import embedding

    ideas = list(ideas)
    out = np.zeros((len(ideas), embedding.DIMENSIONS), dtype=np.float32)
    missing = []
    for n, (_title, _body, vector) in enumerate(ideas):
        if vector is None:
            missing.append(n)
        else:
            out[n] = vector
    if missing:
        out[missing] = embedding.encode_ideas([ideas[n][:2] for n in missing])
    return out
