"""Jirafe Event API v2 order events: vendor models and pure translation; no I/O."""
