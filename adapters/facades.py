"""The registry of vendor doors over one OrderService port; the only module knowing them all."""

from collections.abc import Callable

from fastapi import FastAPI

from adapters.bigcommerce.app import create_app as bigcommerce_app
from adapters.drip.app import create_app as drip_app
from adapters.fabric.app import create_app as fabric_app
from adapters.jirafe.app import create_app as jirafe_app
from adapters.port import OrderServicePort

# One explicit entry per vendor (no import by name), so the import linter sees every edge.
DOORS: dict[str, Callable[[OrderServicePort], FastAPI]] = {
    "jirafe": jirafe_app,
    "bigcommerce": bigcommerce_app,
    "fabric": fabric_app,
    "drip": drip_app,
}
VENDORS = tuple(DOORS)


def build_facade(vendor: str, port: OrderServicePort) -> FastAPI:
    """One vendor's door over `port`."""
    if vendor not in DOORS:
        raise ValueError(f"unknown vendor {vendor!r}; choose from {', '.join(VENDORS)}")
    return DOORS[vendor](port)


def build_facades(port: OrderServicePort) -> dict[str, FastAPI]:
    """Every door, keyed by its mount prefix ("/jirafe", …)."""
    return {f"/{vendor}": build_facade(vendor, port) for vendor in VENDORS}
