"""Order storage on SQLModel: every write is one transaction; knows no gRPC and no vendor."""

import hashlib
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar, cast

from google.protobuf import field_mask_pb2, timestamp_pb2
from google.protobuf.message import Message
from orderbridge.v1 import order_pb2
from sqlalchemy import Table, and_, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from core.errors import (
    AlreadyExists,
    Conflict,
    DeadlineExceeded,
    InvalidArgument,
    NotFound,
    OrderError,
)
from core.money import decimal_from_money, money_from_decimal
from core.validation import OUTPUT_ONLY_FIELDS, check_order
from service.convert import (
    etag_for,
    order_name,
    record_values,
    timestamp_from_datetime,
    updated_values,
)
from service.database import Database
from service.tables import ExternalRefRecord, OrderRecord, RequestRecord, TenantCounterRecord

ResponseT = TypeVar("ResponseT", bound=Message)

MAX_BATCH = 1000


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def new_order_id() -> str:
    """A random 32-hex-digit order id."""
    return uuid.uuid4().hex


def fingerprint_of(request: Message) -> str:
    """A digest of a request, to tell a retry from a different request with the same id."""
    return hashlib.sha256(request.SerializeToString(deterministic=True)).hexdigest()


# SQLModel declares __table__ at runtime only, so the type checker cannot see it.
ORDERS = cast(Table, OrderRecord.__table__)  # type: ignore[attr-defined]  # set at runtime
REFS = cast(Table, ExternalRefRecord.__table__)  # type: ignore[attr-defined]  # set at runtime
REQUESTS = cast(Table, RequestRecord.__table__)  # type: ignore[attr-defined]  # set at runtime
COUNTERS = cast(Table, TenantCounterRecord.__table__)  # type: ignore[attr-defined]  # set at runtime


@dataclass(frozen=True)
class _Statements:
    """The write path's statements, built once: executing them skips SQL compilation."""

    claim_request: Any
    read_request: Any
    answer_request: Any
    next_serial: Any
    load: Any
    load_locked: Any
    ref_owner: Any
    insert_order: Any
    claim_ref: Any
    update_order: Any
    drop_ref: Any


def _statements(dialect_insert: Callable[[Table], Any]) -> _Statements:
    load = select(ORDERS.c.tenant, ORDERS.c.body).where(ORDERS.c.id == bindparam("order_id"))
    request_key = and_(
        REQUESTS.c.tenant == bindparam("key_tenant"),
        REQUESTS.c.request_id == bindparam("key_request_id"),
    )
    ref_key = and_(
        REFS.c.tenant == bindparam("key_tenant"),
        REFS.c.source == bindparam("key_source"),
        REFS.c.external_id == bindparam("key_external_id"),
    )
    return _Statements(
        claim_request=dialect_insert(REQUESTS)
        .on_conflict_do_nothing()
        .returning(REQUESTS.c.request_id),
        read_request=select(REQUESTS.c.method, REQUESTS.c.fingerprint, REQUESTS.c.response).where(
            request_key
        ),
        answer_request=REQUESTS.update().where(request_key).values(response=bindparam("answer")),
        next_serial=dialect_insert(COUNTERS)
        .values(tenant=bindparam("key_tenant"), last_serial=1)
        .on_conflict_do_update(
            index_elements=["tenant"], set_={"last_serial": COUNTERS.c.last_serial + 1}
        )
        .returning(COUNTERS.c.last_serial),
        load=load,
        load_locked=load.with_for_update(),
        ref_owner=select(REFS.c.order_id).where(ref_key),
        insert_order=ORDERS.insert(),
        claim_ref=dialect_insert(REFS).on_conflict_do_nothing().returning(REFS.c.source),
        update_order=ORDERS.update().where(ORDERS.c.id == bindparam("key_order_id")),
        drop_ref=REFS.delete().where(ref_key).where(REFS.c.order_id == bindparam("order_id")),
    )


