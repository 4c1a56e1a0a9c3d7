"""Benchmarks run on demand (`python -m bench --help`); never part of the test suite."""
