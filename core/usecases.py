"""Order use cases: each write is load → pure rule → save in one unit of work; no transport."""

import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

from google.protobuf import timestamp_pb2
from orderbridge.v1 import order_pb2

from core import merge, rules
from core.errors import (
    Aborted,
    AlreadyExists,
    DeadlineExceeded,
    InvalidArgument,
    NotFound,
    OrderError,
)
from core.ports import Call, OrderStore, StoredReply, UnitOfWork, WriteConflict, WriteRace

ResultT = TypeVar("ResultT")

MAX_BATCH = 1000
# A write that lost a race for a unique key is retried this many times in all.
WRITE_ATTEMPTS = 3
# A write the database undid to settle a conflict (deadlock, serialization failure) is run
# this many times in all, pausing a random time up to CONFLICT_PAUSE seconds, doubled after each
# conflict and capped at CONFLICT_PAUSE_CAP: at most 0.15 s of pauses in all.
CONFLICT_ATTEMPTS = 5
CONFLICT_PAUSE = 0.01
CONFLICT_PAUSE_CAP = 0.2


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def new_order_id() -> str:
    """A random 32-hex-digit order id."""
    return uuid.uuid4().hex


def conflict_pause(conflicts: int, jitter: float) -> float:
    """Seconds to pause after the `conflicts`-th conflict; `jitter` in [0, 1) spreads the
    writers that collided so they do not collide again in step."""
    return jitter * min(CONFLICT_PAUSE_CAP, CONFLICT_PAUSE * 2.0 ** (conflicts - 1))


@dataclass(frozen=True)
class ReplyCodec(Generic[ResultT]):
    """How a use case's result is kept for replaying a request_id, and read back."""

    encode: Callable[[ResultT], bytes]
    decode: Callable[[bytes], ResultT]


ORDER_REPLY: ReplyCodec[order_pb2.Order] = ReplyCodec(
    encode=lambda order: order.SerializeToString(deterministic=True),
    decode=order_pb2.Order.FromString,
)


COUNT_REPLY: ReplyCodec[int] = ReplyCodec(
    encode=lambda count: str(count).encode(), decode=lambda data: int(data.decode())
)


@dataclass(frozen=True)
class Upsert:
    """Create the order, or update the one holding its reference of `key_source`."""

    order: order_pb2.Order
    key_source: str
    paths: Sequence[str]


@dataclass(frozen=True)
class Target:
    """The order a batch write applies to: by id, or by one of its external references."""

    order_id: str = ""
    ref: order_pb2.ExternalRef | None = None


@dataclass(frozen=True)
class Cancel:
    """Cancel the target order (at `cancel_time`, else now)."""

    target: Target
    cancel_time: timestamp_pb2.Timestamp | None = None


@dataclass(frozen=True)
class Refund:
    """Record a refund against the target order."""

    target: Target
    refund: order_pb2.Refund


@dataclass(frozen=True)
class Archive:
    """Archive the target order (its etag, when set, must be current)."""

    target: Target
    expected_etag: str = ""


Write = Upsert | Cancel | Refund | Archive


@dataclass(frozen=True)
class Upserted:
    """An upsert's outcome: the order as stored, and whether it was created."""

    order: order_pb2.Order
    created: bool


class _RolledBack(Exception):
    """An all-or-nothing batch had a failing entry: the transaction is undone."""

    def __init__(self, results: list["Upserted | OrderError"]) -> None:
        super().__init__("batch rolled back")
        self.results = results


