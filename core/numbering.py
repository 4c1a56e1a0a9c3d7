"""Line numbers: how vendors with integer line ids show any order's lines; pure, no vendor."""

from collections.abc import Sequence

# Integer line ids are 64-bit wherever they are written (JSON writers, int64 fields).
MAX_NUMBER = 2**63 - 1


def is_number(text: str) -> bool:
    """Whether an id is an integer id as vendors number lines (ASCII digits, 64 bits)."""
    if not (text.isascii() and text.isdigit()):
        return False
    return len(text.lstrip("0")) <= len(str(MAX_NUMBER)) and int(text) <= MAX_NUMBER


def line_numbers(ids: Sequence[str]) -> list[int]:
    """The number of each id: an integer id is kept (its first occurrence), the others are
    numbered after the largest, in list order (how integer-id clients see text ids)."""
    numbers: list[int | None] = []
    taken: set[int] = set()
    for text in ids:
        number = int(text) if is_number(text) and int(text) not in taken else None
        if number is not None:
            taken.add(number)
        numbers.append(number)
    next_number = max(taken, default=0) + 1
    result = []
    for number in numbers:
        if number is None:
            number, next_number = next_number, next_number + 1
        result.append(number)
    return result
