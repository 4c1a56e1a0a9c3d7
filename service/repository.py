"""Order storage on SQLModel tables: the core's unit of work and reader; no rules, no gRPC."""

from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from orderbridge.v1 import order_pb2
from sqlalchemy import Table, and_, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from core.errors import AlreadyExists, NotFound
from core.ports import StoredReply, WriteConflict, WriteRace
from core.rules import order_id_of, order_name
from service.convert import record_values, updated_values
from service.database import Database, is_transient_conflict
from service.filtering import Expression
from service.listing import matching_ids
from service.tables import ExternalRefRecord, OrderRecord, RequestRecord, TenantCounterRecord

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


class SqlOrderStore:
    """The OrderStore port on one open Core connection (one transaction)."""

    def __init__(self, connection: Connection, statements: _Statements) -> None:
        self._connection = connection
        self._sql = statements

    def claim_request(
        self, tenant: str, request_id: str, method: str, fingerprint: str
    ) -> StoredReply | None:
        """Inserts the request row, or returns the one a previous call committed.

        A concurrent call with the same id waits on the unique key (PostgreSQL) or on the write
        lock (SQLite) and then finds the first call's row.
        """
        claimed = self._connection.execute(
            self._sql.claim_request,
            {
                "tenant": tenant,
                "request_id": request_id,
                "method": method,
                "fingerprint": fingerprint,
                "response": b"",
                "create_time": datetime.now(UTC),
            },
        ).first()
        if claimed is not None:
            return None
        row = self._connection.execute(
            self._sql.read_request, {"key_tenant": tenant, "key_request_id": request_id}
        ).one()
        return StoredReply(method=row.method, fingerprint=row.fingerprint, reply=row.response)

    def record_reply(self, tenant: str, request_id: str, reply: bytes) -> None:
        self._connection.execute(
            self._sql.answer_request,
            {"key_tenant": tenant, "key_request_id": request_id, "answer": reply},
        )

    def next_serial(self, tenant: str) -> int:
        serial = self._connection.execute(self._sql.next_serial, {"key_tenant": tenant})
        return int(serial.scalar_one())

    def lock_orders(
        self, tenant: str, order_ids: Collection[str], refs: Collection[tuple[str, str]]
    ) -> None:
        if not order_ids and not refs:
            return
        # First the owners of the references, one indexed lookup per source (a row-value IN of
        # a thousand pairs is an OR PostgreSQL tests against every row of the table: seconds).
        targets = set(order_ids)
        by_source: dict[str, list[str]] = {}
        for source, external_id in refs:
            by_source.setdefault(source, []).append(external_id)
        for source, external_ids in sorted(by_source.items()):
            owners = select(REFS.c.order_id).where(
                REFS.c.tenant == tenant,
                REFS.c.source == source,
                REFS.c.external_id.in_(sorted(external_ids)),
            )
            targets.update(self._connection.execute(owners).scalars())
        if not targets:
            return
        # PostgreSQL locks the rows as the sorted result yields them, so in id order. SQLite
        # has no FOR UPDATE (and needs none: its writers run one at a time).
        statement = (
            select(ORDERS.c.id)
            .where(ORDERS.c.tenant == tenant, ORDERS.c.id.in_(sorted(targets)))
            .order_by(ORDERS.c.id)
            .with_for_update(of=ORDERS)
        )
        self._connection.execute(statement).all()

    def load(self, tenant: str, order_id: str, *, lock: bool) -> order_pb2.Order:
        return _load(self._connection, self._sql, tenant, order_id, lock=lock)

    def order_id_for_ref(self, tenant: str, source: str, ref_id: str) -> str | None:
        owner: str | None = self._connection.execute(
            self._sql.ref_owner,
            {"key_tenant": tenant, "key_source": source, "key_external_id": ref_id},
        ).scalar()
        return owner

    def insert(self, tenant: str, order_id: str, order: order_pb2.Order) -> None:
        self._connection.execute(self._sql.insert_order, record_values(tenant, order_id, order))
        self._claim_refs(tenant, order_id, order.external_refs)

    def _claim_refs(
        self, tenant: str, order_id: str, refs: Sequence[order_pb2.ExternalRef]
    ) -> None:
        """Points each reference at the order; AlreadyExists when one is another order's."""
        keys = {(ref.source, ref.id) for ref in refs}
        # Sorted: concurrent writers take the reference rows in one order.
        for source, ref_id in sorted(keys):
            row = {"tenant": tenant, "source": source, "external_id": ref_id}
            if self._connection.execute(self._sql.claim_ref, {**row, "order_id": order_id}).first():
                continue
            if self.order_id_for_ref(tenant, source, ref_id) != order_id:
                raise AlreadyExists(
                    f"external reference {source}/{ref_id} belongs to another order",
                    reason="EXTERNAL_REF_TAKEN",
                )

    def save(self, tenant: str, current: order_pb2.Order, updated: order_pb2.Order) -> None:
        order_id = order_id_of(current)
        if list(updated.external_refs) != list(current.external_refs):
            kept = {(ref.source, ref.id) for ref in updated.external_refs}
            for ref in current.external_refs:
                if (ref.source, ref.id) not in kept:
                    self._connection.execute(
                        self._sql.drop_ref,
                        {
                            "key_tenant": tenant,
                            "key_source": ref.source,
                            "key_external_id": ref.id,
                            "order_id": order_id,
                        },
                    )
            self._claim_refs(tenant, order_id, updated.external_refs)
        self._connection.execute(
            self._sql.update_order, {**updated_values(updated), "key_order_id": order_id}
        )

    def matching_order_ids(self, tenant: str, criteria: object) -> list[str]:
        # The criteria are what service.filtering parsed (the servicer parses, the core passes).
        return matching_ids(self._connection, tenant, cast(Expression | None, criteria))

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        with self._connection.begin_nested():
            yield


