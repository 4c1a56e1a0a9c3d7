"""What the use cases need from storage, as protocols; no implementation and no SQL here."""

from collections.abc import Callable, Collection
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from orderbridge.v1 import order_pb2


class WriteRace(Exception):
    """Another transaction committed the same unique key first; the whole write is retried."""


class WriteConflict(Exception):
    """The database undid the whole transaction to settle a conflict with a concurrent one (a
    deadlock, a serialization failure); nothing was written and the write may be run again."""


@dataclass(frozen=True)
class StoredReply:
    """The first reply to a request_id, with what identified its request."""

    method: str
    fingerprint: str
    reply: bytes


class OrderStore(Protocol):
    """One open write transaction over the orders of every tenant.

    A method that finds a unique key taken by a transaction committed meanwhile raises
    WriteRace; a reference that belongs to another order is AlreadyExists. Any method, and the
    commit, may raise WriteConflict.
    """

    def claim_request(
        self, tenant: str, request_id: str, method: str, fingerprint: str
    ) -> StoredReply | None:
        """Claims the request_id (None), or returns the reply a previous call committed."""
        ...

    def record_reply(self, tenant: str, request_id: str, reply: bytes) -> None:
        """Stores the reply of a claimed request_id."""
        ...

    def next_serial(self, tenant: str) -> int:
        """The tenant's next serial number."""
        ...

    def lock_orders(
        self, tenant: str, order_ids: Collection[str], refs: Collection[tuple[str, str]]
    ) -> None:
        """Locks for update, in id order, the tenant's orders with these ids or holding these
        (source, id) references; what matches no order is skipped."""
        ...

    def load(self, tenant: str, order_id: str, *, lock: bool) -> order_pb2.Order:
        """The stored order (locked for update when `lock`); NotFound when missing."""
        ...

    def order_id_for_ref(self, tenant: str, source: str, ref_id: str) -> str | None:
        """The id of the order holding an external reference."""
        ...

    def insert(self, tenant: str, order_id: str, order: order_pb2.Order) -> None:
        """Stores a new order and claims its references."""
        ...

    def save(self, tenant: str, current: order_pb2.Order, updated: order_pb2.Order) -> None:
        """Replaces a stored order by its next revision; moves its references."""
        ...

    def matching_order_ids(self, tenant: str, criteria: object) -> list[str]:
        """The ids of the tenant's unarchived orders matching a parsed filter."""
        ...

    def savepoint(self) -> AbstractContextManager[None]:
        """A nested transaction: a failure inside undoes only what it wrote."""
        ...


class UnitOfWork(Protocol):
    """Opens a write transaction: committed when the block ends, rolled back when it raises."""

    def __call__(self) -> AbstractContextManager[OrderStore]: ...


class OrderReader(Protocol):
    """Reads outside any write transaction."""

    def get(self, *, tenant: str, order_id: str) -> order_pb2.Order:
        """The order, archived or not; NotFound when missing or another tenant's."""
        ...

    def lookup(
        self, *, tenant: str, ref: order_pb2.ExternalRef, show_deleted: bool
    ) -> order_pb2.Order:
        """The order holding an external reference; NotFound otherwise."""
        ...


@dataclass(frozen=True)
class Call:
    """Who writes, and what makes the write at-most-once and bounded in time."""

    tenant: str
    # The request_id (empty: none) with the RPC's name and the request's digest: one id never
    # answers two different requests.
    request_id: str = ""
    method: str = ""
    fingerprint: str = ""
    time_left: Callable[[], float | None] = lambda: None
