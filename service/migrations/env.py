"""Alembic environment: runs on the connection service.migrate hands it; no URL of its own."""

from alembic import context
from sqlmodel import SQLModel

import service.tables  # noqa: F401  # registers the tables on SQLModel.metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
