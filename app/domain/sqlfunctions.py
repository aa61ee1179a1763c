"""Portable SQL helpers the domain needs inside single UPDATE statements."""
import math

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Float


class logaddexp(FunctionElement):
    """log(exp(a) + exp(b)) without overflow, so accumulating happens in one atomic UPDATE."""

    type = Float()
    inherit_cache = True
    name = "logaddexp"


@compiles(logaddexp)
def _compile_default(element, compiler, **kw):
    return "logaddexp(%s)" % compiler.process(element.clauses, **kw)


@compiles(logaddexp, "postgresql")
def _compile_postgresql(element, compiler, **kw):
    a, b = [compiler.process(c, **kw) for c in element.clauses]
    return f"(GREATEST({a}, {b}) + LN(1 + EXP(-ABS(({a}) - ({b})))))"


def _py_logaddexp(a, b):
    if a is None or b is None:
        return b if a is None else a
    high, low = max(a, b), min(a, b)
    return high + math.log1p(math.exp(low - high))


class best_score(FunctionElement):
    """An idea's "best" score from its up and down counts: ``ranking.best_score`` in SQL, so a
    vote re-scores its idea in the same UPDATE that counts it."""

    type = Float()
    inherit_cache = True
    name = "best_score"


@compiles(best_score)
def _compile_best_default(element, compiler, **kw):
    return "best_score(%s)" % compiler.process(element.clauses, **kw)


@compiles(best_score, "postgresql")
def _compile_best_postgresql(element, compiler, **kw):
    # ranking._best_bound with up + 1 and down + 1, in the same order of operations.
    from app.domain.ranking import BEST_Z

    up, down = [compiler.process(c, **kw) for c in element.clauses]
    u = f"(({up}) + 1.0::float8)"
    n = f"(({up}) + ({down}) + 2.0::float8)"
    p = f"({u} / {n})"
    z2 = repr(BEST_Z * BEST_Z)
    centre = f"({p} + {z2}::float8 / (2.0::float8 * {n}))"
    spread = f"({BEST_Z!r}::float8 * SQRT({p} * (1.0::float8 - {p}) / {n} + {z2}::float8 / (4.0::float8 * {n} * {n})))"
    return f"(({centre} - {spread}) / (1.0::float8 + {z2}::float8 / {n}))"


def _py_best_score(up, down):
    from app.domain.ranking import best_score as score

    return None if up is None or down is None else score(up, down)


@event.listens_for(Engine, "connect")
def _register_sqlite_functions(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.create_function("logaddexp", 2, _py_logaddexp, deterministic=True)
        dbapi_connection.create_function("best_score", 2, _py_best_score, deterministic=True)
