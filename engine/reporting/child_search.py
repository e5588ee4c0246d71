"""Finding a child by part of a name or reference, through a text index on each database.

A substring test over every child's `search_text` reads the whole table: about 300 ms at
100,000 children. Each database has an index for substrings instead (migration 0019):
- SQLite: `child_search`, an FTS5 table with the trigram tokenizer over `child.search_text`,
  kept by triggers; a word of three characters or more is found through it.
- PostgreSQL: a pg_trgm GIN index on `child.search_text`, which `LIKE '%word%'` uses.
Words shorter than three characters cannot use a trigram index: they are tested on the rows
the longer words found, or, if every word is short, on the whole table.
"""
from sqlalchemy.types import NullType
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import literal
from sqlalchemy.sql.functions import FunctionElement

from models import Child

#: A trigram index finds substrings of at least this many characters.
TRIGRAM = 3


class child_matches(FunctionElement):  # noqa: N801
    """The child's name or reference holds every word typed, or (for something with a digit
    in it) the reference typed without its spaces and hyphens ("demo001")."""
    inherit_cache = False   # the SQL depends on the words, which are not bound parameters
    # Not Boolean: SQLite would be handed "(child.id IN (...)) = 1", which it can only test
    # row by row, instead of looking the few children up by their ids.
    type = NullType()
    name = "child_matches"

    def __init__(self, text: str):
        self.words = text.lower().split()
        compact = "".join(self.words).replace("-", "")
        self.compact = compact if any(c.isdigit() for c in compact) else ""
        super().__init__(Child.id, Child.search_text)


def search_condition(text: str):
    return child_matches(text)


def _bound(compiler, value: str, **kw) -> str:
    return compiler.process(literal(value), **kw)


def _fts_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


@compiles(child_matches, "sqlite")
def _sqlite(element, compiler, **kw):
    child_id, text = (compiler.process(c, **kw) for c in element.clauses.clauses)

    def indexed(query: str) -> str:
        return (f"{child_id} IN (SELECT rowid FROM child_search "
                f"WHERE child_search MATCH {_bound(compiler, query, **kw)})")

    def scanned(word: str) -> str:
        return f"instr({text}, {_bound(compiler, word, **kw)}) > 0"

    long = [w for w in element.words if len(w) >= TRIGRAM]
    short = [w for w in element.words if len(w) < TRIGRAM]
    compact = element.compact if len(element.compact) >= TRIGRAM else ""
    if long and not short:   # one lookup in the index answers all
        query = " AND ".join(_fts_phrase(w) for w in long)
        if compact:
            query = f"({query}) OR {_fts_phrase(compact)}"
        return f"({indexed(query)})"
    each = ([indexed(" AND ".join(_fts_phrase(w) for w in long))] if long else []) + \
        [scanned(w) for w in short] or ["1 = 1"]
    alternatives = ["(" + " AND ".join(each) + ")"]
    if element.compact:
        alternatives.append(indexed(_fts_phrase(compact)) if compact
                            else scanned(element.compact))
    return "(" + " OR ".join(alternatives) + ")"


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@compiles(child_matches)
def _postgresql(element, compiler, **kw):
    _, text = (compiler.process(c, **kw) for c in element.clauses.clauses)

    def like(word: str) -> str:
        return f"{text} LIKE {_bound(compiler, _like(word), **kw)}"

    alternatives = ["(" + (" AND ".join(like(w) for w in element.words) or "1 = 1") + ")"]
    if element.compact:
        alternatives.append(like(element.compact))
    return "(" + " OR ".join(alternatives) + ")"
