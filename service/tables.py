"""SQLModel tables; they never leave `service/` (the wire type is the proto in `body`)."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Dialect,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite keeps no offset of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime")
        moment = value.astimezone(UTC)
        return moment.replace(tzinfo=None) if dialect.name == "sqlite" else moment

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class OrderRecord(SQLModel, table=True):
    """One order: the serialized proto plus the columns lists and filters need."""

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("tenant", "serial_number", name="uq_orders_tenant_serial"),
        Index("ix_orders_tenant_create", "tenant", "create_time", "id"),
        Index("ix_orders_tenant_update", "tenant", "update_time", "id"),
        # `channel` filters and orderings run inside one tenant, the id breaking ties.
        Index("ix_orders_tenant_channel", "tenant", "channel", "id"),
    )

    id: str = Field(primary_key=True, max_length=32)
    tenant: str = Field(max_length=128)
    serial_number: int = Field(sa_column=Column(BigInteger, nullable=False))
    revision: int = Field(sa_column=Column(BigInteger, nullable=False))
    order_number: str = Field(default="", max_length=256, index=True)
    cart_id: str = Field(default="", max_length=256)
    # A server default too: migration 0002 added the column to tables that already had rows.
    channel: str = Field(
        default="", sa_column=Column(String(256), nullable=False, server_default="")
    )
    customer_id: str = Field(default="", max_length=256)
    customer_email: str = Field(default="", max_length=320)
    payment_method: str = Field(default="", max_length=256)
    lifecycle_state: int = 0
    payment_state: int = 0
    fulfillment_state: int = 0
    native_source: str = Field(default="", max_length=64)
    native_code: str = Field(default="", max_length=128)
    native_label: str = Field(default="", max_length=256)
    currency_code: str = Field(default="", max_length=3)
    # The grand total in nanos of its currency, so `total` filters compare exactly.
    total_nanos: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    create_time: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    update_time: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # The order's place_time, else its create_time (an order that names no placing time was
    # placed when it was recorded). Nullable as before that rule; lists read it through
    # COALESCE(place_time, create_time), so a row written without it still sorts and pages.
    place_time: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    archive_time: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class ExternalRefRecord(SQLModel, table=True):
    """An external reference, unique per tenant and source: the key for idempotent upserts."""

    __tablename__ = "external_refs"

    tenant: str = Field(primary_key=True, max_length=128)
    source: str = Field(primary_key=True, max_length=128)
    external_id: str = Field(primary_key=True, max_length=256)
    order_id: str = Field(foreign_key="orders.id", index=True, max_length=32)


class TenantCounterRecord(SQLModel, table=True):
    """The last serial number handed out per tenant (BigCommerce integer order ids)."""

    __tablename__ = "tenant_counters"

    tenant: str = Field(primary_key=True, max_length=128)
    last_serial: int = Field(sa_column=Column(BigInteger, nullable=False))


class RequestRecord(SQLModel, table=True):
    """A mutating call's request_id with its request fingerprint and first response."""

    __tablename__ = "requests"

    tenant: str = Field(primary_key=True, max_length=128)
    request_id: str = Field(primary_key=True, max_length=128)
    method: str = Field(max_length=64)
    fingerprint: str = Field(max_length=64)
    response: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    create_time: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ServiceSecretRecord(SQLModel, table=True):
    """A secret every replica on this database shares (the page-token key), made by migration."""

    __tablename__ = "service_secrets"

    name: str = Field(primary_key=True, max_length=64)
    value: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
