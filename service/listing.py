"""ListOrders and CountOrders: filters and orderings compiled to SQL over the order table."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlmodel import col

from service.database import Database
from service.filtering import Condition, Ordering
from service.tables import ExternalRefRecord, OrderRecord


@dataclass(frozen=True)
class Page:
    """One page of a listing and the sort key of its last row, when more rows follow."""

    # The stored bytes of each order: a response is assembled from them without re-encoding.
    bodies: list[bytes]
    last_key: tuple[Any, str] | None


def _where(tenant: str, conditions: Sequence[Condition], show_deleted: bool) -> list[Any]:
    clauses: list[Any] = [col(OrderRecord.tenant) == tenant]
    if not show_deleted:
        clauses.append(col(OrderRecord.archive_time).is_(None))
    for condition in conditions:
        clauses.append(_condition_clause(tenant, condition))
    return clauses


def list_page(
    database: Database,
    *,
    tenant: str,
    conditions: Sequence[Condition],
    ordering: Ordering,
    page_size: int,
    after: tuple[Any, str] | None,
    show_deleted: bool,
    skip: int = 0,
) -> Page:
    """One page of matching orders in a stable order (sort column, then id)."""
    column: Any = getattr(OrderRecord, ordering.field)
    order_id = col(OrderRecord.id)
    clauses = _where(tenant, conditions, show_deleted)
    if after is not None:
        sort_value, last_id = after
        if ordering.descending:
            clauses.append(or_(column < sort_value, and_(column == sort_value, order_id < last_id)))
        else:
            clauses.append(or_(column > sort_value, and_(column == sort_value, order_id > last_id)))
    orders_by = (
        (column.desc(), order_id.desc()) if ordering.descending else (column.asc(), order_id.asc())
    )
    statement = (
        select(col(OrderRecord.body), column, order_id)
        .where(*clauses)
        .order_by(*orders_by)
        .offset(skip)
        .limit(page_size + 1)
    )
    with database.reader.begin() as connection:
        rows = connection.execute(statement).all()
    more = len(rows) > page_size
    rows = rows[:page_size]
    last_key = (rows[-1][1], rows[-1][2]) if more else None
    return Page([row[0] for row in rows], last_key)


def count_groups(
    database: Database, *, tenant: str, conditions: Sequence[Condition], show_deleted: bool
) -> list[tuple[str, str, str, int, int, int, int]]:
    """(native source, code, label, lifecycle, payment, fulfillment, count) groups."""
    keys = (
        col(OrderRecord.native_source),
        col(OrderRecord.native_code),
        col(OrderRecord.native_label),
        col(OrderRecord.lifecycle_state),
        col(OrderRecord.payment_state),
        col(OrderRecord.fulfillment_state),
    )
    statement = (
        select(*keys, func.count())
        .where(*_where(tenant, conditions, show_deleted))
        .group_by(*keys)
        .order_by(*keys)
    )
    with database.reader.begin() as connection:
        rows = connection.execute(statement).all()
    return [
        (source, code, label, lifecycle, payment, fulfillment, count)
        for source, code, label, lifecycle, payment, fulfillment, count in rows
    ]


def _condition_clause(tenant: str, condition: Condition) -> ColumnElement[bool]:
    if condition.field in ("external_ref", "external_ref.source"):
        match = [
            col(ExternalRefRecord.tenant) == tenant,
            col(ExternalRefRecord.order_id) == col(OrderRecord.id),
        ]
        if condition.field == "external_ref":
            source, ref_id = condition.value
            match += [
                col(ExternalRefRecord.source) == source,
                col(ExternalRefRecord.external_id) == ref_id,
            ]
        else:
            match.append(col(ExternalRefRecord.source) == condition.value)
        clause = exists().where(*match)
        return clause if condition.op == "=" else ~clause
    column = getattr(OrderRecord, _COLUMNS.get(condition.field, condition.field))
    operations: dict[str, Callable[[Any, Any], ColumnElement[bool]]] = {
        "=": lambda left, right: left == right,
        "!=": lambda left, right: left != right,
        "<": lambda left, right: left < right,
        "<=": lambda left, right: left <= right,
        ">": lambda left, right: left > right,
        ">=": lambda left, right: left >= right,
    }
    return operations[condition.op](column, condition.value)


_COLUMNS = {
    "customer.id": "customer_id",
    "customer.email": "customer_email",
    "native_status.code": "native_code",
    "native_status.source": "native_source",
    "total": "total_nanos",
}