def _load(
    connection: Connection, sql: _Statements, tenant: str, order_id: str, *, lock: bool
) -> order_pb2.Order:
    statement = sql.load_locked if lock else sql.load
    row = connection.execute(statement, {"order_id": order_id}).first()
    if row is None or row[0] != tenant:
        raise NotFound(f"order {order_name(tenant, order_id)} not found")
    return order_pb2.Order.FromString(row[1])


class OrderRepository:
    """The unit of work (a write transaction on the writer engine) and the reads of orders."""

    def __init__(self, database: Database) -> None:
        self.database = database
        # INSERT … ON CONFLICT … RETURNING: one round trip on both databases.
        dialect = postgresql if database.writer.dialect.name == "postgresql" else sqlite
        self._sql = _statements(dialect.insert)

    @contextmanager
    def __call__(self) -> Iterator[SqlOrderStore]:
        """One write transaction: committed when the block ends, rolled back when it raises."""
        try:
            # Core connections, not ORM sessions: the repository never loads mapped objects.
            with self.database.writer.begin() as connection:
                yield SqlOrderStore(connection, self._sql)
        except IntegrityError:
            # A unique key another transaction committed meanwhile: the use case retries.
            raise WriteRace from None
        except DBAPIError as error:
            if not is_transient_conflict(error):
                raise
            # Rolled back whole (the request_id claim with it): the use case runs it again.
            raise WriteConflict from None

    def get(self, *, tenant: str, order_id: str) -> order_pb2.Order:
        """The order, archived or not. NotFound when missing or another tenant's."""
        with self.database.reader.begin() as connection:
            return _load(connection, self._sql, tenant, order_id, lock=False)

    def lookup(
        self, *, tenant: str, ref: order_pb2.ExternalRef, show_deleted: bool
    ) -> order_pb2.Order:
        """The order holding an external reference."""
        with self.database.reader.begin() as connection:
            owner = connection.execute(
                self._sql.ref_owner,
                {"key_tenant": tenant, "key_source": ref.source, "key_external_id": ref.id},
            ).scalar()
            if owner is not None:
                order = _load(connection, self._sql, tenant, owner, lock=False)
                if show_deleted or not order.HasField("archive_time"):
                    return order
        raise NotFound(f"no order with external reference {ref.source}/{ref.id}")
