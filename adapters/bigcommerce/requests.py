"""BigCommerce list and count queries as ListOrders/CountOrders requests: pure, no I/O.

Every GET /orders filter and sort becomes a service filter and order_by (the service filters,
sorts and counts; the door never does). Sources: tests/vendor_specs/bigcommerce/
orders.v2.oas2.yml ("the spec"), the parameters of getAllOrders and getCountOrder.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime

from orderbridge.v1 import order_pb2, order_service_pb2

from adapters._facade import FacadeError, quoted
from adapters.bigcommerce.translate import ORDER_STATUSES, status_of

# The spec's `limit` parameter: "By default, requests sent without parameters will only
# return 50 orders"; 250 is the API's documented maximum page size.
DEFAULT_LIMIT = 50
MAX_LIMIT = 250
# ListOrders' `skip` is an int32: a page beyond it holds no order of any store.
MAX_SKIP = 2**31 - 1
# The spec's `sort` enum, and the ListOrders ordering of each (the id, the order's serial
# number, breaks ties, as BigCommerce lists equal values in id order).
SORT_ORDERINGS = {
    "id": "serial_number",
    "customer_id": "customer.id",
    # date_created shows place_time, else create_time: the service's place_time ordering.
    "date_created": "place_time",
    # date_modified shows when the order last changed here.
    "date_modified": "update_time",
    "status_id": "",  # no service ordering: pages are cut from per-status counts
    "channel_id": "channel",
    # external_id is always null on this door (no order has one): id order.
    "external_id": "serial_number",
}
# POST `external_order_id` ("The order ID in another system", order_Shared) identifies the
# upstream order: a re-sent POST carrying it updates that order instead of duplicating it.
EXTERNAL_ORDER_SOURCE = "bigcommerce.external_order_id"
MAX_STATUS_ID = max(int(status["id"]) for status in ORDER_STATUSES)

Triple = tuple[int, int, int]


def invalid(name: str, reason: str) -> FacadeError:
    """The spec's 400 naming the query parameter."""
    return FacadeError(400, f"The field '{name}' is invalid. {reason}", field=name)


def parse_int(params: Mapping[str, str], name: str) -> int | None:
    """An integer query parameter; a 400 naming it otherwise."""
    text = params.get(name)
    if text is None or text == "":
        return None
    try:
        return int(text)
    except ValueError:
        raise invalid(name, "It must be an integer.") from None


def parse_decimal(params: Mapping[str, str], name: str) -> Decimal | None:
    """A decimal query parameter ("12.50"), exact; a 400 naming it otherwise."""
    text = params.get(name)
    if text is None or text == "":
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise invalid(name, "It must be a number.") from None
    if not value.is_finite():
        raise invalid(name, "It must be a number.")
    return value


def parse_date(params: Mapping[str, str], name: str) -> datetime | None:
    """A date in RFC 2822 or ISO 8601, as the spec's min/max_date_* parameters allow."""
    text = params.get(name)
    if text is None or text == "":
        return None
    moment: datetime | None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = None
    if moment is None:
        raise invalid(name, "Use RFC 2822 or ISO 8601.")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_page(params: Mapping[str, str]) -> tuple[int, int]:
    """(page, limit): page is 1-based, limit 1–250 (more is refused, not silently cut)."""
    page = parse_int(params, "page")
    limit = parse_int(params, "limit")
    page = 1 if page is None else page
    limit = DEFAULT_LIMIT if limit is None else limit
    if page < 1:
        raise invalid("page", "It must be 1 or more.")
    if not 1 <= limit <= MAX_LIMIT:
        raise invalid("limit", f"It must be between 1 and {MAX_LIMIT}.")
    return page, limit


def _time(moment: datetime) -> str:
    return quoted(moment.astimezone(UTC).isoformat())


@dataclass
class OrderQuery:
    """GET /orders and /orders/count parameters as service filter terms and an ordering."""

    terms: list[str] = field(default_factory=list)
    status_id: int | None = None
    sort: str = "id"
    descending: bool = False
    show_deleted: bool = False

    def filter_with(self, *more: str) -> str:
        """The terms (and `more`), each parenthesized, joined by AND."""
        return " AND ".join(f"({term})" for term in (*self.terms, *more) if term)

    @property
    def order_by(self) -> str:
        if self.sort == "status_id":
            # Within one status (a slice of its own), orders come in id order either way.
            return "serial_number"
        ordering = SORT_ORDERINGS[self.sort]
        direction = " desc" if self.descending else ""
        if ordering == "serial_number":
            return f"serial_number{direction}"
        return f"{ordering}{direction}, serial_number"


def _sort_of(text: str) -> tuple[str, bool]:
    # The spec: "add `:asc` or `:desc` to the end … e.g., `sort=date_created:desc`".
    name, _, direction = text.partition(":")
    if name not in SORT_ORDERINGS or direction not in ("", "asc", "desc"):
        raise invalid("sort", f"Use one of {', '.join(SORT_ORDERINGS)}, with :asc or :desc.")
    return name, direction == "desc"


def _date_terms(params: Mapping[str, str], name: str, column: str) -> list[str]:
    terms = []
    earliest = parse_date(params, f"min_{name}")
    if earliest is not None:
        terms.append(f"{column} >= {_time(earliest)}")
    latest = parse_date(params, f"max_{name}")
    if latest is not None:
        # BigCommerce shows whole seconds (RFC 2822): an order shown at the bound matches it.
        bound = latest.replace(microsecond=0) + timedelta(seconds=1)
        terms.append(f"{column} < {_time(bound)}")
    return terms


