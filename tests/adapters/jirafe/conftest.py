"""Test helpers for the Jirafe adapter: the vendor's JSON Schemas (offline) and the examples."""

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
from pydantic import TypeAdapter
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from adapters import jsonvalues
from adapters.jirafe import models

SPECS = Path(__file__).parents[2] / "vendor_specs" / "jirafe"
# The schemas $ref each other by this prefix; the host is dead, so the files are served locally.
SCHEMA_BASE = "http://event.jirafe.com/v2/schema/event/"
EVENT_SCHEMAS = {
    "placed": "order-placed.json",
    "accepted": "order-accepted.json",
    "cancelled": "order-cancelled.json",
}
# An RFC 3339 date-time, what JSON Schema's "date-time" format means (jsonschema checks it only
# with the optional rfc3339-validator installed, so the check is spelled out here).
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or bool(_RFC3339.match(value))


def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(urlsplit(value).scheme)


def _format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker()
    checker.checks("date-time")(_is_date_time)
    checker.checks("uri")(_is_uri)
    return checker


def _load_lenient(path: Path) -> Any:
    # batch.json, category.json, heartbeat.json and pageview.json carry trailing commas
    # (SOURCES.md); strip them so every file of the folder can be registered.
    text = re.sub(r",(\s*[}\]])", r"\1", path.read_text())
    return json.loads(text)


def _registry(folder: Path) -> Registry:
    resources = [
        (SCHEMA_BASE + path.name, Resource.from_contents(_load_lenient(path), DRAFT4))
        for path in sorted(folder.glob("*.json"))
    ]
    return Registry().with_resources(resources)


def event_validators(folder: Path) -> dict[str, jsonschema.Draft4Validator]:
    """A Draft 4 validator per order event for the schemas in `folder`, $refs resolved locally."""
    registry = _registry(folder)
    checker = _format_checker()
    return {
        kind: jsonschema.Draft4Validator(
            registry.contents(SCHEMA_BASE + name), registry=registry, format_checker=checker
        )
        for kind, name in EVENT_SCHEMAS.items()
    }


SchemaCheck = Callable[[dict[str, Any]], None]


def _schema_check(folders: list[Path]) -> SchemaCheck:
    validators = [event_validators(folder) for folder in folders]

    def check(event: dict[str, Any]) -> None:
        # Validate the JSON text Jirafe would receive, not Python values (Decimal is no number).
        document = json.loads(jsonvalues.dumps(event))
        for by_kind in validators:
            by_kind[document["status"]].validate(document)

    return check


@pytest.fixture(scope="session")
def jirafe_schema_check() -> SchemaCheck:
    """Raises jsonschema.ValidationError unless the event validates against both the master
    schemas (jsonschema/v2) and the 2013 ones (event-api/jsonschema/v2) the seed cites."""
    return _schema_check([SPECS, SPECS / "event-api-2013"])


@pytest.fixture(scope="session")
def jirafe_model_check() -> SchemaCheck:
    """Raises pydantic.ValidationError unless the event validates against adapters.jirafe.models
    (the discriminated union the facade parses), given as the wire would carry it."""
    adapter: TypeAdapter[Any] = TypeAdapter(models.OrderEvent)

    def check(event: dict[str, Any]) -> None:
        adapter.validate_python(jsonvalues.loads(jsonvalues.dumps(event)))

    return check
