"""date_modified: when the order last changed here at the door; BigCommerce's own only offline."""

import copy
import json
from typing import Any

import pytest
from google.protobuf import json_format, timestamp_pb2
from orderbridge.v1 import order_pb2

from adapters import codec
from adapters.bigcommerce.translate import order_from_bigcommerce, order_to_bigcommerce
from adapters.conversions import translate, writer
from adapters.jsonvalues import canonical_text
from tests.adapters.bigcommerce.vendor_examples import example

ORDER_EXAMPLES = ["order_response_218", "order_response_247_multiple_items", "order_collection_100"]
# Order 218's own date_modified, and a later change made through this service.
VENDOR_DATE_MODIFIED = "Mon, 11 Mar 2019 15:17:25 +0000"
CHANGED_HERE = "2026-11-23T09:30:01.250Z"
CHANGED_HERE_RFC2822 = "Mon, 23 Nov 2026 09:30:01 +0000"


def stamp(text: str) -> timestamp_pb2.Timestamp:
    result = timestamp_pb2.Timestamp()
    result.FromJsonString(text)
    return result


def stored(order: order_pb2.Order) -> order_pb2.Order:
    """The order as the service keeps it after a later change: with its own update_time."""
    kept = order_pb2.Order()
    kept.CopyFrom(order)
    kept.create_time.CopyFrom(stamp("2026-11-20T08:00:00Z"))
    kept.update_time.CopyFrom(stamp(CHANGED_HERE))
    return kept


def with_links(emitted: dict[str, Any], sent: dict[str, Any]) -> dict[str, Any]:
    """The emitted order with the `{url, resource}` references the example itself carries."""
    return {**emitted, **{key: sent[key] for key in sent if isinstance(sent[key], dict)}}


def test_door_date_modified_is_when_the_order_last_changed_here() -> None:
    order = stored(order_from_bigcommerce(example("order_response_218")))

    assert order_to_bigcommerce(order)["date_modified"] == CHANGED_HERE_RFC2822


def test_keep_vendor_date_modified_writes_the_one_bigcommerce_sent() -> None:
    order = stored(order_from_bigcommerce(example("order_response_218")))

    emitted = order_to_bigcommerce(order, keep_vendor_date_modified=True)

    assert emitted["date_modified"] == VENDOR_DATE_MODIFIED


def test_order_never_stored_shows_its_vendor_date_modified() -> None:
    # Offline translation: no service time exists, the vendor's is the only one known.
    order = order_from_bigcommerce(example("order_response_218"))

    assert order_to_bigcommerce(order)["date_modified"] == VENDOR_DATE_MODIFIED


def test_order_changed_through_another_door_shows_its_update_time() -> None:
    # A Jirafe order: its change_date is Jirafe's vendor_update_time, long before the change.
    order = order_pb2.Order(
        currency_code="USD",
        order_number="1001",
        vendor_update_time=stamp("2013-06-17T15:16:15Z"),
        create_time=stamp("2026-11-20T08:00:00Z"),
        update_time=stamp(CHANGED_HERE),
    )

    assert order_to_bigcommerce(order)["date_modified"] == CHANGED_HERE_RFC2822
    assert order_to_bigcommerce(order, keep_vendor_date_modified=True)["date_modified"] == (
        "Mon, 17 Jun 2013 15:16:15 +0000"
    )


def test_date_modified_written_with_an_offset_yields_to_the_update_time_at_the_door() -> None:
    sent = example("order_response_218")
    sent["date_modified"] = "Mon, 11 Mar 2019 10:17:25 -0500"

    order = stored(order_from_bigcommerce(sent))

    # The residue keeps BigCommerce's spelling for BigCommerce reading its order back offline,
    # and does not put the old value back over the time of the later change.
    assert '["date_modified"]' in [
        json.dumps(path, separators=(",", ":"))
        for path in codec.kept_paths(codec.stored(order.vendor_data, "bigcommerce"))
    ]
    kept = order_to_bigcommerce(order, keep_vendor_date_modified=True)
    assert kept["date_modified"] == sent["date_modified"]
    assert order_to_bigcommerce(order)["date_modified"] == CHANGED_HERE_RFC2822


@pytest.mark.parametrize("name", ORDER_EXAMPLES)
def test_stored_bigcommerce_order_round_trips_exactly_offline(name: str) -> None:
    sent = example(name)
    order = stored(order_from_bigcommerce(copy.deepcopy(sent)))

    emitted = with_links(order_to_bigcommerce(order, keep_vendor_date_modified=True), sent)
    assert canonical_text(emitted) == canonical_text(sent)
    # At the door only date_modified differs: it says when the order changed here.
    at_door = with_links(order_to_bigcommerce(order), sent)
    assert {key for key in sent if at_door[key] != sent[key]} == {"date_modified"}
    assert at_door["date_modified"] == CHANGED_HERE_RFC2822


# ---------------------------------------------------------------------------------------------
# Offline translation (adapters.conversions, `orderbridge translate`)
# ---------------------------------------------------------------------------------------------
def canonical_of_stored_218() -> dict[str, Any]:
    order = stored(order_from_bigcommerce(example("order_response_218")))
    return json_format.MessageToDict(order)


def test_translate_bigcommerce_to_bigcommerce_keeps_its_date_modified() -> None:
    sent = example("order_response_218")

    assert translate("bigcommerce", "bigcommerce", sent)["date_modified"] == VENDOR_DATE_MODIFIED


def test_translate_canonical_to_bigcommerce_writes_the_update_time() -> None:
    payload = canonical_of_stored_218()

    assert translate("canonical", "bigcommerce", payload)["date_modified"] == CHANGED_HERE_RFC2822
    kept = translate("canonical", "bigcommerce", payload, keep_vendor_date_modified=True)
    assert kept["date_modified"] == VENDOR_DATE_MODIFIED


def test_writer_keyword_keeps_the_vendor_date_modified() -> None:
    order = stored(order_from_bigcommerce(example("order_response_218")))

    assert writer("bigcommerce")(order)["date_modified"] == CHANGED_HERE_RFC2822
    keeping = writer("bigcommerce", keep_vendor_date_modified=True)
    assert keeping(order)["date_modified"] == VENDOR_DATE_MODIFIED


@pytest.mark.parametrize("target", ["jirafe", "fabric", "drip", "canonical"])
def test_keep_vendor_date_modified_is_accepted_for_every_format(target: str) -> None:
    order = stored(order_from_bigcommerce(example("order_response_218")))

    assert writer(target, keep_vendor_date_modified=True)(order) == writer(target)(order)
