"""BaseHandler: services injected, the viewer read from ``Authorization: Bearer``, JSON errors.

Handlers raise domain errors (``NotFound``...) or ``HTTPError``; ``write_error`` turns either
into ``{"error": message}`` with the matching status. Clients never see tracebacks: anything
else is a logged 500 with a generic message.
"""

from __future__ import annotations

import logging
import re
import uuid
from types import TracebackType
from typing import TYPE_CHECKING, Any
from uuid import UUID

import orjson
import tornado.web

from photonix_rt.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    QueryTimeout,
    RateLimited,
    Unauthenticated,
    Unavailable,
)
from photonix_rt.http.access_log import request_summary
from photonix_rt.logs import request_id

if TYPE_CHECKING:
    from photonix_rt.auth.identity import Viewer
    from photonix_rt.auth.tokens import AccessClaims
    from photonix_rt.services.container import Services

__all__ = ["RETRY_AFTER_S", "SECURITY_HEADERS", "BaseHandler", "json_dumps", "start_request_id",
           "status_of"]

log = logging.getLogger(__name__)

_STATUS: dict[type[DomainError], int] = {
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Invalid: 400,
    Conflict: 409,
    RateLimited: 429,
    Unavailable: 503,
    QueryTimeout: 504,
}

# Seconds a client should wait before retrying when the database is unreachable.
RETRY_AFTER_S = 5

# Sent with every response: nothing here is a page to frame, sniff or leak a referrer from.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


# An X-Request-ID from the client or the proxy is kept only if it is a plain token.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def start_request_id(handler: tornado.web.RequestHandler) -> str:
    """Name this request in the logs (and in every task it starts); echo the id back."""
    sent = handler.request.headers.get("X-Request-ID", "")
    rid = sent if _REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex
    request_id.set(rid)
    handler.set_header("X-Request-ID", rid)
    return rid


def status_of(error: DomainError) -> int:
    """The HTTP status for a domain error."""
    for kind, status in _STATUS.items():
        if isinstance(error, kind):
            return status
    return 500


def _default(value: Any) -> Any:
    """What orjson leaves to us: asyncpg's own UUID type (a ``uuid.UUID`` subclass, which
    orjson does not take for one)."""
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_dumps(body: Any) -> bytes:
    """A response's JSON, UTF-8 (datetimes as ISO 8601, UUIDs as strings).

    orjson rather than ``json``: a month of 4,000 tiles spent a sixth of its time here."""
    return orjson.dumps(body, default=_default, option=orjson.OPT_NON_STR_KEYS)


class BaseHandler(tornado.web.RequestHandler):
    """Override ``get``/``post``; ``self.viewer`` is set (or None) before they run."""

    services: Services
    viewer: Viewer | None
    session_id: UUID | None
    access_claims: AccessClaims | None  # the checked token (a socket keeps re-checking it)
    # Override where other sites may embed the response (media in an <img>: "cross-origin").
    cross_origin_resource_policy = "same-origin"

    def set_default_headers(self) -> None:
        """Override to add headers; call this too, so every response keeps the security ones."""
        for name, value in SECURITY_HEADERS.items():
            self.set_header(name, value)
        self.set_header("Cross-Origin-Resource-Policy", self.cross_origin_resource_policy)

    def initialize(self, services: Services) -> None:  # type: ignore[override]
        self.services = services
        # Here rather than in prepare(), which some handlers override. It runs just before
        # the request's own task starts, and that task copies the id from here.
        start_request_id(self)
        self.viewer = None
        self.session_id = None
        self.access_claims = None

    async def prepare(self) -> None:
        """Read the bearer token; absent is anonymous, present but invalid is a 401."""
        header = self.request.headers.get("Authorization")
        if header is None:
            return
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
        claims = await self.services.auth.session(token.strip())
        self.viewer, self.session_id = claims.viewer, claims.session_id
        self.access_claims = claims

    @property
    def client_ip(self) -> str | None:
        """The client's address (the proxy's X-Real-IP when the server trusts xheaders)."""
        return self.request.remote_ip

    def write_json(self, body: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(json_dumps(body))

    def client_error(self, status: int, message: str, code: str) -> None:
        """Override to shape error bodies (the GraphQL handler answers in GraphQL's shape)."""
        if status == 401:
            self.set_header("WWW-Authenticate", 'Bearer error="invalid_token"')
        if status == 503:
            self.set_header("Retry-After", str(RETRY_AFTER_S))
        self.write_json({"error": message, "code": code}, status)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, DomainError):
            self.client_error(status_of(error), error.message, error.code)
            return
        if isinstance(error, tornado.web.HTTPError) and error.reason:
            message = error.reason
        elif status_code >= 500:
            message = "internal server error"
        else:
            message = self._reason
        self.client_error(status_code, message, "INTERNAL" if status_code >= 500 else "HTTP")

    def log_exception(self, typ: type[BaseException] | None, value: BaseException | None,
                      tb: TracebackType | None) -> None:
        if isinstance(value, DomainError):
            # Refusals are normal traffic, not server faults: no traceback in the log.
            log.debug("%s %s refused: %s", self.request.method, self.request.path,
                      value.message)
            return
        if isinstance(value, tornado.web.HTTPError):
            super().log_exception(typ, value, tb)  # logged via _request_summary: redacted
            return
        # Tornado's own line adds repr(request), whose URI may carry a media token.
        log.error("uncaught exception in %s", self._request_summary(),
                  exc_info=(typ, value, tb))  # type: ignore[arg-type]

    def _request_summary(self) -> str:
        return request_summary(self)
