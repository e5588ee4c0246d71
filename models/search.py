"""The child search's column: a child's name and reference as a search matches them (lower
case, spaces collapsed, and the reference again without spaces or hyphens), kept up to date
whenever a child is written, so a search reads one narrow indexed column (migration 0007)."""
from sqlalchemy import event


def search_text(name: str | None, reference: str | None) -> str:
    name, reference = " ".join((name or "").split()), " ".join((reference or "").split())
    bare = reference.replace(" ", "").replace("-", "")
    return f"{name} | {reference} | {bare}".lower()[:400]


def search_text_default(context) -> str:
    """The column's default on insert, for the ORM and for bulk inserts alike."""
    values = context.get_current_parameters()
    return search_text(values.get("name"), values.get("reference"))


def keep_search_text(child_class) -> None:
    """A child renamed (or re-referenced) through the ORM is found by the new name."""
    @event.listens_for(child_class, "before_update")
    def _renamed(mapper, connection, child):
        child.search_text = search_text(child.name, child.reference)


#: SQLite: an FTS5 index of trigrams over child.search_text (no copy of the text: the child
#: table is its content), kept by triggers so bulk inserts and raw updates are found too.
TEXT_INDEX_SQLITE = (
    "CREATE VIRTUAL TABLE child_search USING fts5(search_text, content='child', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER child_search_inserted AFTER INSERT ON child BEGIN "
    "INSERT INTO child_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER child_search_deleted AFTER DELETE ON child BEGIN "
    "INSERT INTO child_search(child_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER child_search_updated AFTER UPDATE OF search_text ON child BEGIN "
    "INSERT INTO child_search(child_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO child_search(rowid, search_text) VALUES (new.id, new.search_text); END",
)
#: PostgreSQL: a trigram GIN index, which `search_text LIKE '%word%'` uses.
TRIGRAM_INDEX_POSTGRESQL = ("CREATE INDEX ix_child_search_trigram ON child "
                            "USING gin (search_text gin_trgm_ops)")
#: What the migration makes outside the models' tables (comparisons leave them aside).
TEXT_INDEX_NAMES = frozenset({
    "child_search", "child_search_data", "child_search_idx", "child_search_docsize",
    "child_search_config", "ix_child_search_trigram"})


def outside_the_models(name, type_, parent_names) -> bool:
    """Alembic's include_name: False for the search index's own tables and index."""
    return name not in TEXT_INDEX_NAMES
