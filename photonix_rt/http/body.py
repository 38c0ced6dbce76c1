"""StreamedBodyHandler: a request body is refused (413) before it is read when it is too big.

Tornado buffers a whole body before a normal handler runs (up to the server's
``max_body_size``). A handler based on this class streams instead: ``prepare()`` runs as
soon as the headers are in, refuses a declared ``Content-Length`` over the route's limit
at once, and caps the connection at that limit so a chunked body cannot exceed it either.
``post()``/``put()`` run once the body is in and read it with ``self.body_bytes()``.
Each route picks its limit::

    class UploadHandler(StreamedBodyHandler):
        def body_limit(self) -> int:
            return 200 * 1024 * 1024   # larger than the server-wide default

Routes that are not streamed get the server-wide ``max_body_size`` (``app.make_server``).
"""

from __future__ import annotations

import tornado.web

from photonix_rt.http.base import BaseHandler

__all__ = ["StreamedBodyHandler"]


@tornado.web.stream_request_body
class StreamedBodyHandler(BaseHandler):
    """Override ``body_limit`` for a route that accepts larger (or smaller) bodies."""

    def body_limit(self) -> int:
        """Override to set this route's limit in bytes (default: ``config.max_body_bytes``)."""
        return self.services.config.max_body_bytes

    async def prepare(self) -> None:
        self._chunks: list[bytes] = []
        self._received = 0
        limit = self.body_limit()
        declared = self.request.headers.get("Content-Length")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            self._refuse_body()
            return
        # Tornado stops reading (and drops the connection) past this, chunked bodies included.
        self.request.connection.set_max_body_size(limit)  # type: ignore[union-attr]
        await super().prepare()

    def data_received(self, chunk: bytes) -> None:
        if self._finished:
            return
        self._received += len(chunk)
        if self._received > self.body_limit():
            self._chunks.clear()
            self._refuse_body()
            return
        self._chunks.append(chunk)

    def _refuse_body(self) -> None:
        # The unread body is never read: Tornado closes the connection after this response.
        self.set_header("Connection", "close")
        self.client_error(413, "request body too large", "PAYLOAD_TOO_LARGE")

    def body_bytes(self) -> bytes:
        """The whole body (call it from ``post()``/``put()``, once it has been read)."""
        return b"".join(self._chunks)
