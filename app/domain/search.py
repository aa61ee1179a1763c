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


# Han (with extension A and the compatibility and supplementary blocks), kana and Hangul.
_CJK_CLASS = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\u3040-\u30ff\uac00-\ud7af"
# A run of CJK word characters, or a run of other word characters. One regular expression
# instead of a loop over characters: similar ideas and themes read every idea of a campaign.
_PIECE = re.compile(f"((?:(?=\\w)[{_CJK_CLASS}])+)|((?:(?![{_CJK_CLASS}])\\w)+)", re.UNICODE)


def _pieces(text):
    """("word", w) and ("cjk", run) pieces of normalised text, in order. Words are lowercased
    runs of letters and digits; CJK characters separated only by spaces or punctuation form
    one run ("中國 電信" is the run 中國電信)."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    run = []
    for cjk, word in _PIECE.findall(text):
        if cjk:
            run.append(cjk)
            continue
        if run:
            yield "cjk", "".join(run)
            run = []
        yield "word", word
    if run:
        yield "cjk", "".join(run)


def text_pieces(text):
    """The words and CJK runs of a text, in order: ("word", "launch"), ("cjk", "中國電信").
    Shared with ``domain.similarity``, so search and similar ideas read text alike."""
    return _pieces(text)


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
