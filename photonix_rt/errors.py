"""Domain errors raised by services; handlers translate them for clients."""

from __future__ import annotations

__all__ = ["Conflict", "DomainError", "Forbidden", "Invalid", "NotFound", "QueryTimeout",
           "RateLimited", "Unauthenticated", "Unavailable"]


class DomainError(Exception):
    """Base of the errors a client may see; ``code`` is stable, the message is for humans."""

    code = "INTERNAL"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Unauthenticated(DomainError):
    """No valid credentials were presented."""

    code = "UNAUTHENTICATED"


class Forbidden(DomainError):
    """The viewer is known but may not do this."""

    code = "FORBIDDEN"


class NotFound(DomainError):
    """The thing does not exist, or the viewer may not know that it exists."""

    code = "NOT_FOUND"


class Invalid(DomainError):
    """The request is well formed but its values are not acceptable."""

    code = "BAD_USER_INPUT"


class Conflict(DomainError):
    """The change collides with existing state (a duplicate name, say)."""

    code = "CONFLICT"


class RateLimited(DomainError):
    """Too many attempts; try again later."""

    code = "RATE_LIMITED"


class Unavailable(DomainError):
    """A service we depend on (the database) cannot be reached: retry later, not a bug."""

    code = "SERVICE_UNAVAILABLE"


class QueryTimeout(DomainError):
    """A database statement ran past the statement timeout and was cancelled by the server."""

    code = "QUERY_TIMEOUT"