def order_query(params: Mapping[str, str]) -> OrderQuery:
    """The query of GET /orders and /orders/count (the spec's filter parameters)."""
    query = OrderQuery()
    for name, op in (("min_id", ">="), ("max_id", "<=")):
        value = parse_int(params, name)
        if value is not None:
            if not -(2**63) <= value < 2**63:
                raise invalid(name, "It is out of range.")
            query.terms.append(f"serial_number {op} {value}")
    for name, op in (("min_total", ">="), ("max_total", "<=")):
        amount = parse_decimal(params, name)
        if amount is not None:
            # The order's grand total (canonical `total`, BigCommerce total_inc_tax).
            query.terms.append(f"total {op} {amount}")
    customer_id = parse_int(params, "customer_id")
    if customer_id is not None:
        # customer_id 0 is a guest order: one with no customer id.
        query.terms.append(f"customer.id = {quoted(str(customer_id) if customer_id else '')}")
    for name, column in (
        ("email", "customer.email"),
        ("cart_id", "cart_id"),
        ("payment_method", "payment_method"),
    ):
        if params.get(name):
            query.terms.append(f"{column} = {quoted(params[name])}")
    query.terms += _date_terms(params, "date_created", "place_time")
    query.terms += _date_terms(params, "date_modified", "update_time")
    channel_id = parse_int(params, "channel_id")
    if channel_id is not None:
        # order_Shared: "The channel_id defaults to 1": an order with no channel is in 1.
        query.terms.append(
            'channel:("1" OR "")' if channel_id == 1 else f"channel = {quoted(str(channel_id))}"
        )
    if params.get("external_order_id"):
        ref = f"{EXTERNAL_ORDER_SOURCE}/{params['external_order_id']}"
        query.terms.append(f"external_ref = {quoted(ref)}")
    status_id = parse_int(params, "status_id")
    if status_id is not None:
        if not 0 <= status_id <= MAX_STATUS_ID:
            raise invalid("status_id", "It is not an order status.")
        query.status_id = status_id
    deleted = params.get("is_deleted", "").lower()
    if deleted not in ("", "true", "false"):
        raise invalid("is_deleted", "It must be true or false.")
    if deleted == "true":
        # Archived orders are listed only when asked for, as BigCommerce's is_deleted=true.
        query.show_deleted = True
        query.terms.append("archive_time:*")
    query.sort, query.descending = _sort_of(params.get("sort", "id") or "id")
    return query


def status_of_group(group: order_service_pb2.StatusCount) -> int:
    """The BigCommerce status of a CountOrders group (it depends on the three states only)."""
    order = order_pb2.Order(
        lifecycle_state=group.lifecycle_state,
        payment_state=group.payment_state,
        fulfillment_state=group.fulfillment_state,
    )
    return status_of(order)[0]


def counts_by_status(
    groups: Iterable[order_service_pb2.StatusCount], status_id: int | None = None
) -> Counter[int]:
    """How many orders show as each BigCommerce status (only `status_id`'s, when given)."""
    counts: Counter[int] = Counter()
    for group in groups:
        counts[status_of_group(group)] += group.count
    return counts if status_id is None else Counter({status_id: counts[status_id]})


def triples_by_status(
    groups: Iterable[order_service_pb2.StatusCount],
) -> dict[int, set[Triple]]:
    """Which state triples of the store show as each BigCommerce status."""
    found: dict[int, set[Triple]] = {}
    for group in groups:
        triple = (group.lifecycle_state, group.payment_state, group.fulfillment_state)
        found.setdefault(status_of_group(group), set()).add(triple)
    return found


def status_term(triples: Iterable[Triple]) -> str:
    """A filter matching exactly the orders in any of the state triples."""
    return " OR ".join(
        f"(lifecycle_state = {order_pb2.LifecycleState.Name(lifecycle)}"
        f" AND payment_state = {order_pb2.PaymentState.Name(payment)}"
        f" AND fulfillment_state = {order_pb2.FulfillmentState.Name(fulfillment)})"
        for lifecycle, payment, fulfillment in sorted(triples)
    )


@dataclass(frozen=True)
class Slice:
    """Part of a page: `page_size` orders of one status after skipping `skip` of them."""

    status_id: int
    skip: int
    page_size: int


def status_slices(
    counts: Mapping[int, int], *, descending: bool, page: int, limit: int
) -> list[Slice]:
    """The page of a list sorted by status id, cut from per-status counts (ids within one)."""
    start = (page - 1) * limit
    end = start + limit
    slices: list[Slice] = []
    offset = 0
    for status_id in sorted(counts, reverse=descending):
        count = counts[status_id]
        first, last = max(start, offset), min(end, offset + count)
        if first < last:
            slices.append(Slice(status_id, first - offset, last - first))
        offset += count
    return slices


def list_request(
    parent: str, query: OrderQuery, *, skip: int, page_size: int, extra: Sequence[str] = ()
) -> order_service_pb2.ListOrdersRequest | None:
    """The ListOrders call of one page (or slice) of GET /orders; None past any store's end."""
    if skip > MAX_SKIP:
        return None
    return order_service_pb2.ListOrdersRequest(
        parent=parent,
        page_size=page_size,
        skip=skip,
        filter=query.filter_with(*extra),
        order_by=query.order_by,
        show_deleted=query.show_deleted,
    )
