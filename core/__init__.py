"""The domain core: canonical money, order rules, use cases and domain errors; no edge."""
