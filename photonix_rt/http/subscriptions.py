"""graphql-transport-ws on the GraphQL endpoint's WebSocket: one task per operation.

``SubscriptionMixin`` goes first in the bases of a ``tornado.websocket.WebSocketHandler``
that has ``services``, ``schema`` and ``viewer`` (``http/graphql.py``'s handler)::

    class GraphQLHandler(SubscriptionMixin, tornado.websocket.WebSocketHandler, BaseHandler):
        ...

The protocol (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md):
``connection_init`` with ``{"token": ...}`` or ``{"Authorization": "Bearer ..."}`` ->
``connection_ack``; then ``subscribe``/``next``/``error``/``complete`` per operation id and
``ping``/``pong``. Close codes: 4400 bad message, 4401 subscribe before ack, token expired or
session ended (sign in again, reconnect with ``since``), 4403 bad credentials or account
disabled, 4406 no subprotocol, 4408 no init in time, 4409 duplicate id, 4429 second init.
Every operation re-checks the account and session first (``http/socket_session.py``).

Live subscriptions without ``since`` that are identical (viewer, document, variables) share
one source stream and one execution per event (``http/broadcast.py``); a replay runs per
socket. Frames are built once and written straight to the socket when nothing is buffered
(``http/wire.py``); permessage-deflate is never negotiated (deflating every frame for every
socket costs more than the bytes it saves on these small messages).

Outgoing frames go through a bounded per-socket outbox (``http/outbox.py``); a pending
JOB_PROGRESS frame is replaced by a newer one for the same library (coalescing), and a
client that lets the outbox fill is disconnected with 1013 (it then resumes with ``since``).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from graphql import ExecutionResult, FieldNode, GraphQLError, OperationType, get_operation_ast
from graphql.execution import create_source_event_stream, execute
from graphql.execution.values import get_argument_values, get_variable_values
from graphql.pyutils import is_awaitable

from photonix_rt import metrics
from photonix_rt.errors import DomainError
from photonix_rt.events.types import EventKind, EventMessage
from photonix_rt.graphql.context import Context
from photonix_rt.graphql.errors import format_error
from photonix_rt.graphql.execute import prepare, result_to_json, run
from photonix_rt.http.broadcast import ResultCache, SharedStreams
from photonix_rt.http.outbox import Outbox
from photonix_rt.http.socket_session import SocketSession, claims_from_init
from photonix_rt.http.wire import next_message, text_frame

if TYPE_CHECKING:
    from graphql import DocumentNode, GraphQLSchema

    from photonix_rt.auth.identity import Viewer
    from photonix_rt.auth.tokens import AccessClaims
    from photonix_rt.services.container import Services

__all__ = ["PROTOCOL", "SubscriptionMixin"]

log = logging.getLogger(__name__)

PROTOCOL = "graphql-transport-ws"


def _frame(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"), default=str)


async def _execute_event(schema: GraphQLSchema, document: DocumentNode, event: Any,
                         context: Context, variables: dict[str, Any] | None,
                         operation_name: str | None) -> str:
    """One event through the subscription's selection: the ``next`` payload's JSON."""
    result = execute(schema, document, root_value=event, context_value=context,
                     variable_values=variables, operation_name=operation_name)
    if is_awaitable(result):
        result = await result  # type: ignore[misc]
    return _frame(result_to_json(result))  # type: ignore[arg-type]


class SubscriptionMixin:
    """The WebSocket side of ``/graphql``. Override the class attributes to tune limits."""

    connection_init_wait_s = 3.0    # graphql-ws's default connectionInitWaitTimeout
    max_outbox = 1000               # frames waiting for a slow client before we hang up
    max_outbox_bytes = 8 * 1024 * 1024  # bytes unsent to a slow client before we hang up
    max_operations = 100            # concurrent operations per socket
    write_batch = 64                # frames joined into one write while the socket drains

    # Provided by the handler this is mixed into.
    services: Services
    schema: GraphQLSchema
    viewer: Viewer | None
    access_claims: AccessClaims | None
    request: Any
    close: Any
    write_message: Any
    selected_subprotocol: str | None
    settings: Any

    # ---- tornado hooks ------------------------------------------------------------------

    def get_compression_options(self) -> dict[str, Any] | None:
        """Override to allow permessage-deflate; off, since frames are small and many."""
        return None

    def select_subprotocol(self, subprotocols: list[str]) -> str | None:
        """Override to accept other protocols; only graphql-transport-ws is spoken here."""
        return PROTOCOL if PROTOCOL in subprotocols else None

    def check_origin(self, origin: str) -> bool:
        """Same-origin sockets, and those from ``config.allowed_origins``; no others.

        Tornado calls this only when the browser sent an Origin header; other clients
        (scripts, phones) authenticate with their token alone.
        """
        host = (self.request.headers.get("Host") or "").lower()
        if urlsplit(origin).netloc.lower() == host:
            return True
        allowed = {o.rstrip("/").lower() for o in self.services.config.allowed_origins}
        return origin.rstrip("/").lower() in allowed

    def open(self, *_args: Any, **_kwargs: Any) -> None:
        metrics.socket_opened()
        self._counted = True
        self._tasks: set[asyncio.Task[Any]] = set()
        self._operations: dict[str, asyncio.Task[None]] = {}
        self._outbox = Outbox(self, self.max_outbox, self.write_batch,  # type: ignore[arg-type]
                              self._too_slow, self.max_outbox_bytes)
        self._init_received = False
        self._acknowledged = False
        self._socket_viewer: Viewer | None = None
        self._session: SocketSession | None = None
        self._closing = False
        if self.selected_subprotocol != PROTOCOL:
            self._hang_up(4406, "Subprotocol not acceptable")
            return
        self._spawn(self._outbox.run())
        self._init_timer = asyncio.get_running_loop().call_later(
            self.connection_init_wait_s, self._init_timed_out)

    def on_message(self, message: str | bytes) -> None:
        # Never await here: Tornado reads no further frame until on_message returns.
        if self._closing:
            return
        try:
            data = json.loads(message) if isinstance(message, str) else None
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("type"), str):
            self._hang_up(4400, "Invalid message received")
            return
        kind = data["type"]
        if kind == "connection_init":
            self._on_init(data.get("payload"))
        elif kind == "ping":
            self._send({"type": "pong", **({"payload": data["payload"]}
                                           if isinstance(data.get("payload"), dict) else {})})
        elif kind == "pong":
            pass
        elif kind == "subscribe":
            self._on_subscribe(data)
        elif kind == "complete":
            task = self._operations.pop(str(data.get("id")), None)
            if task is not None:
                task.cancel()  # the client asked: no complete goes back
        else:
            self._hang_up(4400, f"Invalid message type {kind[:40]}")

    def on_close(self) -> None:
        self._closing = True
        if getattr(self, "_counted", False):
            self._counted = False
            metrics.socket_closed()
        timer = getattr(self, "_init_timer", None)
        if timer is not None:
            timer.cancel()
        for task in list(getattr(self, "_tasks", ())):
            task.cancel()
        if getattr(self, "_session", None) is not None:
            self._session.close()  # type: ignore[union-attr]

    # ---- connection -----------------------------------------------------------------------

    def _spawn(self, coroutine: Any) -> asyncio.Task[Any]:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _hang_up(self, code: int, reason: str) -> None:
        if not self._closing:
            self._closing = True
            self.close(code, reason)

    def _init_timed_out(self) -> None:
        if not self._init_received:
            self._hang_up(4408, "Connection initialisation timeout")

    def _on_init(self, payload: Any) -> None:
        if self._init_received:
            self._hang_up(4429, "Too many initialisation requests")
            return
        self._init_received = True
        self._init_timer.cancel()
        self._spawn(self._authenticate(payload if isinstance(payload, dict) else {}))

    async def _authenticate(self, payload: dict[str, Any]) -> None:
        claims = await claims_from_init(self.services.auth, payload, self.access_claims)
        if claims is None:
            self._hang_up(4403, "Forbidden")
            return
        if self._closing:
            return
        self._session = SocketSession(self.services.auth, claims, self._hang_up)
        self._session.start()
        self._socket_viewer = claims.viewer
        self._acknowledged = True
        self._send({"type": "connection_ack"})

    # ---- operations -------------------------------------------------------------------------

    def _on_subscribe(self, data: dict[str, Any]) -> None:
        if not self._acknowledged:
            self._hang_up(4401, "Unauthorized")
            return
        op_id, payload = data.get("id"), data.get("payload")
        if (not isinstance(op_id, str) or not op_id or not isinstance(payload, dict)
                or not isinstance(payload.get("query"), str)
                or not isinstance(payload.get("variables") or {}, dict)
                or not isinstance(payload.get("operationName") or "", str)):
            self._hang_up(4400, "Invalid subscribe message")
            return
        if op_id in self._operations:
            self._hang_up(4409, f"Subscriber for {op_id[:60]} already exists")
            return
        if len(self._operations) >= self.max_operations:
            self._send_errors(op_id, [{"message": "too many operations on this socket",
                                       "extensions": {"code": "RATE_LIMITED"}}])
            return
        task = self._spawn(self._run_operation(op_id, payload))
        self._operations[op_id] = task
        task.add_done_callback(lambda t: self._forget(op_id, t))

    def _forget(self, op_id: str, task: asyncio.Task[None]) -> None:
        if self._operations.get(op_id) is task:
            del self._operations[op_id]

    async def _run_operation(self, op_id: str, payload: dict[str, Any]) -> None:
        variables = payload.get("variables") or None
        operation_name = payload.get("operationName") or None
        try:
            # The same identity checks as an HTTP request, on every operation.
            assert self._session is not None
            viewer = await self._session.current()
            if viewer is None:
                return  # the socket is being closed (4401/4403)
            self._socket_viewer = viewer
            prepared = prepare(self.schema, payload["query"], operation_name,
                               self.services.config,
                               signed_in=self._socket_viewer is not None)
            if isinstance(prepared, list):
                self._send_errors(op_id, [format_error(e) for e in prepared])
                return
            context = Context(services=self.services, viewer=viewer,
                              client_ip=self.request.remote_ip,
                              session_id=self._session.claims.session_id)
            if prepared.operation is not OperationType.SUBSCRIPTION:
                result = await run(self.schema, prepared, variables, operation_name, context)
                self._send_next(op_id, result, None)
            elif (key := self._shared_key(prepared.document, payload["query"], variables,
                                          operation_name)) is not None:
                errors = await self._run_shared(op_id, key, prepared.document, context,
                                                variables, operation_name)
                if errors is not None:
                    self._send_errors(op_id, errors)
                    return
            else:
                cache = self._result_cache()
                cache_key = (self._socket_viewer.user_id if self._socket_viewer else None,
                             payload["query"], operation_name,
                             json.dumps(variables, sort_keys=True, default=str))
                stream = await create_source_event_stream(
                    self.schema, prepared.document, context_value=context,
                    variable_values=variables, operation_name=operation_name)
                if isinstance(stream, ExecutionResult):
                    self._send_errors(op_id, [format_error(e) for e in stream.errors or []])
                    return
                try:
                    async for event in stream:
                        key = (getattr(event, "sequence", id(event)), *cache_key)
                        computed = cache.get(key)
                        if computed is None:
                            # A task of its own, shielded: a socket closing mid-way must
                            # not cancel the result other sockets are waiting for.
                            computed = asyncio.ensure_future(_execute_event(
                                self.schema, prepared.document, event, context, variables,
                                operation_name))
                            cache.put(key, computed)
                        self._send_next(op_id, computed.result() if computed.done()
                                        else await asyncio.shield(computed), event)
                finally:
                    aclose = getattr(stream, "aclose", None)
                    if aclose is not None:
                        await aclose()
            self._send({"id": op_id, "type": "complete"})
        except asyncio.CancelledError:
            raise
        except DomainError as error:
            self._send_errors(op_id, [{"message": error.message,
                                       "extensions": {"code": error.code}}])
        except Exception as error:  # a task boundary: log it, tell the client little
            log.exception("subscription %s failed", op_id)
            self._send_errors(op_id, [format_error(GraphQLError(
                "internal server error", original_error=error))])

    def _shared_key(self, document: DocumentNode, query: str,
                    variables: dict[str, Any] | None,
                    operation_name: str | None) -> tuple[Any, ...] | None:
        """The group key of a live subscription that may share its stream, else None.

        A ``since`` argument means a replay from the socket's own position: not shared.
        """
        operation = get_operation_ast(document, operation_name)
        root = self.schema.subscription_type
        if operation is None or root is None:
            return None
        selections = operation.selection_set.selections
        if len(selections) != 1 or not isinstance(selections[0], FieldNode):
            return None
        node = selections[0]
        field = root.fields.get(node.name.value)
        if field is None:
            return None
        coerced = get_variable_values(self.schema, operation.variable_definitions or (),
                                      variables or {})
        if isinstance(coerced, list):
            return None  # the unshared path reports the errors
        try:
            arguments = get_argument_values(field, node, coerced)
        except GraphQLError:
            return None
        if arguments.get("since") not in (None, ""):
            return None
        return (self._socket_viewer, query, operation_name,
                json.dumps(variables, sort_keys=True, default=str))

    async def _run_shared(self, op_id: str, key: tuple[Any, ...], document: DocumentNode,
                          context: Context, variables: dict[str, Any] | None,
                          operation_name: str | None) -> list[dict[str, Any]] | None:
        """Follow the key's shared stream until it ends; the errors to send, if any."""
        schema = self.schema

        async def open_source() -> Any:
            stream = await create_source_event_stream(
                schema, document, context_value=context, variable_values=variables,
                operation_name=operation_name)
            if isinstance(stream, ExecutionResult):
                return [format_error(e) for e in stream.errors or []]
            return stream

        def execute_event(event: Any) -> Any:
            return _execute_event(schema, document, event, context, variables, operation_name)

        streams = self._shared_streams()
        member = streams.join(key, open_source, execute_event, op_id, self.services.events.head,
                              lambda wire, event: self._push(op_id, wire, event))
        try:
            return await member.done
        finally:
            streams.leave(key, member)

    def _shared_streams(self) -> SharedStreams:
        settings: dict[str, Any] = self.settings  # the Application's: shared by its sockets
        streams = settings.get("photonix_shared_streams")
        if streams is None:
            streams = settings["photonix_shared_streams"] = SharedStreams()
        return streams

    def _send_errors(self, op_id: str, errors: list[dict[str, Any]]) -> None:
        self._send({"id": op_id, "type": "error", "payload": errors})

    def _result_cache(self) -> ResultCache:
        settings: dict[str, Any] = self.settings  # the Application's: shared by its sockets
        cache = settings.get("photonix_event_results")
        if cache is None:
            cache = settings["photonix_event_results"] = ResultCache()
        return cache

    def _send_next(self, op_id: str, result: ExecutionResult | str, event: Any) -> None:
        payload = result if isinstance(result, str) else _frame(result_to_json(result))
        self._push(op_id, text_frame(next_message(op_id, payload)), event)

    def _push(self, op_id: str, frame: bytes, event: Any) -> None:
        """Queue a ``next`` frame (bytes on the wire) of ``op_id`` for ``event``."""
        if self._closing:
            return
        coalesce = None
        if isinstance(event, EventMessage):
            metrics.event_delivered(event.kind)
        if isinstance(event, EventMessage) and event.kind == EventKind.JOB_PROGRESS:
            coalesce = (op_id, event.library_id)  # progress only matters as its latest value
        self._outbox.push(frame, coalesce)

    def _send(self, message: dict[str, Any]) -> None:
        if not self._closing:
            self._outbox.push(text_frame(_frame(message)))

    def _too_slow(self, waiting: int) -> None:
        log.info("closing a socket of %s: %d frames unread",
                 getattr(self._socket_viewer, "user_id", None), waiting)
        self._hang_up(1013, "Client too slow; resume with since")
