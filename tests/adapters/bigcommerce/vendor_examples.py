"""The BigCommerce examples of the spec, extracted to examples/*.json; loaded exactly, test-only.

Extracted from tests/vendor_specs/bigcommerce/orders.v2.oas2.yml (request and response examples
for orders, products, shipping addresses, shipments and order statuses). YAML numbers such as
`price_inc_tax: 10.98` were written as JSON numbers; one fix was needed, noted where it is used.
"""

from pathlib import Path
from typing import Any

from adapters.jsonvalues import loads

EXAMPLES = Path(__file__).parent / "examples"


def example(name: str) -> Any:
    """An example, parsed with Decimal numbers as the adapters receive payloads."""
    return loads((EXAMPLES / f"{name}.json").read_text())


def names(prefix: str) -> list[str]:
    """The names of the examples whose file name starts with `prefix`."""
    return sorted(path.stem for path in EXAMPLES.glob(f"{prefix}*.json"))
