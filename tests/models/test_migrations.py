"""The schema comes from Alembic migrations, matches the models, and `init` can repeat."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from models import Base, Database
from models.migrate import upgrade
from models.search import outside_the_models


def test_migrations_build_exactly_the_models_tables(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(
            conn, opts={"include_name": outside_the_models}), Base.metadata)
    assert diff == []
    assert {"child", "pathway_instance", "human_task", "deadline", "audit_event",
            "diagram_version"} <= set(inspect(db.engine).get_table_names())


def test_upgrading_twice_is_harmless(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'twice.db'}")
    upgrade(db)
    upgrade(db)
    with db.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == "0022"
