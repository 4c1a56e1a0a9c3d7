"""Hypothesis strategies for JSON values as adapters.jsonvalues.loads gives them; test-only."""

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

Json = Any


def as_loaded(value: int) -> int | Decimal:
    """An integer as loads gives it: beyond the 64 bits JSON writes, the Decimal of its digits."""
    return value if -(2**63) <= value < 2**64 else Decimal(value)


loaded_integers: st.SearchStrategy[int | Decimal] = st.integers().map(as_loaded)


def any_json(*leaves: st.SearchStrategy[Json]) -> st.SearchStrategy[Json]:
    """Any small JSON value (the values of unknown fields, the elements of open arrays): null,
    booleans and the given `leaves`, in arrays and objects of up to three members."""
    return st.recursive(
        st.one_of(st.none(), st.booleans(), *leaves),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=6,
    )
