"""Domain errors raised by the rules, validation and storage; edges map them to their statuses."""

from dataclasses import dataclass, field


@dataclass
class OrderError(Exception):
    """Base of every error a caller can cause; `reason` is a stable UPPER_SNAKE code."""

    message: str
    reason: str = field(default="ORDER_ERROR", kw_only=True)

    def __str__(self) -> str:
        return self.message


@dataclass
class InvalidArgument(OrderError):
    """The request is malformed; `violations` are (field path, description) pairs."""

    violations: list[tuple[str, str]] = field(default_factory=list, kw_only=True)
    reason: str = field(default="INVALID_ARGUMENT", kw_only=True)


@dataclass
class NotFound(OrderError):
    """The resource does not exist for this tenant."""

    reason: str = field(default="ORDER_NOT_FOUND", kw_only=True)


@dataclass
class AlreadyExists(OrderError):
    """A unique key (an external reference, a refund id) is taken."""

    reason: str = field(default="ALREADY_EXISTS", kw_only=True)


@dataclass
class Conflict(OrderError):
    """The order changed since the caller read it (stale etag)."""

    reason: str = field(default="ETAG_MISMATCH", kw_only=True)


@dataclass
class PermissionDenied(OrderError):
    """The caller's tenant may not act on that parent."""

    reason: str = field(default="TENANT_MISMATCH", kw_only=True)


@dataclass
class DeadlineExceeded(OrderError):
    """The caller's deadline passed before the write could commit; nothing was written."""

    reason: str = field(default="DEADLINE_EXCEEDED", kw_only=True)


@dataclass
class Aborted(OrderError):
    """Not written: another entry of an all-or-nothing batch failed (BATCH_ABORTED), or
    concurrent writes kept conflicting past the retries (WRITE_CONFLICT); safe to retry."""

    reason: str = field(default="BATCH_ABORTED", kw_only=True)
