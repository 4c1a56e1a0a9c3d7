"""The page-token signing key, read once from the database at start; it never makes a key.

Migration 0003 stores one random key per database, so every replica of one database signs and
checks page tokens alike. A database without it has not been migrated: starting fails loudly
rather than serving unsigned or per-process tokens.
"""

from typing import Any, cast

from sqlalchemy import Engine, Table, inspect, select

from service.tables import ServiceSecretRecord

# The row migration 0003 writes (a migration must not import this module, so the name is twice).
PAGE_TOKEN_KEY = "page_token_hmac_sha256"
_SECRETS = cast(Table, ServiceSecretRecord.__table__)  # type: ignore[attr-defined]  # set at runtime


class PageKeyMissing(RuntimeError):
    """The database holds no page-token key: run `orderbridge migrate`."""


def load_page_key(engine: Engine) -> bytes:
    """The database's page-token key (32 random bytes)."""
    statement = select(_SECRETS.c.value).where(_SECRETS.c.name == PAGE_TOKEN_KEY)
    with engine.connect() as connection:
        # Asked first, so that an unmigrated database is told apart from a failing one.
        present = inspect(connection).has_table(_SECRETS.name)
        value: Any = connection.execute(statement).scalar_one_or_none() if present else None
    if not value:
        raise PageKeyMissing("the database has no page-token key: run `orderbridge migrate`")
    return bytes(value)
