"""The access log without secrets: media tokens in query strings are redacted.

Tornado logs every request line (``log_function``) and, with a traceback, the request's URI;
``?token=`` media tokens would otherwise land in the log with every 4xx/5xx line. Usage::

    tornado.web.Application(routes, log_function=log_request)
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from photonix_rt.metrics import observe_request

if TYPE_CHECKING:
    import tornado.web

__all__ = ["SECRET_PARAMETERS", "log_request", "redact_uri", "request_summary"]

access_log = logging.getLogger("tornado.access")

# Query parameters whose values never reach the log.
SECRET_PARAMETERS = frozenset({"token", "access_token", "refresh_token"})


# Share-link tokens travel in paths (/s/<token>, /embed/<token>, /embed/v1/<token>/...).
_SHARE_TOKEN_PATH = re.compile(r"^(/(?:embed/v1|embed|s)/)[A-Za-z0-9_-]{32}(?=/|$|\?)")


def redact_uri(uri: str) -> str:
    """``uri`` with the values of secret query parameters, and share tokens in its path,
    replaced by ``REDACTED``."""
    uri = _SHARE_TOKEN_PATH.sub(r"\1REDACTED", uri)
    parts = urlsplit(uri)
    if not parts.query:
        return uri
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if not any(name.lower() in SECRET_PARAMETERS for name, _ in pairs):
        return uri
    query = urlencode([(name, "REDACTED" if name.lower() in SECRET_PARAMETERS else value)
                       for name, value in pairs], safe="/:")
    return urlunsplit(parts._replace(query=query))


def request_summary(handler: tornado.web.RequestHandler) -> str:
    """Method, redacted URI and client address, as Tornado's log lines show them."""
    request = handler.request
    return f"{request.method} {redact_uri(request.uri or '')} ({request.remote_ip})"


def log_request(handler: tornado.web.RequestHandler) -> None:
    """Tornado's access log line (status, request, time), with secrets redacted; and the
    request's metrics (by handler class: a bounded label, unlike the path)."""
    status = handler.get_status()
    observe_request(type(handler).__name__, handler.request.method or "",
                    status, handler.request.request_time())
    if status < 400:
        log_method = access_log.info
    elif status < 500:
        log_method = access_log.warning
    else:
        log_method = access_log.error
    log_method("%d %s %.2fms", status, request_summary(handler),
               1000.0 * handler.request.request_time())
