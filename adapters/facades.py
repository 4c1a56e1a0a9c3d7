"""Assembles the four vendor facades over one OrderClient; the only module that knows them all."""

from importlib import import_module

from fastapi import FastAPI

from adapters._facade import OrderClient

VENDORS = ("jirafe", "bigcommerce", "fabric", "drip")


def build_facade(vendor: str, client: OrderClient) -> FastAPI:
    """One vendor's facade app (`adapters.<vendor>.app.create_app`)."""
    if vendor not in VENDORS:
        raise ValueError(f"unknown vendor {vendor!r}; choose from {', '.join(VENDORS)}")
    app: FastAPI = import_module(f"adapters.{vendor}.app").create_app(client)
    return app


def build_facades(client: OrderClient) -> dict[str, FastAPI]:
    """Every facade, keyed by its mount prefix ("/jirafe", …)."""
    return {f"/{vendor}": build_facade(vendor, client) for vendor in VENDORS}
