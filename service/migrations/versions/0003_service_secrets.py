"""A `service_secrets` table holding one random page-token key per database.

Revision ID: 0003
Revises: 0002

Every replica on one database reads the same key, so a page token one replica signs another
accepts, and a token signed for another database is refused. The key is made here, once, with
the operating system's randomness; it never leaves the database. This migration must not import
the current tables.
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

PAGE_TOKEN_KEY = "page_token_hmac_sha256"
_KEY_BYTES = 32  # HMAC-SHA256's block is 64 bytes; 32 random bytes match its strength


def upgrade() -> None:
    secrets_table = op.create_table(
        "service_secrets",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.LargeBinary, nullable=False),
    )
    op.bulk_insert(
        secrets_table, [{"name": PAGE_TOKEN_KEY, "value": secrets.token_bytes(_KEY_BYTES)}]
    )


def downgrade() -> None:
    op.drop_table("service_secrets")
