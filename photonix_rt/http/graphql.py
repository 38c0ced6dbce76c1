"""The GraphQL endpoint: POST (queries and mutations) and GET (queries only) at ``/graphql``.

The same path serves graphql-transport-ws subscriptions: a GET with ``Upgrade: websocket``
goes to ``WebSocketHandler.get``, and ``SubscriptionMixin`` (``http/subscriptions.py``,
picked up when that module exists) handles the socket.

Usage::

    curl -X POST localhost:8080/graphql -H 'Content-Type: application/json' \\
         -H "Authorization: Bearer $TOKEN" -d '{"query": "{ me { username } }"}'
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import json
import logging
import time
from typing import TYPE_CHECKING, Any

import tornado.websocket
from graphql import GraphQLError, GraphQLSchema, OperationType

from photonix_rt.errors import QueryTimeout, Unavailable
from photonix_rt.graphql.context import Context
from photonix_rt.graphql.errors import format_error
from photonix_rt.graphql.execute import Prepared, prepare, result_to_json, run
from photonix_rt.http.base import RETRY_AFTER_S, json_dumps
from photonix_rt.http.body import StreamedBodyHandler
from photonix_rt.metrics import observe_graphql, operation_label
from photonix_rt.sql_timing import start_sql_timer

if TYPE_CHECKING:
    from photonix_rt.services.container import Services

__all__ = ["GraphQLHandler"]

log = logging.getLogger(__name__)

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"


class _NoSubscriptions:
    """Stands in for ``SubscriptionMixin`` while ``http/subscriptions.py`` does not exist."""

    def open(self, *_args: Any, **_kwargs: Any) -> None:
        self.close(4400, "subscriptions are not available")  # type: ignore[attr-defined]


def _subscription_mixin() -> type:
    # Imported by name so this module works before the live helper's module lands; once it
    # exists, its import errors surface here rather than being swallowed.
    if importlib.util.find_spec("photonix_rt.http.subscriptions") is None:
        return _NoSubscriptions
    module = importlib.import_module("photonix_rt.http.subscriptions")
    return module.SubscriptionMixin  # type: ignore[no-any-return]


_SubscriptionMixin = _subscription_mixin()


class _BadRequest(Exception):
    """The HTTP request is not a GraphQL request we accept."""

    def __init__(self, status: int, message: str, code: str) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


def _media_type(accept: str | None) -> str:
    """The response type the client prefers: graphql-response+json if it asks for it.

    ``*/*``, a missing header and anything we cannot offer get ``application/json``
    (GraphQL over HTTP: legacy clients keep working).
    """
    best, best_q = JSON, -1.0
    for part in (accept or "").split(","):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        if media not in (GRAPHQL_RESPONSE, JSON):
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > best_q or (q == best_q and media == GRAPHQL_RESPONSE):
            best, best_q = media, q
    return best if best_q != 0.0 else JSON


def _is_outage(errors: list[dict[str, Any]]) -> bool:
    return any(e.get("extensions", {}).get("code") == Unavailable.code for e in errors)


def _timed_out(errors: list[dict[str, Any]]) -> bool:
    return any(e.get("extensions", {}).get("code") == QueryTimeout.code for e in errors)


class GraphQLHandler(_SubscriptionMixin, tornado.websocket.WebSocketHandler,  # type: ignore[misc]
                     StreamedBodyHandler):
    """Queries over GET and POST, mutations over POST only; subscriptions over WebSocket."""

    SUPPORTED_METHODS = ("GET", "POST", "OPTIONS")

    schema: GraphQLSchema

    def initialize(self, services: Services, schema: GraphQLSchema) -> None:  # type: ignore[override]
        super().initialize(services)
        self.schema = schema
        self._execution: asyncio.Future[Any] | None = None
        self._context: Context | None = None
        self._client_gone = False

    def on_connection_close(self) -> None:
        """The client went away mid-request: cancel its execution, so asyncpg cancels the
        statements it is running instead of leaving a backend busy for nobody."""
        execution = getattr(self, "_execution", None)
        if execution is not None and not execution.done():
            self._client_gone = True
            execution.cancel()
            if self._context is not None:
                for loader in self._context.loaders.values():
                    loader.cancel()  # batch loads run as tasks of their own
        super().on_connection_close()

    def _allow_origin(self) -> None:
        origin = self.request.headers.get("Origin")
        if origin and origin in self.services.config.allowed_origins:
            # Bearer tokens, never cookies: allowing these origins cannot forge requests.
            self.set_header("Access-Control-Allow-Origin", origin)
            self.set_header("Vary", "Origin")

    def set_default_headers(self) -> None:
        # Also runs before initialize(); after it, again when an error clears the headers.
        super().set_default_headers()
        if hasattr(self, "services"):
            self._allow_origin()

    async def prepare(self) -> None:
        self._allow_origin()
        await super().prepare()

    def options(self, *_args: Any) -> None:
        """CORS preflight for the configured origins."""
        self.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept")
        self.set_header("Access-Control-Max-Age", "600")
        self.set_status(204)
        self.finish()

    async def get(self, *args: Any, **kwargs: Any) -> None:
        if self.request.headers.get("Upgrade", "").lower() == "websocket":
            await super().get(*args, **kwargs)
            return
        try:
            query = self.get_query_argument("query", None)
            variables = _json_argument(self.get_query_argument("variables", None))
            extensions = _json_argument(self.get_query_argument("extensions", None))
            operation_name = self.get_query_argument("operationName", None) or None
        except ValueError:
            self._refuse(_BadRequest(400, "variables and extensions must be JSON",
                                     "BAD_REQUEST"))
            return
        await self._handle(query, variables, extensions, operation_name, allow_mutations=False)

    async def post(self, *_args: Any) -> None:
        content_type = self.request.headers.get("Content-Type", "").split(";")[0].strip()
        if content_type.lower() != JSON:
            self._refuse(_BadRequest(415, "send the request as application/json",
                                     "BAD_REQUEST"))
            return
        try:
            body = json.loads(self.body_bytes())
        except ValueError:
            self._refuse(_BadRequest(400, "the body is not valid JSON", "BAD_REQUEST"))
            return
        if not isinstance(body, dict):
            self._refuse(_BadRequest(400, "the body must be a JSON object", "BAD_REQUEST"))
            return
        await self._handle(body.get("query"), body.get("variables"), body.get("extensions"),
                           body.get("operationName"), allow_mutations=True)

    async def _handle(self, query: Any, variables: Any, extensions: Any, operation_name: Any,
                      allow_mutations: bool) -> None:
        self.set_header("Cache-Control", "no-store")  # responses may carry tokens
        media_type = _media_type(self.request.headers.get("Accept"))
        try:
            prepared = self._prepare(query, variables, extensions, operation_name,
                                     allow_mutations)
        except _BadRequest as refusal:
            self._refuse(refusal)
            return
        if isinstance(prepared, list):
            observe_graphql("invalid", False, 0.0)
            # A request error: no data. application/json clients get 200 (they read errors
            # from the body); graphql-response+json says it with the status.
            status = 400 if media_type == GRAPHQL_RESPONSE else 200
            self._write_result({"errors": [format_error(e) for e in prepared]}, status,
                               media_type)
            return
        context = Context(services=self.services, viewer=self.viewer,
                          client_ip=self.client_ip, session_id=self.session_id,
                          origin=f"{self.request.protocol}://{self.request.host}")
        self._context = context
        started = time.perf_counter()
        sql = start_sql_timer()  # the execution task below inherits it
        self._execution = asyncio.ensure_future(
            run(self.schema, prepared, variables, operation_name, context))
        try:
            result = await self._execution
        except asyncio.CancelledError:
            if not self._client_gone:
                raise  # the server is stopping: not ours to swallow
            log.info("client disconnected; its GraphQL request was cancelled")
            return
        finally:
            self._execution = self._context = None
        observe_graphql(operation_label(prepared.document, operation_name), not result.errors,
                        time.perf_counter() - started)
        await asyncio.sleep(0)  # the last statement's logger call runs on this turn
        self.set_header("Server-Timing", f"sql;dur={sql.ms:.1f};desc=\"{sql.statements} "
                                         "statements\"")
        body = result_to_json(result)
        status = 200
        if _is_outage(body.get("errors", [])):
            status = 503  # the database is unreachable: retryable, unlike a bug
            self.set_header("Retry-After", str(RETRY_AFTER_S))
        elif _timed_out(body.get("errors", [])):
            status = 504  # a statement ran past the statement timeout and was cancelled
        elif result.data is None and media_type == GRAPHQL_RESPONSE and not any(
                e.path for e in result.errors or ()):
            status = 400  # variable coercion failed: nothing was executed
            body.pop("data", None)
        self._write_result(body, status, media_type)

    def _write_result(self, body: dict[str, Any], status: int, media_type: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", f"{media_type}; charset=utf-8")
        self.finish(json_dumps(body))

    def _prepare(self, query: Any, variables: Any, extensions: Any, operation_name: Any,
                 allow_mutations: bool) -> Prepared | list[GraphQLError]:
        if not isinstance(query, str) or not query.strip():
            raise _BadRequest(400, "the request has no query", "BAD_REQUEST")
        if variables is not None and not isinstance(variables, dict):
            raise _BadRequest(400, "variables must be a JSON object", "BAD_REQUEST")
        if extensions is not None and not isinstance(extensions, dict):
            raise _BadRequest(400, "extensions must be a JSON object", "BAD_REQUEST")
        if operation_name is not None and not isinstance(operation_name, str):
            raise _BadRequest(400, "operationName must be a string", "BAD_REQUEST")
        prepared = prepare(self.schema, query, operation_name, self.services.config,
                           signed_in=self.viewer is not None)
        if isinstance(prepared, list):
            return prepared
        if prepared.operation is OperationType.SUBSCRIPTION:
            raise _BadRequest(400, "subscriptions use the WebSocket protocol on this path",
                              "BAD_REQUEST")
        if prepared.operation is OperationType.MUTATION and not allow_mutations:
            self.set_header("Allow", "POST")
            raise _BadRequest(405, "mutations must be sent with POST", "METHOD_NOT_ALLOWED")
        return prepared

    def _refuse(self, refusal: _BadRequest) -> None:
        self.set_header("Cache-Control", "no-store")
        self.client_error(refusal.status, refusal.message, refusal.code)

    def client_error(self, status: int, message: str, code: str) -> None:
        """Errors in GraphQL's shape, so clients read them like any other GraphQL error."""
        if status == 401:
            self.set_header("WWW-Authenticate", 'Bearer error="invalid_token"')
        if status == 503:
            self.set_header("Retry-After", str(RETRY_AFTER_S))
        self.set_status(status)
        media_type = _media_type(self.request.headers.get("Accept"))
        self.set_header("Content-Type", f"{media_type}; charset=utf-8")
        self.finish(json_dumps({"errors": [{"message": message,
                                            "extensions": {"code": code}}]}))


def _json_argument(raw: str | None) -> Any:
    """A JSON-encoded query argument (GET's variables and extensions); ValueError if bad."""
    return json.loads(raw) if raw else None
