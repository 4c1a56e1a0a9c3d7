"""Translation alone: vendor JSON → Order proto → vendor JSON, µs per 5-item order, per vendor."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from orderbridge.v1 import order_pb2

from adapters.bigcommerce.translate import order_from_bigcommerce_post, order_to_bigcommerce
from adapters.drip.translate import order_from_drip, order_to_drip
from adapters.fabric.translate import order_from_fabric, order_to_fabric
from adapters.jirafe.translate import order_from_jirafe, order_to_jirafe
from adapters.jsonvalues import dumps, loads
from bench.payloads import VENDORS, vendor_order

# BigCommerce is written through POST /v2/orders and read as the GET order object.
TRANSLATORS: dict[
    str, tuple[Callable[[Any], order_pb2.Order], Callable[[order_pb2.Order], Any]]
] = {
    "jirafe": (order_from_jirafe, order_to_jirafe),
    "drip": (order_from_drip, order_to_drip),
    "fabric": (order_from_fabric, order_to_fabric),
    "bigcommerce": (order_from_bigcommerce_post, order_to_bigcommerce),
}
MAX_ITERATIONS = 100_000


@dataclass
class Translation:
    """Per-batch µs per order: on parsed JSON, and with JSON bytes parsed and written too."""

    vendor: str
    proto_bytes: int
    dict_us: list[float] = field(default_factory=list)
    bytes_us: list[float] = field(default_factory=list)

    # The best round: interference from other work only ever adds time to a CPU-bound loop.
    @property
    def best_dict_us(self) -> float:
        return min(self.dict_us)

    @property
    def best_bytes_us(self) -> float:
        return min(self.bytes_us)


def _timed(function: Callable[[], object], seconds: float) -> float:
    """µs per call of `function`, called for about `seconds` (at most MAX_ITERATIONS times)."""
    deadline = time.perf_counter() + seconds
    count = 0
    started = time.perf_counter()
    while count < MAX_ITERATIONS and (count == 0 or time.perf_counter() < deadline):
        function()
        count += 1
    return (time.perf_counter() - started) / count * 1e6


def measure_translation(rounds: int, seconds: float) -> list[Translation]:
    """Alternates the vendors round by round; each batch runs for `seconds`."""
    results = {}
    jobs = {}
    for vendor in VENDORS:
        read, write = TRANSLATORS[vendor]
        payload = vendor_order(vendor)
        body = dumps(payload)
        results[vendor] = Translation(vendor, len(read(payload).SerializeToString()))
        jobs[vendor] = (
            lambda read=read, write=write, payload=payload: write(read(payload)),
            lambda read=read, write=write, body=body: dumps(write(read(loads(body)))),
        )
    for number in range(rounds):
        for vendor in VENDORS[number % len(VENDORS) :] + VENDORS[: number % len(VENDORS)]:
            on_dict, on_bytes = jobs[vendor]
            results[vendor].dict_us.append(_timed(on_dict, seconds / 2))
            results[vendor].bytes_us.append(_timed(on_bytes, seconds / 2))
    return [results[vendor] for vendor in VENDORS]
