"""Word search that works for English and for Chinese.

Latin-script text is split into lowercased words; a query word matches any indexed word
it begins ("launch" finds "launching"). Chinese has no spaces, so every run of CJK
characters is indexed as single characters and overlapping pairs: a query "電信" is the
pair 電信, which "中國電信" contains. The terms live in an indexed table, so a search is
a few index range scans on SQLite and PostgreSQL alike.
"""
import re
import unicodedata

from sqlalchemy import and_, select

from app.models import IdeaSearchTerm

TERM_MAX = 64
QUERY_TERMS_MAX = 8
_TOKEN = re.compile(r"[\w]+", re.UNICODE)


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FA1F
        or 0x3040 <= code <= 0x30FF or 0xAC00 <= code <= 0xD7AF
    )


def _runs(text: str):
    """Yield ("word", w) and ("cjk", run) pieces of normalised text."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    for token in _TOKEN.findall(text):
        word = []
        for ch in token:
            if _is_cjk(ch):
                if word:
                    yield "word", "".join(word)
                    word = []
                yield "cjk", ch
            else:
                word.append(ch)
        if word:
            yield "word", "".join(word)


def _pieces(text):
    """Merge adjacent CJK characters back into runs."""
    run = []
    for kind, value in _runs(text):
        if kind == "cjk":
            run.append(value)
            continue
        if run:
            yield "cjk", "".join(run)
            run = []
        yield kind, value
    if run:
        yield "cjk", "".join(run)


def index_terms(text: str) -> set[str]:
    """Every term under which a text can be found."""
    terms = set()
    for kind, value in _pieces(text):
        if kind == "word":
            terms.add(value[:TERM_MAX])
        else:
            terms.update(value)
            terms.update(value[i:i + 2] for i in range(len(value) - 1))
    return terms


def query_conditions(query: str):
    """Per query term, a condition on IdeaSearchTerm; an idea must meet all of them."""
    conditions = []
    for kind, value in _pieces(query):
        if kind == "word":
            prefix = value[:TERM_MAX]
            # A range instead of LIKE, so both databases use the term index for prefixes.
            conditions.append(and_(IdeaSearchTerm.term >= prefix, IdeaSearchTerm.term < prefix + "\U0010ffff"))
        elif len(value) == 1:
            conditions.append(IdeaSearchTerm.term == value)
        else:
            for i in range(len(value) - 1):
                conditions.append(IdeaSearchTerm.term == value[i:i + 2])
    return conditions[:QUERY_TERMS_MAX]


def matching_idea_ids(query: str):
    """Subqueries of idea ids matching every term of ``query`` (None when the query is empty)."""
    conditions = query_conditions(query)
    if not conditions:
        return None
    return [select(IdeaSearchTerm.idea_id).where(condition) for condition in conditions]
