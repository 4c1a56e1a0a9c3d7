"""BigCommerce Orders v2 door: the vendor's JSON models and pure translation; no I/O here."""
