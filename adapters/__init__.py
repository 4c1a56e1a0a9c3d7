"""Vendor doors: translate vendor JSON to orderbridge.v1 and back; never import `service`."""