class OrderUseCases:
    """Every write to orders; reads go straight to the OrderReader."""

    def __init__(
        self,
        unit_of_work: UnitOfWork,
        *,
        clock: Callable[[], datetime] = utc_now,
        new_id: Callable[[], str] = new_order_id,
        jitter: Callable[[], float] = random.random,
        pause: Callable[[float], None] = time.sleep,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._new_id = new_id
        self._jitter = jitter
        self._pause = pause

    # -- the transaction around every write ----------------------------------------------------

    def _run(
        self, call: Call, codec: ReplyCodec[ResultT], work: Callable[[OrderStore], ResultT]
    ) -> ResultT:
        """Runs `work` in one transaction; with a request_id, at most once.

        The request row is claimed before the work, in the same transaction, so a concurrent
        call with the same id waits on its unique key and then replays the first reply. A
        transaction that lost a race or a conflict is run again whole, its claim included: the
        rolled-back attempt left no claim and no reply behind.
        """
        races = conflicts = 0
        while True:
            try:
                return self._attempt(call, codec, work)
            except WriteRace:
                # Lost a race for a unique key; it is committed now, so the next attempt sees
                # it (an upsert then updates the order that holds the reference).
                races += 1
                if races == WRITE_ATTEMPTS:
                    raise AlreadyExists(
                        "a concurrent request took the same key", reason="CONCURRENT_WRITE"
                    ) from None
            except WriteConflict:
                # The database chose this transaction to undo (a deadlock, a serialization
                # failure): the other one goes on, so running again after it usually succeeds.
                conflicts += 1
                if conflicts == CONFLICT_ATTEMPTS:
                    raise Aborted(
                        "concurrent writes kept conflicting; nothing was written",
                        reason="WRITE_CONFLICT",
                    ) from None
                pause = conflict_pause(conflicts, self._jitter())
                remaining = call.time_left()
                if remaining is not None and remaining <= pause:
                    raise DeadlineExceeded("deadline exceeded before commit") from None
                self._pause(pause)

    def _attempt(
        self, call: Call, codec: ReplyCodec[ResultT], work: Callable[[OrderStore], ResultT]
    ) -> ResultT:
        """One transaction of `_run`: claim the request_id, work, record the reply, commit."""
        with self._unit_of_work() as store:
            if call.request_id:
                stored = store.claim_request(
                    call.tenant, call.request_id, call.method, call.fingerprint
                )
                if stored is not None:
                    return _replay(stored, call, codec)
            result = work(store)
            remaining = call.time_left()
            if remaining is not None and remaining <= 0:
                # The caller has given up: roll back rather than commit a write nobody was
                # told about.
                raise DeadlineExceeded("deadline exceeded before commit")
            if call.request_id:
                store.record_reply(call.tenant, call.request_id, codec.encode(result))
            return result

    def _now(self) -> timestamp_pb2.Timestamp:
        stamp = timestamp_pb2.Timestamp()
        stamp.FromDatetime(self._clock())
        return stamp

    # -- rules over one open store ---------------------------------------------------------------

    def _insert(self, store: OrderStore, tenant: str, order: order_pb2.Order) -> order_pb2.Order:
        order_id = self._new_id()
        stored = rules.new_order(
            order,
            tenant=tenant,
            order_id=order_id,
            serial_number=store.next_serial(tenant),
            now=self._now(),
        )
        store.insert(tenant, order_id, stored)
        return stored

    def _change(
        self,
        store: OrderStore,
        tenant: str,
        order_id: str,
        rule: Callable[[order_pb2.Order], order_pb2.Order],
        expected_etag: str = "",
    ) -> order_pb2.Order:
        """Load for update → apply the rule → save the next revision (when anything changed)."""
        current = store.load(tenant, order_id, lock=True)
        rules.check_etag(current, expected_etag)
        updated = rules.next_revision(current, rule(current), self._now())
        if updated is None:
            return current
        store.save(tenant, current, updated)
        return updated

    def _upsert(self, store: OrderStore, tenant: str, upsert: Upsert) -> Upserted:
        key = rules.upsert_key(upsert.order, upsert.key_source)
        order_id = store.order_id_for_ref(tenant, upsert.key_source, key)
        if order_id is None:
            try:
                # In a savepoint, so that a refused insert leaves none of its own rows behind.
                with store.savepoint():
                    return Upserted(self._insert(store, tenant, upsert.order), created=True)
            except AlreadyExists:
                # A concurrent upsert committed the same key after we looked: update it instead.
                if store.order_id_for_ref(tenant, upsert.key_source, key) is not None:
                    raise WriteRace from None
                raise
        updated = self._change(
            store,
            tenant,
            order_id,
            lambda current: rules.updated_order(current, upsert.order, upsert.paths),
        )
        return Upserted(updated, created=False)

    # -- the use cases -------------------------------------------------------------------------

    def create(self, call: Call, order: order_pb2.Order) -> order_pb2.Order:
        """Stores a new order (checked by the caller) with its name, serial and times."""
        return self._run(call, ORDER_REPLY, lambda store: self._insert(store, call.tenant, order))

    def update(
        self,
        call: Call,
        order_id: str,
        patch: order_pb2.Order,
        paths: Sequence[str],
        expected_etag: str = "",
        *,
        line_item_changes: Sequence[merge.LineItemChange] = (),
        destination_changes: Sequence[merge.DestinationChange] = (),
        keep_totals_in_step: bool = False,
    ) -> order_pb2.Order:
        """Replaces the masked fields, then applies the keyed line and destination changes,
        under the row lock (so a client's partial update needs no read and no retry); keeps the
        previous line items when the items change."""
        return self._run(
            call,
            ORDER_REPLY,
            lambda store: self._change(
                store,
                call.tenant,
                order_id,
                lambda current: merge.merged_order(
                    current,
                    patch,
                    paths,
                    line_item_changes=line_item_changes,
                    destination_changes=destination_changes,
                    keep_totals_in_step=keep_totals_in_step,
                ),
                expected_etag,
            ),
        )

    def upsert(self, call: Call, upsert: Upsert, codec: ReplyCodec[Upserted]) -> Upserted:
        """Updates the order holding the key reference, or creates it."""
        return self._run(call, codec, lambda store: self._upsert(store, call.tenant, upsert))

    def batch_upsert(
        self,
        call: Call,
        upserts: Sequence[Upsert | OrderError],
        codec: ReplyCodec[list[Upserted | OrderError]],
    ) -> list[Upserted | OrderError]:
        """Each upsert in order, in its own savepoint, all in one transaction (one commit).

        An entry that is already an error (refused before the batch) stays in its place.
        """
        return self.batch_write(call, upserts, codec, field="requests")

    def _resolve(self, store: OrderStore, tenant: str, target: Target) -> str:
        if target.ref is None:
            return target.order_id
        order_id = store.order_id_for_ref(tenant, target.ref.source, target.ref.id)
        if order_id is None:
            raise NotFound(f"no order with external reference {target.ref.source}/{target.ref.id}")
        return order_id

    def _write(self, store: OrderStore, tenant: str, write: Write) -> Upserted:
        """One write of a batch, on the open store."""
        if isinstance(write, Upsert):
            return self._upsert(store, tenant, write)
        order_id = self._resolve(store, tenant, write.target)
        rule: Callable[[order_pb2.Order], order_pb2.Order]
        etag = ""
        if isinstance(write, Cancel):
            cancel_time = write.cancel_time

            def rule(current: order_pb2.Order) -> order_pb2.Order:
                return rules.cancelled_order(
                    current, cancel_time if cancel_time is not None else self._now()
                )
        elif isinstance(write, Refund):
            refund = write.refund

            def rule(current: order_pb2.Order) -> order_pb2.Order:
                return rules.refunded_order(
                    current, refund, refund_id=self._new_id(), now=self._now()
                )
        else:
            etag = write.expected_etag

            def rule(current: order_pb2.Order) -> order_pb2.Order:
                return rules.archived_order(current, self._now())

        return Upserted(self._change(store, tenant, order_id, rule, etag), created=False)

    def batch_write(
        self,
        call: Call,
        writes: Sequence[Write | OrderError],
        codec: ReplyCodec[list[Upserted | OrderError]],
        *,
        all_or_nothing: bool = False,
        field: str = "writes",
    ) -> list[Upserted | OrderError]:
        """Each write in request order, in its own savepoint, all in one transaction.

        With `all_or_nothing`, one failing entry undoes the batch: the failing entries keep
        their error and every other entry is Aborted.
        """
        if len(writes) > MAX_BATCH:
            raise InvalidArgument(
                f"at most {MAX_BATCH} {field} per batch",
                violations=[(field, f"{len(writes)} > {MAX_BATCH}")],
            )

        def work(store: OrderStore) -> list[Upserted | OrderError]:
            # One lock order for every write: the order rows first, in id order, then the
            # tenant counter (taken by a create). A batch may update and create in any entry
            # order, so its entries cannot take the locks as they come: two batches would each
            # hold what the other needs next (the counter, a row). So every row the batch
            # targets is locked here, sorted, before any entry runs. A target that changes in
            # between (a reference moved) can still deadlock; _run then runs the batch again.
            order_ids, refs = _lock_keys(writes)
            store.lock_orders(call.tenant, order_ids, refs)
            results: list[Upserted | OrderError] = []
            for write in writes:
                if isinstance(write, OrderError):
                    results.append(write)
                    continue
                try:
                    with store.savepoint():
                        results.append(self._write(store, call.tenant, write))
                except OrderError as error:
                    results.append(error)
            if all_or_nothing and any(isinstance(result, OrderError) for result in results):
                raise _RolledBack(results)
            return results

        try:
            return self._run(call, codec, work)
        except _RolledBack as rolled_back:
            return [
                result
                if isinstance(result, OrderError)
                else Aborted("not written: another entry of the batch failed")
                for result in rolled_back.results
            ]

    def purge(self, call: Call, criteria: object, *, force: bool) -> int:
        """Archives every order matching `criteria` (a parsed filter the store compiles);
        without `force` only counts them. Returns how many matched."""

        def work(store: OrderStore) -> int:
            order_ids = store.matching_order_ids(call.tenant, criteria)
            if force:
                # In id order, so concurrent purges lock the rows in one order.
                for order_id in sorted(order_ids):
                    self._write(store, call.tenant, Archive(Target(order_id=order_id)))
            return len(order_ids)

        return self._run(call, COUNT_REPLY, work)

    def _single(self, call: Call, write: Cancel | Refund | Archive) -> order_pb2.Order:
        return self._run(
            call, ORDER_REPLY, lambda store: self._write(store, call.tenant, write).order
        )

    def archive(self, call: Call, order_id: str, expected_etag: str = "") -> order_pb2.Order:
        """Sets archive_time; an archived order is returned unchanged."""
        return self._single(call, Archive(Target(order_id=order_id), expected_etag))

    def cancel(
        self, call: Call, order_id: str, cancel_time: timestamp_pb2.Timestamp | None
    ) -> order_pb2.Order:
        """Lifecycle CANCELLED with its time (now when None); a cancelled order is unchanged."""
        return self._single(call, Cancel(Target(order_id=order_id), cancel_time))

    def refund(self, call: Call, order_id: str, refund: order_pb2.Refund) -> order_pb2.Order:
        """Appends a refund, sums refunded_total and moves the payment state."""
        return self._single(call, Refund(Target(order_id=order_id), refund))


def _lock_keys(
    writes: Sequence[Write | OrderError],
) -> tuple[set[str], set[tuple[str, str]]]:
    """The order ids and (source, id) references a batch's writes target."""
    order_ids: set[str] = set()
    refs: set[tuple[str, str]] = set()
    for write in writes:
        if isinstance(write, OrderError):
            continue
        if isinstance(write, Upsert):
            try:
                refs.add((write.key_source, rules.upsert_key(write.order, write.key_source)))
            except InvalidArgument:
                continue  # the entry fails on its own turn, with its own error
        elif write.target.ref is not None:
            refs.add((write.target.ref.source, write.target.ref.id))
        else:
            order_ids.add(write.target.order_id)
    return order_ids, refs


def _replay(stored: StoredReply, call: Call, codec: ReplyCodec[ResultT]) -> ResultT:
    if stored.method != call.method or stored.fingerprint != call.fingerprint:
        raise InvalidArgument(
            "request_id was already used for a different request",
            violations=[("request_id", "already used for a different request")],
            reason="REQUEST_ID_REUSED",
        )
    return codec.decode(stored.reply)
