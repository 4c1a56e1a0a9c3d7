"""Alembic migrations build exactly the schema the SQLModel tables describe."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import service.tables  # noqa: F401  # registers the tables
from service.database import Database, open_database
from service.migrate import SchemaBehind, current_revision, ensure_schema, head_revision, upgrade
from tests.conftest import drop_postgres_schema, fresh_postgres_url


def _schema_differences(database: Database) -> list[object]:
    with database.writer.connect() as connection:
        context = MigrationContext.configure(connection)
        return list(compare_metadata(context, SQLModel.metadata))


def test_migrated_sqlite_schema_matches_the_tables(tmp_path: object) -> None:
    database = open_database(f"sqlite:///{tmp_path}/m.db")
    try:
        assert current_revision(database) is None
        ensure_schema(database)
        assert current_revision(database) == head_revision()
        assert _schema_differences(database) == []
        assert upgrade(database) == head_revision()  # running it again is harmless
    finally:
        database.dispose()


def test_migrated_postgres_schema_matches_the_tables() -> None:
    url, schema = fresh_postgres_url()
    database = open_database(url)
    try:
        ensure_schema(database)
        assert _schema_differences(database) == []
    finally:
        database.dispose()
        drop_postgres_schema(schema)


def test_serve_refuses_a_database_at_an_older_revision(tmp_path: object) -> None:
    database = open_database(f"sqlite:///{tmp_path}/old.db")
    try:
        upgrade(database)
        with database.writer.begin() as connection:
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0000'")
        with pytest.raises(SchemaBehind, match="orderbridge migrate"):
            ensure_schema(database)
    finally:
        database.dispose()
