"""Orderbridge tests (a regular package, so no installed `tests` package shadows it)."""
