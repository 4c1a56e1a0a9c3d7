"""The Drip door: REST API v2 orders and refunds ↔ orderbridge.v1; never imports `service`."""
