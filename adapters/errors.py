"""The one error a translation raises: the vendor field path, a reason and a kind; no HTTP."""

from typing import Literal

# What is wrong, as a machine-readable kind: a door picks its vendor's error code from it (Drip's
# presence_error, length_error …), never from the English reason.
ErrorKind = Literal["presence", "length", "uniqueness", "email", "url", "time", "range", "format"]


class TranslationError(ValueError):
    """A vendor payload that cannot be translated, naming the field, the reason and its kind."""

    def __init__(self, field: str, reason: str, kind: ErrorKind = "format") -> None:
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field = field
        self.reason = reason
        self.kind: ErrorKind = kind

    def under(self, prefix: str) -> "TranslationError":
        """The same error with its path nested under `prefix` (``items[2]`` + ``price``)."""
        if not prefix:
            return self
        if not self.field:
            return TranslationError(prefix, self.reason, self.kind)
        joiner = "" if self.field.startswith("[") else "."
        return TranslationError(f"{prefix}{joiner}{self.field}", self.reason, self.kind)


def path_of(location: tuple[int | str, ...]) -> str:
    """A vendor field path of a pydantic error location: ("items", 2, "price") → items[2].price."""
    path = ""
    for step in location:
        if isinstance(step, int):
            path += f"[{step}]"
        else:
            path += f".{step}" if path else step
    return path
