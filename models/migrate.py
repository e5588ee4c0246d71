"""Schema changes go through Alembic; this runs them from code (the `init` command, tests).

Upgrading a database that is already at head does nothing, so `init` is harmless to repeat.
"""
from pathlib import Path

from alembic import command
from alembic.config import Config

from .database import Database

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(db: Database, revision: str = "head") -> None:
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def autogenerate(db: Database, message: str) -> None:
    """For developers: write a new migration from the difference between tables.py and `db`."""
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)
