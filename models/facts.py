"""One case fact from a pathway's `facts` JSON, as an SQL expression that both databases can
index: `json_extract(facts, '$.held_on')` on SQLite, `(facts ->> 'held_on')` on PostgreSQL.

The dashboards filter 100,000 pathways on facts (last PPM, s20 endorsed). An index on the
expression answers that from the index alone; on SQLite that matters doubly, because the
workflow state stored before `facts` in each row would otherwise be read too. The key is
rendered inline (never as a bound parameter), so that a query's expression is the indexed
one: databases match an expression index only against the same expression.
"""
import re

from sqlalchemy import Boolean, String, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

_KEY = re.compile(r"^[a-z_][a-z0-9_]*$")


class fact(FunctionElement):  # noqa: N801  (reads as SQL: fact(facts, "held_on"))
    """The fact's value as text (SQLite gives booleans as 1/0: use `fact_is`)."""
    type = String()
    inherit_cache = True
    name = "fact"

    def __init__(self, column, key: str):
        if not _KEY.match(key):
            raise ValueError(f"not a fact name: {key!r}")
        # A literal column is part of the statement's cache key; a bound value would not be.
        super().__init__(column, literal_column(key))


class fact_is(FunctionElement):  # noqa: N801
    """The fact is JSON `true` (or `false`); a missing or null fact is neither."""
    type = Boolean()
    inherit_cache = True
    name = "fact_is"

    def __init__(self, column, key: str, value: bool):
        if not _KEY.match(key):
            raise ValueError(f"not a fact name: {key!r}")
        super().__init__(column, literal_column(key), literal_column("true" if value else "false"))


def _parts(element, compiler, kw) -> tuple[str, str]:
    column, key = element.clauses.clauses[:2]
    return compiler.process(column, **kw), key.name


def _value(element) -> bool:
    return element.clauses.clauses[2].name == "true"


@compiles(fact, "sqlite")
def _fact_sqlite(element, compiler, **kw):
    column, key = _parts(element, compiler, kw)
    return f"json_extract({column}, '$.{key}')"


@compiles(fact, "postgresql")
def _fact_postgresql(element, compiler, **kw):
    column, key = _parts(element, compiler, kw)
    return f"({column} ->> '{key}')"


@compiles(fact_is, "sqlite")
def _is_sqlite(element, compiler, **kw):
    column, key = _parts(element, compiler, kw)
    return f"(json_extract({column}, '$.{key}') IS {1 if _value(element) else 0})"


@compiles(fact_is, "postgresql")
def _is_postgresql(element, compiler, **kw):
    column, key = _parts(element, compiler, kw)
    return f"(({column} ->> '{key}') IS NOT DISTINCT FROM '{'true' if _value(element) else 'false'}')"
