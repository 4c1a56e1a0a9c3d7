"""The one error a translation raises; carries the vendor field path, nothing else."""


class TranslationError(ValueError):
    """A vendor payload that cannot be translated, naming the field and the reason."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field = field
        self.reason = reason

    def under(self, prefix: str) -> "TranslationError":
        """The same error with its path nested under `prefix` (``items[2]`` + ``price``)."""
        if not prefix:
            return self
        if not self.field:
            return TranslationError(prefix, self.reason)
        joiner = "" if self.field.startswith("[") else "."
        return TranslationError(f"{prefix}{joiner}{self.field}", self.reason)


def path_of(location: tuple[int | str, ...]) -> str:
    """A vendor field path of a pydantic error location: ("items", 2, "price") → items[2].price."""
    path = ""
    for step in location:
        if isinstance(step, int):
            path += f"[{step}]"
        else:
            path += f".{step}" if path else step
    return path
