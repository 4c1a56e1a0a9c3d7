"""ListOrders and CountOrders: parsed filters and orderings compiled to SQL; no parsing here."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, exists, false, func, not_, or_, select, true

from service.database import Database
from service.filtering import (
    And,
    Comparison,
    Expression,
    ExternalRefValue,
    Membership,
    Not,
    Or,
    Ordering,
    PageKey,
    Presence,
)
from service.tables import ExternalRefRecord, OrderRecord, UTCDateTime

# SQLModel declares __table__ at runtime only, so the type checker cannot see it.
_ORDERS = cast(Table, OrderRecord.__table__)  # type: ignore[attr-defined]  # set at runtime
_REFS = cast(Table, ExternalRefRecord.__table__)  # type: ignore[attr-defined]  # set at runtime

# gRPC refuses messages over 4 MiB by default: a page stops adding orders at 3 MiB, leaving
# room for the page token and for whatever a client's limit is measured with.
PAGE_BYTES = 3 * 1024 * 1024
# A page token holds at most 8 sort values of bounded columns and an id: well under this.
_TOKEN_ALLOWANCE = 16 * 1024

# An order that names no placing time was placed when it was recorded; the column is filled
# that way on every write, and COALESCE keeps rows written without it in the same order.
_PLACE_TIME: ColumnElement[Any] = func.coalesce(
    _ORDERS.c.place_time, _ORDERS.c.create_time, type_=UTCDateTime()
)
# Every expression here is NOT NULL, so NOT(x) is exactly "x is false" and keyset comparisons
# need no NULL cases.
_COLUMNS: dict[str, ColumnElement[Any]] = {
    "lifecycle_state": _ORDERS.c.lifecycle_state,
    "payment_state": _ORDERS.c.payment_state,
    "fulfillment_state": _ORDERS.c.fulfillment_state,
    "create_time": _ORDERS.c.create_time,
    "update_time": _ORDERS.c.update_time,
    "place_time": _PLACE_TIME,
    # Set on archived orders only: a comparison never matches an order that is not archived.
    "archive_time": _ORDERS.c.archive_time,
    "serial_number": _ORDERS.c.serial_number,
    "total": _ORDERS.c.total_nanos,
    "order_number": _ORDERS.c.order_number,
    "cart_id": _ORDERS.c.cart_id,
    "channel": _ORDERS.c.channel,
    "customer.id": _ORDERS.c.customer_id,
    "customer.email": _ORDERS.c.customer_email,
    "native_status.code": _ORDERS.c.native_code,
    "native_status.source": _ORDERS.c.native_source,
    "payment_method": _ORDERS.c.payment_method,
}
_ENUM_FIELDS = {"lifecycle_state", "payment_state", "fulfillment_state"}


@dataclass(frozen=True)
class Page:
    """One page of a listing and the sort key of its last row, when more rows follow."""

    # The stored bytes of each order: a response is assembled from them without re-encoding.
    bodies: list[bytes]
    last_key: PageKey | None


def _refs_exist(tenant: str, *conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(
        _REFS.c.tenant == tenant,
        _REFS.c.order_id == _ORDERS.c.id,
        *conditions,
    )


def _ref_matches(value: Any) -> ColumnElement[bool]:
    assert isinstance(value, ExternalRefValue)
    return and_(
        _REFS.c.source == value.source,
        _REFS.c.external_id == value.id,
    )


def _comparison(tenant: str, node: Comparison) -> ColumnElement[bool]:
    if node.field == "external_ref":
        return _refs_exist(tenant, _ref_matches(node.value))
    if node.field == "external_ref.source":
        found = _refs_exist(tenant, _REFS.c.source == node.value)
        # `!=` keeps its meaning from before: no reference from that source.
        return found if node.op == "=" else not_(found)
    column = _COLUMNS[node.field]
    value = node.value
    match node.op:
        case "=":
            return column == value
        case "!=":
            return column != value
        case "<":
            return column < value
        case "<=":
            return column <= value
        case ">":
            return column > value
        case ">=":
            return column >= value
    raise AssertionError(f"unknown operator {node.op}")


def _membership(tenant: str, node: Membership) -> ColumnElement[bool]:
    if node.field == "external_ref":
        return _refs_exist(tenant, or_(*(_ref_matches(value) for value in node.values)))
    if node.field == "external_ref.source":
        return _refs_exist(tenant, _REFS.c.source.in_(node.values))
    return _COLUMNS[node.field].in_(node.values)


def _presence(tenant: str, node: Presence) -> ColumnElement[bool]:
    if node.field in ("external_ref", "external_ref.source"):
        return _refs_exist(tenant)
    if node.field == "archive_time":
        return _ORDERS.c.archive_time.is_not(None)
    # An enum is set when it is not its zero value, UNSPECIFIED; a string when not empty.
    return _COLUMNS[node.field] != (0 if node.field in _ENUM_FIELDS else "")


def filter_clause(tenant: str, node: Expression) -> ColumnElement[bool]:
    """One SQL boolean for a parsed filter (its depth is bounded by the parser)."""
    match node:
        case And():
            return and_(true(), *(filter_clause(tenant, operand) for operand in node.operands))
        case Or():
            return or_(false(), *(filter_clause(tenant, operand) for operand in node.operands))
        case Not():
            return not_(filter_clause(tenant, node.operand))
        case Comparison():
            return _comparison(tenant, node)
        case Membership():
            return _membership(tenant, node)
        case Presence():
            return _presence(tenant, node)


def _where(tenant: str, where: Expression | None, show_deleted: bool) -> list[Any]:
    clauses: list[Any] = [_ORDERS.c.tenant == tenant]
    if not show_deleted:
        clauses.append(_ORDERS.c.archive_time.is_(None))
    if where is not None:
        clauses.append(filter_clause(tenant, where))
    return clauses


def matching_ids(connection: Any, tenant: str, where: Expression | None) -> list[str]:
    """The ids of the tenant's unarchived orders matching a filter, on an open connection."""
    statement = select(_ORDERS.c.id).where(*_where(tenant, where, show_deleted=False))
    return [row[0] for row in connection.execute(statement)]


