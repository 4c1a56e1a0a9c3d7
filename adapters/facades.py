"""Assembles the four vendor facades over one OrderClient; the only module that knows them all."""

from fastapi import FastAPI

from adapters._facade import OrderClient

VENDORS = ("jirafe", "bigcommerce", "fabric", "drip")


def build_facade(vendor: str, client: OrderClient) -> FastAPI:
    """One vendor's facade app."""
    if vendor == "jirafe":
        from adapters.jirafe.app import create_app as jirafe

        return jirafe(client)
    raise ValueError(f"unknown vendor {vendor!r}; choose from {', '.join(VENDORS)}")


def build_facades(client: OrderClient) -> dict[str, FastAPI]:
    """Every facade, keyed by its mount prefix ("/jirafe", …)."""
    facades: dict[str, FastAPI] = {}
    for vendor in VENDORS:
        try:
            facades[f"/{vendor}"] = build_facade(vendor, client)
        except ValueError:
            continue
    return facades
