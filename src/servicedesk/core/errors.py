"""Errors raised by services; interfaces turn them into Russian messages or HTTP codes."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A request the domain refuses; `code` is stable for API clients, `message` is Russian."""

    status_code = 422
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra


class ValidationFailed(DomainError):
    code = "invalid"


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class StaleVersion(Conflict):
    code = "stale_version"


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
