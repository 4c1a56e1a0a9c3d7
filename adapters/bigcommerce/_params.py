"""BigCommerce GET /orders query parameters as Python values, or the spec's 400: pure, no I/O;
what the values filter is requests' business."""

# The parameters of getAllOrders and getCountOrder in
# tests/vendor_specs/bigcommerce/orders.v2.oas2.yml ("the spec").

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime

from adapters._facade import FacadeError

# The spec's `limit` parameter: "By default, requests sent without parameters will only
# return 50 orders"; 250 is the API's documented maximum page size.
DEFAULT_LIMIT = 50
MAX_LIMIT = 250
# ListOrders' `skip` is an int32: a page beyond it holds no order of any store.
MAX_SKIP = 2**31 - 1


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
