"""Orders gain an indexed `channel` column, and `place_time` falls back to `create_time`.

Revision ID: 0002
Revises: 0001

Existing rows get their channel from the stored proto body, read in batches by id so neither
database holds the whole table in memory; rows that name no place_time take their create_time.
This migration must not import the current tables: it runs against the 0001 schema.
"""

import sqlalchemy as sa
from alembic import op
from google.protobuf.message import DecodeError
from orderbridge.v1 import order_pb2

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BATCH = 500
_CHANNEL_WIDTH = 256
_orders = sa.table(
    "orders",
    sa.column("id", sa.String),
    sa.column("body", sa.LargeBinary),
    sa.column("channel", sa.String),
    sa.column("create_time"),
    sa.column("place_time"),
)


def _channel_of(body: bytes) -> str:
    try:
        channel = order_pb2.Order.FromString(body).channel
    except DecodeError:
        return ""
    # Nothing bounded `channel` before this revision: keep what the column can hold
    # (PostgreSQL text holds no NUL, and varchar(256) refuses more).
    return channel.replace("\x00", "")[:_CHANNEL_WIDTH]


def _backfill_channels(connection: sa.Connection) -> None:
    set_channel = (
        sa.update(_orders)
        .where(_orders.c.id == sa.bindparam("key_id"))
        .values(channel=sa.bindparam("new_channel"))
    )
    last_id = ""
    while True:
        rows = connection.execute(
            sa.select(_orders.c.id, _orders.c.body)
            .where(_orders.c.id > last_id)
            .order_by(_orders.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        changes = [
            {"key_id": order_id, "new_channel": channel}
            for order_id, body in rows
            if (channel := _channel_of(body))
        ]
        if changes:
            connection.execute(set_channel, changes)
        last_id = rows[-1][0]


def upgrade() -> None:
    op.add_column(
        "orders",
        sa.Column("channel", sa.String(_CHANNEL_WIDTH), nullable=False, server_default=""),
    )
    op.create_index("ix_orders_tenant_channel", "orders", ["tenant", "channel", "id"])
    connection = op.get_bind()
    _backfill_channels(connection)
    connection.execute(
        sa.update(_orders)
        .where(_orders.c.place_time.is_(None))
        .values(place_time=_orders.c.create_time)
    )


def downgrade() -> None:
    # place_time stays filled: a placing time equal to the create time is still true.
    op.drop_index("ix_orders_tenant_channel", "orders")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("channel")
