"""a text index for the child search: FTS5 trigram on SQLite, pg_trgm on PostgreSQL

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-26
"""
import logging

from alembic import op

from models.search import TEXT_INDEX_SQLITE, TRIGRAM_INDEX_POSTGRESQL

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in TEXT_INDEX_SQLITE:
            op.execute(statement)
        op.execute("INSERT INTO child_search(child_search) VALUES ('rebuild')")
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it. Where a
    # host forbids it, the search still answers (LIKE), only without the index.
    with bind.begin_nested() as savepoint:
        try:
            op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as error:   # noqa: BLE001 - any refusal leaves the search unindexed
            savepoint.rollback()
            log.warning("pg_trgm is not available (%s): the child search runs unindexed", error)
            return
    op.execute(TRIGRAM_INDEX_POSTGRESQL)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("child_search_inserted", "child_search_updated", "child_search_deleted"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS child_search")
    else:
        op.execute("DROP INDEX IF EXISTS ix_child_search_trigram")
