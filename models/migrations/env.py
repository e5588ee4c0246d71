"""Alembic environment: runs migrations on the connection `models.migrate` hands it."""
from alembic import context

from models.search import outside_the_models
from models.tables import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through models.migrate.upgrade(), which passes a connection")

context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite",
                  include_name=outside_the_models)
with context.begin_transaction():
    context.run_migrations()
