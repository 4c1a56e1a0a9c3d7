"""JSON Schema validators for the BigCommerce Orders v2 OpenAPI 3.0 components; test-only."""

import functools
import json
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from adapters.jsonvalues import dumps

SPEC = Path(__file__).parents[2] / "vendor_specs" / "bigcommerce" / "orders.v2.oas2.yml"
_URI = "urn:bigcommerce:orders-v2"


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema → JSON Schema 2020-12: `nullable: true` admits null."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") is True:
        if "type" in converted:
            converted["type"] = [converted["type"], "null"]
        if "enum" in converted:
            converted["enum"] = [*converted["enum"], None]
        if "$ref" in converted or "allOf" in converted or "oneOf" in converted:
            converted = {"anyOf": [{"type": "null"}, converted]}
    return converted


@functools.cache
def _registry() -> Registry:
    spec = yaml.safe_load(SPEC.read_text())
    resource = Resource.from_contents(_json_schema(spec), default_specification=DRAFT202012)
    registry: Registry = Registry().with_resource(_URI, resource)
    return registry


@functools.cache
def validator(component: str) -> Draft202012Validator:
    """A validator for `#/components/schemas/<component>` of the spec."""
    return Draft202012Validator(
        {"$ref": f"{_URI}#/components/schemas/{component}"}, registry=_registry()
    )


def wire(payload: Any) -> Any:
    """The payload as a client would read it off the wire (Decimals become JSON numbers)."""
    return json.loads(dumps(payload))


def schema_errors(component: str, payload: Any) -> list[str]:
    """Every violation of the component's schema, as "path: message"."""
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator(component).iter_errors(wire(payload))
    ]