class _RefTaken(Exception):
    """An insert lost a race for an external reference; the caller may retry as an update."""


@dataclass(frozen=True)
class UpsertEntry:
    """One order of a batch upsert."""

    order: order_pb2.Order
    key_source: str
    paths: list[str]


class OrderRepository:
    """Reads and writes orders of any tenant; the caller has already checked who may."""

    def __init__(
        self,
        database: Database,
        *,
        clock: Callable[[], datetime] = utc_now,
        new_id: Callable[[], str] = new_order_id,
    ) -> None:
        self.database = database
        self._clock = clock
        self._new_id = new_id
        # INSERT … ON CONFLICT … RETURNING: one round trip on both databases.
        dialect = postgresql if database.writer.dialect.name == "postgresql" else sqlite
        self._sql = _statements(dialect.insert)

    # -- transactions -------------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        # Core connections, not ORM sessions: the repository never loads mapped objects.
        with self.database.writer.begin() as connection:
            yield connection

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with self.database.reader.begin() as connection:
            yield connection

    def run_idempotent(
        self,
        *,
        tenant: str,
        request_id: str,
        method: str,
        fingerprint: str,
        response_type: type[ResponseT],
        work: Callable[[Connection], ResponseT],
        time_left: Callable[[], float | None] = lambda: None,
        retries: int = 3,
    ) -> ResponseT:
        """Runs `work` in one write transaction; with a request_id, at most once.

        The request row is inserted before the work, in the same transaction, so a concurrent
        call with the same id waits on its unique key and then reads the first result.
        """
        for attempt in range(retries):
            try:
                with self._writing() as connection:
                    if request_id:
                        stored = self._claim_request(
                            connection, tenant, request_id, method, fingerprint
                        )
                        if stored is not None:
                            return self._replay(stored, method, fingerprint, response_type)
                    response = work(connection)
                    remaining = time_left()
                    if remaining is not None and remaining <= 0:
                        # The caller has given up: roll back rather than commit a write nobody
                        # was told about.
                        raise DeadlineExceeded("deadline exceeded before commit")
                    if request_id:
                        connection.execute(
                            self._sql.answer_request,
                            {
                                "key_tenant": tenant,
                                "key_request_id": request_id,
                                "answer": response.SerializeToString(deterministic=True),
                            },
                        )
                    return response
            except (IntegrityError, _RefTaken):
                # Lost a race for an external reference; it is committed now, so the next
                # attempt updates the order that holds it.
                if attempt == retries - 1:
                    raise AlreadyExists(
                        "a concurrent request took the same key", reason="CONCURRENT_WRITE"
                    ) from None
        raise AssertionError("unreachable")

    def _claim_request(
        self, connection: Connection, tenant: str, request_id: str, method: str, fingerprint: str
    ) -> Any:
        """Inserts the request row, or returns the one a previous call committed.

        A concurrent call with the same id waits on the unique key (PostgreSQL) or on the write
        lock (SQLite) and then finds the first call's row.
        """
        claimed = connection.execute(
            self._sql.claim_request,
            {
                "tenant": tenant,
                "request_id": request_id,
                "method": method,
                "fingerprint": fingerprint,
                "response": b"",
                "create_time": self._clock(),
            },
        ).first()
        if claimed is not None:
            return None
        return connection.execute(
            self._sql.read_request, {"key_tenant": tenant, "key_request_id": request_id}
        ).one()

    @staticmethod
    def _replay(
        stored: Any, method: str, fingerprint: str, response_type: type[ResponseT]
    ) -> ResponseT:
        if stored.method != method or stored.fingerprint != fingerprint:
            raise InvalidArgument(
                "request_id was already used for a different request",
                violations=[("request_id", "already used for a different request")],
                reason="REQUEST_ID_REUSED",
            )
        return response_type.FromString(stored.response)

    # -- stamping -----------------------------------------------------------------------------

    def _now(self) -> timestamp_pb2.Timestamp:
        return timestamp_from_datetime(self._clock())

    def _next_serial(self, connection: Connection, tenant: str) -> int:
        serial = connection.execute(self._sql.next_serial, {"key_tenant": tenant})
        return int(serial.scalar_one())

    # -- reads --------------------------------------------------------------------------------

    def _load(
        self, connection: Connection, tenant: str, order_id: str, *, lock: bool = False
    ) -> order_pb2.Order:
        statement = self._sql.load_locked if lock else self._sql.load
        row = connection.execute(statement, {"order_id": order_id}).first()
        if row is None or row[0] != tenant:
            raise NotFound(f"order {order_name(tenant, order_id)} not found")
        return order_pb2.Order.FromString(row[1])

    def get(self, *, tenant: str, order_id: str) -> order_pb2.Order:
        """The order, archived or not. NotFound when missing or another tenant's."""
        with self._reading() as connection:
            return self._load(connection, tenant, order_id)

    def _order_id_for_ref(
        self, connection: Connection, tenant: str, source: str, ref_id: str
    ) -> str | None:
        owner: str | None = connection.execute(
            self._sql.ref_owner,
            {"key_tenant": tenant, "key_source": source, "key_external_id": ref_id},
        ).scalar()
        return owner

    def lookup(
        self, *, tenant: str, ref: order_pb2.ExternalRef, show_deleted: bool
    ) -> order_pb2.Order:
        """The order holding an external reference."""
        with self._reading() as connection:
            order_id = self._order_id_for_ref(connection, tenant, ref.source, ref.id)
            if order_id is not None:
                order = self._load(connection, tenant, order_id)
                if show_deleted or not order.HasField("archive_time"):
                    return order
        raise NotFound(f"no order with external reference {ref.source}/{ref.id}")

    # -- writes (each takes the open write connection) -----------------------------------------

    def insert_order(
        self, connection: Connection, *, tenant: str, order: order_pb2.Order
    ) -> order_pb2.Order:
        """Stores a new order (already checked by the caller: check_order).

        AlreadyExists when one of its references is another order's.
        """
        stored = order_pb2.Order()
        stored.CopyFrom(order)
        for field in OUTPUT_ONLY_FIELDS:
            stored.ClearField(field)
        order_id = self._new_id()
        now = self._now()
        stored.name = order_name(tenant, order_id)
        stored.serial_number = self._next_serial(connection, tenant)
        if not stored.order_number:
            # Every order gets a human-facing number; BigCommerce shows the serial as its id.
            stored.order_number = str(stored.serial_number)
        stored.revision = 1
        stored.etag = etag_for(order_id, 1)
        stored.create_time.CopyFrom(now)
        stored.update_time.CopyFrom(now)
        connection.execute(self._sql.insert_order, record_values(tenant, order_id, stored))
        self._claim_refs(connection, tenant, order_id, stored.external_refs)
        return stored

    def _claim_refs(
        self,
        connection: Connection,
        tenant: str,
        order_id: str,
        refs: Sequence[order_pb2.ExternalRef],
    ) -> None:
        """Points each reference at the order; AlreadyExists when one is another order's."""
        keys = {(ref.source, ref.id) for ref in refs}
        if not keys:
            return
        for source, ref_id in sorted(keys):
            row = {"tenant": tenant, "source": source, "external_id": ref_id}
            if connection.execute(self._sql.claim_ref, {**row, "order_id": order_id}).first():
                continue
            if self._order_id_for_ref(connection, tenant, source, ref_id) != order_id:
                raise AlreadyExists(
                    f"external reference {source}/{ref_id} belongs to another order",
                    reason="EXTERNAL_REF_TAKEN",
                )

    def _store_change(
        self,
        connection: Connection,
        tenant: str,
        current: order_pb2.Order,
        updated: order_pb2.Order,
    ) -> order_pb2.Order:
        if updated.SerializeToString(deterministic=True) == current.SerializeToString(
            deterministic=True
        ):
            return current  # nothing changed: no new revision
        order_id = current.name.rsplit("/", 1)[1]
        updated.revision = current.revision + 1
        updated.etag = etag_for(order_id, updated.revision)
        updated.update_time.CopyFrom(self._now())
        if list(updated.external_refs) != list(current.external_refs):
            kept = {(ref.source, ref.id) for ref in updated.external_refs}
            for ref in current.external_refs:
                if (ref.source, ref.id) not in kept:
                    connection.execute(
                        self._sql.drop_ref,
                        {
                            "key_tenant": tenant,
                            "key_source": ref.source,
                            "key_external_id": ref.id,
                            "order_id": order_id,
                        },
                    )
            self._claim_refs(connection, tenant, order_id, updated.external_refs)
        connection.execute(
            self._sql.update_order, {**updated_values(updated), "key_order_id": order_id}
        )
        return updated

    def update_order(
        self,
        connection: Connection,
        *,
        tenant: str,
        order_id: str,
        patch: order_pb2.Order,
        paths: list[str],
        expected_etag: str = "",
    ) -> order_pb2.Order:
        """Replaces the masked fields; keeps the previous line items when the items change."""
        current = self._load(connection, tenant, order_id, lock=True)
        if expected_etag and expected_etag != current.etag:
            raise Conflict(f"etag {expected_etag} is stale; the order is at {current.etag}")
        updated = order_pb2.Order()
        updated.CopyFrom(current)
        apply_mask(patch, updated, paths)
        items_changed = list(updated.line_items) != list(current.line_items)
        sent_previous = "previous_line_items" in paths and len(patch.previous_line_items) > 0
        if not sent_previous:
            # An empty previous_line_items never erases the history: the server keeps it.
            del updated.previous_line_items[:]
            updated.previous_line_items.extend(
                current.line_items if items_changed else current.previous_line_items
            )
        check_order(updated)
        return self._store_change(connection, tenant, current, updated)

    def upsert_order(
        self, connection: Connection, *, tenant: str, entry: UpsertEntry
    ) -> tuple[order_pb2.Order, bool]:
        """Updates the order holding the key reference, or creates it."""
        keys = [ref.id for ref in entry.order.external_refs if ref.source == entry.key_source]
        if not entry.key_source or not keys:
            raise InvalidArgument(
                "the order needs an external reference of key_source",
                violations=[
                    ("order.external_refs", f"no reference of source {entry.key_source!r}")
                ],
            )
        order_id = self._order_id_for_ref(connection, tenant, entry.key_source, keys[0])
        if order_id is None:
            try:
                # In a savepoint, so that a refused insert leaves none of its own rows behind.
                with connection.begin_nested():
                    return self.insert_order(connection, tenant=tenant, order=entry.order), True
            except AlreadyExists:
                # A concurrent upsert committed the same key after we looked: update it instead.
                if (
                    self._order_id_for_ref(connection, tenant, entry.key_source, keys[0])
                    is not None
                ):
                    raise _RefTaken from None
                raise
        updated = self.update_order(
            connection, tenant=tenant, order_id=order_id, patch=entry.order, paths=entry.paths
        )
        return updated, False

    def batch_upsert(
        self, connection: Connection, *, tenant: str, entries: Sequence[UpsertEntry]
    ) -> list[tuple[order_pb2.Order, bool] | OrderError]:
        """Each entry in its own savepoint inside one transaction (one commit for the batch)."""
        results: list[tuple[order_pb2.Order, bool] | OrderError] = []
        for entry in entries:
            for attempt in range(2):
                try:
                    with connection.begin_nested():
                        results.append(self.upsert_order(connection, tenant=tenant, entry=entry))
                    break
                except (_RefTaken, IntegrityError):
                    if attempt == 1:
                        results.append(AlreadyExists("a concurrent request took the same key"))
                except OrderError as error:
                    results.append(error)
                    break
        return results

    def archive_order(
        self, connection: Connection, *, tenant: str, order_id: str, expected_etag: str = ""
    ) -> order_pb2.Order:
        """Sets archive_time; an archived order is returned unchanged."""
        current = self._load(connection, tenant, order_id, lock=True)
        if expected_etag and expected_etag != current.etag:
            raise Conflict(f"etag {expected_etag} is stale; the order is at {current.etag}")
        if current.HasField("archive_time"):
            return current
        updated = order_pb2.Order()
        updated.CopyFrom(current)
        updated.archive_time.CopyFrom(self._now())
        return self._store_change(connection, tenant, current, updated)

    def cancel_order(
        self,
        connection: Connection,
        *,
        tenant: str,
        order_id: str,
        cancel_time: timestamp_pb2.Timestamp | None,
    ) -> order_pb2.Order:
        """Lifecycle CANCELLED with its time; a cancelled order is returned unchanged."""
        current = self._load(connection, tenant, order_id, lock=True)
        if current.lifecycle_state == order_pb2.LIFECYCLE_STATE_CANCELLED:
            return current
        updated = order_pb2.Order()
        updated.CopyFrom(current)
        updated.lifecycle_state = order_pb2.LIFECYCLE_STATE_CANCELLED
        updated.cancel_time.CopyFrom(cancel_time if cancel_time is not None else self._now())
        return self._store_change(connection, tenant, current, updated)

    def add_refund(
        self, connection: Connection, *, tenant: str, order_id: str, refund: order_pb2.Refund
    ) -> order_pb2.Order:
        """Appends a refund, sums refunded_total and moves the payment state."""
        current = self._load(connection, tenant, order_id, lock=True)
        currency = current.currency_code
        if refund.amount.currency_code not in ("", currency):
            raise InvalidArgument(
                f"refund currency must be the order's {currency}",
                violations=[("refund.amount.currency_code", f"must be {currency}")],
            )
        amount = decimal_from_money(refund.amount)
        if amount <= 0:
            raise InvalidArgument(
                "refund amount must be positive",
                violations=[("refund.amount", "must be positive")],
            )
        if refund.upstream_id:
            for existing in current.refunds:
                if existing.upstream_id == refund.upstream_id:
                    if decimal_from_money(existing.amount) == amount:
                        return current  # the same refund, re-sent
                    raise AlreadyExists(
                        f"refund {refund.upstream_id} was recorded with another amount",
                        reason="REFUND_EXISTS",
                    )
        updated = order_pb2.Order()
        updated.CopyFrom(current)
        added = updated.refunds.add()
        added.CopyFrom(refund)
        added.id = self._new_id()
        added.amount.currency_code = currency
        if not added.HasField("refund_time"):
            added.refund_time.CopyFrom(self._now())
        refunded = sum((decimal_from_money(item.amount) for item in updated.refunds), Decimal(0))
        updated.refunded_total.CopyFrom(money_from_decimal(refunded, currency))
        total = decimal_from_money(current.total)
        updated.payment_state = (
            order_pb2.PAYMENT_STATE_REFUNDED
            if total > 0 and refunded >= total
            else order_pb2.PAYMENT_STATE_PARTIALLY_REFUNDED
        )
        return self._store_change(connection, tenant, current, updated)


def apply_mask(patch: order_pb2.Order, target: order_pb2.Order, paths: Sequence[str]) -> None:
    """Copies the masked fields of `patch` onto `target`, replacing messages and lists whole.

    `vendor_data.<vendor>` replaces that one vendor's entry (or removes it when the patch has
    none), so each vendor door can write its own data without touching the others'.
    """
    plain = []
    for path in paths:
        top, _, key = path.partition(".")
        if top == "vendor_data" and key:
            if key in patch.vendor_data:
                target.vendor_data[key].CopyFrom(patch.vendor_data[key])
            elif key in target.vendor_data:
                del target.vendor_data[key]
        else:
            plain.append(path)
    if plain:
        field_mask_pb2.FieldMask(paths=plain).MergeMessage(
            patch, target, replace_message_field=True, replace_repeated_field=True
        )
