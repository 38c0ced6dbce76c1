"""WebSocket text frames built once and written to many sockets without per-write tasks.

A server's frames are unmasked, so one event's ``next`` frame is the same bytes on every
socket that runs the same operation id: build it once with ``text_frame`` and hand it to
``write_frame`` for each socket::

    wire = text_frame(next_message("1", payload_json))
    for handler in handlers:
        pending = write_frame(handler, wire)  # None: the kernel took it all

``WebSocketHandler.write_message`` costs a frame build, an ``IOStream.write`` future and a
wrapper task per call; at a thousand sockets and a hundred events a second that was most
of the server's time. Only for uncompressed plain-TCP sockets (we never negotiate
permessage-deflate); others go through Tornado's own stream write.
"""

from __future__ import annotations

import json
import struct
from typing import TYPE_CHECKING

from tornado.iostream import IOStream, StreamClosedError
from tornado.websocket import WebSocketClosedError

if TYPE_CHECKING:
    from asyncio import Future

    from tornado.websocket import WebSocketHandler

__all__ = ["next_message", "text_frame", "write_frame"]

_FIN_TEXT = 0x81


def next_message(op_id: str, payload_json: str) -> str:
    """The graphql-transport-ws ``next`` message around an already serialised payload."""
    return '{"id":' + json.dumps(op_id) + ',"type":"next","payload":' + payload_json + "}"


def text_frame(text: str) -> bytes:
    """One final, unmasked, uncompressed text frame (RFC 6455 section 5.2)."""
    data = text.encode()
    length = len(data)
    if length < 126:
        header = struct.pack("!BB", _FIN_TEXT, length)
    elif length <= 0xFFFF:
        header = struct.pack("!BBH", _FIN_TEXT, 126, length)
    else:
        header = struct.pack("!BBQ", _FIN_TEXT, 127, length)
    return header + data


def write_frame(handler: WebSocketHandler, wire: bytes) -> Future[None] | None:
    """Write frame bytes to the handler's socket, in order after anything still buffered.

    Returns None when the kernel took every byte at once, else the stream's write future.
    Raises ``WebSocketClosedError`` when the socket is closed or closing.
    """
    conn = handler.ws_connection
    if conn is None or conn.is_closing():
        raise WebSocketClosedError
    stream = conn.stream
    if type(stream) is IOStream and not stream.writing():
        # Nothing buffered ahead of us: try the socket directly, buffer only the rest.
        try:
            sent = stream.socket.send(wire)
        except OSError:  # would block, or a dead peer: IOStream.write sorts it out
            sent = 0
        if sent == len(wire):
            return None
        wire = wire[sent:]
    try:
        return stream.write(wire)
    except StreamClosedError:
        raise WebSocketClosedError from None
