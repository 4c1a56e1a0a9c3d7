"""Orders, external references, per-tenant serial counters and request ids.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from service.tables import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("tenant", sa.String(128), nullable=False),
        sa.Column("serial_number", sa.BigInteger, nullable=False),
        sa.Column("revision", sa.BigInteger, nullable=False),
        sa.Column("order_number", sa.String(256), nullable=False),
        sa.Column("cart_id", sa.String(256), nullable=False),
        sa.Column("customer_id", sa.String(256), nullable=False),
        sa.Column("customer_email", sa.String(320), nullable=False),
        sa.Column("payment_method", sa.String(256), nullable=False),
        sa.Column("lifecycle_state", sa.Integer, nullable=False),
        sa.Column("payment_state", sa.Integer, nullable=False),
        sa.Column("fulfillment_state", sa.Integer, nullable=False),
        sa.Column("native_source", sa.String(64), nullable=False),
        sa.Column("native_code", sa.String(128), nullable=False),
        sa.Column("native_label", sa.String(256), nullable=False),
        sa.Column("currency_code", sa.String(3), nullable=False),
        sa.Column("total_nanos", sa.BigInteger, nullable=False),
        sa.Column("create_time", UTCDateTime(), nullable=False),
        sa.Column("update_time", UTCDateTime(), nullable=False),
        sa.Column("place_time", UTCDateTime(), nullable=True),
        sa.Column("archive_time", UTCDateTime(), nullable=True),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.UniqueConstraint("tenant", "serial_number", name="uq_orders_tenant_serial"),
    )
    op.create_index("ix_orders_tenant_create", "orders", ["tenant", "create_time", "id"])
    op.create_index("ix_orders_tenant_update", "orders", ["tenant", "update_time", "id"])
    op.create_index("ix_orders_order_number", "orders", ["order_number"])
    op.create_table(
        "external_refs",
        sa.Column("tenant", sa.String(128), primary_key=True),
        sa.Column("source", sa.String(128), primary_key=True),
        sa.Column("external_id", sa.String(256), primary_key=True),
        sa.Column("order_id", sa.String(32), sa.ForeignKey("orders.id"), nullable=False),
    )
    op.create_index("ix_external_refs_order_id", "external_refs", ["order_id"])
    op.create_table(
        "tenant_counters",
        sa.Column("tenant", sa.String(128), primary_key=True),
        sa.Column("last_serial", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "requests",
        sa.Column("tenant", sa.String(128), primary_key=True),
        sa.Column("request_id", sa.String(128), primary_key=True),
        sa.Column("method", sa.String(64), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("response", sa.LargeBinary, nullable=False),
        sa.Column("create_time", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("requests")
    op.drop_table("tenant_counters")
    op.drop_index("ix_external_refs_order_id", "external_refs")
    op.drop_table("external_refs")
    op.drop_index("ix_orders_order_number", "orders")
    op.drop_index("ix_orders_tenant_update", "orders")
    op.drop_index("ix_orders_tenant_create", "orders")
    op.drop_table("orders")
