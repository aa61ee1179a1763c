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


@event.listens_for(Engine, "connect")
def _register_sqlite_functions(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.create_function("logaddexp", 2, _py_logaddexp, deterministic=True)
