"""Schema upgrades through Alembic, run programmatically on an open database."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from service.database import Database

_SCRIPTS = Path(__file__).with_name("migrations")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    return config


def head_revision() -> str:
    """The newest migration shipped with this code."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(database: Database) -> str | None:
    """The migration the database is at, or None when it has never been migrated."""
    with database.writer.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(database: Database) -> str:
    """Upgrades the schema to head; safe to run again. Returns the head revision."""
    config = _config()
    with database.writer.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return head_revision()


class SchemaBehind(RuntimeError):
    """The database is older than this code and not empty: run `orderbridge migrate`."""


def ensure_schema(database: Database) -> None:
    """Migrates an empty database; refuses one at an older revision (migrations are explicit)."""
    current = current_revision(database)
    if current is None:
        upgrade(database)
    elif current != head_revision():
        raise SchemaBehind(
            f"database schema is at {current}, this code needs {head_revision()}: "
            "run `orderbridge migrate`"
        )
