"""The GraphQL endpoint: POST (queries and mutations) and GET (queries only) at ``/graphql``.

The same path serves graphql-transport-ws subscriptions: a GET with ``Upgrade: websocket``
goes to ``WebSocketHandler.get``, and ``SubscriptionMixin`` (``http/subscriptions.py``,
picked up when that module exists) handles the socket.

Usage::

    curl -X POST localhost:8080/graphql -H 'Content-Type: application/json' \\
         -H "Authorization: Bearer $TOKEN" -d '{"query": "{ me { username } }"}'
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import logging
from typing import TYPE_CHECKING, Any

import tornado.websocket
from graphql import GraphQLError, GraphQLSchema, OperationType

from photonix_rt.graphql.context import Context
from photonix_rt.graphql.errors import format_error
from photonix_rt.graphql.execute import Prepared, prepare, result_to_json, run
from photonix_rt.http.base import BaseHandler, json_dumps

if TYPE_CHECKING:
    from photonix_rt.services.container import Services

__all__ = ["GraphQLHandler"]

log = logging.getLogger(__name__)

# Far more than any real query; a bigger body is a mistake or an attack.
MAX_BODY_BYTES = 1024 * 1024


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


class GraphQLHandler(_SubscriptionMixin, tornado.websocket.WebSocketHandler,  # type: ignore[misc]
                     BaseHandler):
    """Queries over GET and POST, mutations over POST only; subscriptions over WebSocket."""

    SUPPORTED_METHODS = ("GET", "POST", "OPTIONS")

    schema: GraphQLSchema

    def initialize(self, services: Services, schema: GraphQLSchema) -> None:  # type: ignore[override]
        super().initialize(services)
        self.schema = schema

    def _allow_origin(self) -> None:
        origin = self.request.headers.get("Origin")
        if origin and origin in self.services.config.allowed_origins:
            # Bearer tokens, never cookies: allowing these origins cannot forge requests.
            self.set_header("Access-Control-Allow-Origin", origin)
            self.set_header("Vary", "Origin")

    def set_default_headers(self) -> None:
        # Also runs before initialize(); after it, again when an error clears the headers.
        if hasattr(self, "services"):
            self._allow_origin()

    async def prepare(self) -> None:
        self._allow_origin()
        await super().prepare()

    def options(self, *_args: Any) -> None:
        """CORS preflight for the configured origins."""
        self.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type")
        self.set_header("Access-Control-Max-Age", "600")
        self.set_status(204)
        self.finish()

    async def get(self, *args: Any, **kwargs: Any) -> None:
        if self.request.headers.get("Upgrade", "").lower() == "websocket":
            await super().get(*args, **kwargs)
            return
        try:
            query = self.get_query_argument("query", None)
            raw_variables = self.get_query_argument("variables", None)
            variables = json.loads(raw_variables) if raw_variables else None
            operation_name = self.get_query_argument("operationName", None) or None
        except ValueError:
            self._refuse(_BadRequest(400, "variables must be JSON", "BAD_REQUEST"))
            return
        await self._handle(query, variables, operation_name, allow_mutations=False)

    async def post(self, *_args: Any) -> None:
        content_type = self.request.headers.get("Content-Type", "").split(";")[0].strip()
        if content_type.lower() != "application/json":
            self._refuse(_BadRequest(415, "send the request as application/json",
                                     "BAD_REQUEST"))
            return
        if len(self.request.body) > MAX_BODY_BYTES:
            self._refuse(_BadRequest(413, "request body too large", "BAD_REQUEST"))
            return
        try:
            body = json.loads(self.request.body)
        except ValueError:
            self._refuse(_BadRequest(400, "the body is not valid JSON", "BAD_REQUEST"))
            return
        if not isinstance(body, dict):
            self._refuse(_BadRequest(400, "the body must be a JSON object", "BAD_REQUEST"))
            return
        await self._handle(body.get("query"), body.get("variables"),
                           body.get("operationName"), allow_mutations=True)

    async def _handle(self, query: Any, variables: Any, operation_name: Any,
                      allow_mutations: bool) -> None:
        try:
            prepared = self._prepare(query, variables, operation_name, allow_mutations)
        except _BadRequest as refusal:
            self._refuse(refusal)
            return
        if isinstance(prepared, list):
            self.set_header("Cache-Control", "no-store")
            self.write_json({"errors": [format_error(e) for e in prepared]}, 400)
            return
        context = Context(services=self.services, viewer=self.viewer,
                          client_ip=self.client_ip, session_id=self.session_id)
        result = await run(self.schema, prepared, variables, operation_name, context)
        self.set_header("Cache-Control", "no-store")  # responses may carry tokens
        self.write_json(result_to_json(result))

    def _prepare(self, query: Any, variables: Any, operation_name: Any,
                 allow_mutations: bool) -> Prepared | list[GraphQLError]:
        if not isinstance(query, str) or not query.strip():
            raise _BadRequest(400, "the request has no query", "BAD_REQUEST")
        if variables is not None and not isinstance(variables, dict):
            raise _BadRequest(400, "variables must be a JSON object", "BAD_REQUEST")
        if operation_name is not None and not isinstance(operation_name, str):
            raise _BadRequest(400, "operationName must be a string", "BAD_REQUEST")
        prepared = prepare(self.schema, query, operation_name,
                           self.services.config.max_query_depth)
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
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(json_dumps({"errors": [{"message": message,
                                            "extensions": {"code": code}}]}))
