"""Fixtures for the fabric translation tests: the seed 003 examples, parsed exactly."""

from pathlib import Path
from typing import Any

import pytest

from adapters.jsonvalues import loads

EXAMPLES = Path(__file__).parent / "examples"


def load_example(name: str) -> Any:
    """An example parsed as the facade parses a body (numbers with a fraction become Decimal)."""
    return loads((EXAMPLES / name).read_bytes())


@pytest.fixture
def seed_order() -> Any:
    """Seed 003's example order object, verbatim (it lacks the request's required cartId)."""
    return load_example("subscription_order.json")


@pytest.fixture
def seed_request() -> Any:
    """The seed example corrected into a valid request body, two minimal edits: a 24-character
    cartId added (required by the request rules, missing from the example) and `events`
    ["<any>"] → [{}] (the rules say object[]; "<any>" is the docs' placeholder for an element)."""
    return load_example("subscription_order_request.json")