def _after(
    keys: Sequence[tuple[ColumnElement[Any], bool]], values: Sequence[Any]
) -> ColumnElement[bool]:
    """Rows strictly after `values` in the order of `keys` (a keyset cursor, many columns)."""
    alternatives = []
    for index, (expression, descending) in enumerate(keys):
        earlier_equal = [keys[i][0] == values[i] for i in range(index)]
        beyond = expression < values[index] if descending else expression > values[index]
        alternatives.append(and_(*earlier_equal, beyond))
    return or_(*alternatives)


def _field_bytes(size: int) -> int:
    """The bytes one `repeated Order orders = 1` entry of `size` bytes takes on the wire."""
    return 1 + max(1, (size.bit_length() + 6) // 7) + size


def list_page(
    database: Database,
    *,
    tenant: str,
    where: Expression | None,
    ordering: Ordering,
    page_size: int,
    after: PageKey | None,
    show_deleted: bool,
    skip: int = 0,
) -> Page:
    """One page of matching orders in a stable order (the ordering's keys, then the id).

    The page ends early, after at least one order, where the next order would take the
    response past PAGE_BYTES; its last_key then resumes right after the last order returned.
    """
    descending_last = ordering.keys[-1].descending
    keys = [(_COLUMNS[key.field], key.descending) for key in ordering.keys]
    keys.append((_ORDERS.c.id, descending_last))
    clauses = _where(tenant, where, show_deleted)
    if after is not None:
        values, last_id = after
        clauses.append(_after(keys, [*values, last_id]))
    # Sizes first, bodies second: a page of 1000 one-MiB orders never sits in memory at once.
    measured = (
        select(*(expression for expression, _ in keys), func.length(_ORDERS.c.body))
        .where(*clauses)
        .order_by(*(e.desc() if descending else e.asc() for e, descending in keys))
        .offset(skip)
        .limit(page_size + 1)
    )
    with database.reader.begin() as connection:
        rows = connection.execute(measured).all()
        chosen: list[Any] = []
        used = _TOKEN_ALLOWANCE
        for row in rows[:page_size]:
            size = _field_bytes(int(row[-1]))
            if chosen and used + size > PAGE_BYTES:
                break
            chosen.append(row)
            used += size
        ids = [str(row[-2]) for row in chosen]
        bodies: dict[str, bytes] = {}
        if ids:
            fetched = select(_ORDERS.c.id, _ORDERS.c.body).where(_ORDERS.c.id.in_(ids))
            bodies = {order_id: body for order_id, body in connection.execute(fetched)}
    more = len(chosen) < len(rows)
    last_key: PageKey | None = None
    if more and chosen:
        last = chosen[-1]
        last_key = (tuple(last[: len(ordering.keys)]), str(last[-2]))
    # Orders are archived, never removed, so every chosen id is still there.
    return Page([bodies[order_id] for order_id in ids if order_id in bodies], last_key)


def count_groups(
    database: Database, *, tenant: str, where: Expression | None, show_deleted: bool
) -> list[tuple[str, str, str, int, int, int, int]]:
    """(native source, code, label, lifecycle, payment, fulfillment, count) groups."""
    keys = (
        _ORDERS.c.native_source,
        _ORDERS.c.native_code,
        _ORDERS.c.native_label,
        _ORDERS.c.lifecycle_state,
        _ORDERS.c.payment_state,
        _ORDERS.c.fulfillment_state,
    )
    statement = (
        select(*keys, func.count())
        .where(*_where(tenant, where, show_deleted))
        .group_by(*keys)
        .order_by(*keys)
    )
    with database.reader.begin() as connection:
        rows = connection.execute(statement).all()
    return [
        (source, code, label, lifecycle, payment, fulfillment, count)
        for source, code, label, lifecycle, payment, fulfillment, count in rows
    ]
