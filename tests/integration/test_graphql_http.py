"""The HTTP side of /graphql: GET for queries only, POST for everything, request checks, the
depth limit, CORS, health probes, and error bodies that never carry tracebacks."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import pytest
from tornado.httpserver import HTTPServer
from tornado.simple_httpclient import SimpleAsyncHTTPClient
from tornado.testing import bind_unused_port

from photonix_rt.app import make_app, open_services
from photonix_rt.config import Config
from photonix_rt.store.db import Database

JSON = {"Content-Type": "application/json"}


@pytest.fixture
def config(config: Config) -> Config:
    # A small depth limit, so the depth test fits this schema; allow one widget origin.
    return replace(config, max_query_depth=2, allowed_origins=("https://widget.example",))


def assert_no_traceback(raw: bytes) -> None:
    text = raw.decode("utf-8", "replace")
    for marker in ("Traceback", 'File "', "photonix_rt/", ".py", "asyncpg"):
        assert marker not in text, text


def body_of(response: Any) -> dict[str, Any]:
    assert response.headers["Content-Type"].startswith("application/json")
    assert_no_traceback(response.body)
    return json.loads(response.body)


async def test_get_runs_queries(fetch, make_user) -> None:
    token = await make_user("alice")
    query = urlencode({"query": "query Me($x: Boolean!) { me @include(if: $x) { username } }",
                       "variables": json.dumps({"x": True}), "operationName": "Me"})
    response = await fetch(f"/graphql?{query}", token=token)
    assert response.code == 200
    assert body_of(response) == {"data": {"me": {"username": "alice"}}}
    assert response.headers["Cache-Control"] == "no-store"


async def test_get_refuses_mutations(fetch, make_user, db: Database) -> None:
    token = await make_user("alice")
    query = urlencode({"query": 'mutation { createLibrary(name: "Sneaky") { id } }'})
    response = await fetch(f"/graphql?{query}", token=token)
    assert response.code == 405
    assert response.headers["Allow"] == "POST"
    assert body_of(response)["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert await db.fetchval("SELECT count(*) FROM libraries") == 0
    # Naming a query operation in a document that also holds a mutation is fine over GET.
    mixed = urlencode({"query": "query Q { me { username } } "
                                'mutation M { createLibrary(name: "x") { id } }',
                       "operationName": "Q"})
    assert (await fetch(f"/graphql?{mixed}", token=token)).code == 200
    sneaky = urlencode({"query": "query Q { me { username } } "
                                 'mutation M { createLibrary(name: "x") { id } }',
                        "operationName": "M"})
    assert (await fetch(f"/graphql?{sneaky}", token=token)).code == 405
    assert await db.fetchval("SELECT count(*) FROM libraries") == 0


async def test_post_runs_mutations(gql, make_user) -> None:
    token = await make_user("alice")
    body = await gql('mutation { createLibrary(name: "Mine") { name } }', token=token)
    assert body == {"data": {"createLibrary": {"name": "Mine"}}}


@pytest.mark.parametrize(("body", "headers", "status"), [
    ('{"query": "{ me { id } }"}', {"Content-Type": "text/plain"}, 415),
    ("{not json", JSON, 400),
    ('["a", "batch"]', JSON, 400),
    ('{"variables": {}}', JSON, 400),
    ('{"query": "{ me { id } }", "variables": [1]}', JSON, 400),
    ('{"query": 42}', JSON, 400),
    ('{"query": "{ me { id } }", "operationName": 7}', JSON, 400),
])
async def test_malformed_requests(fetch, body: str, headers: dict[str, str],
                                  status: int) -> None:
    response = await fetch("/graphql", method="POST", body=body, headers=headers)
    assert response.code == status
    assert body_of(response)["errors"][0]["message"]


async def test_oversized_body_is_refused(fetch) -> None:
    padding = " " * (1024 * 1024 + 1)
    body = json.dumps({"query": "{ me { id } }" + padding})
    response = await fetch("/graphql", method="POST", body=body, headers=JSON)
    assert response.code == 413


async def test_invalid_documents_answer_per_media_type(fetch) -> None:
    """GraphQL over HTTP: application/json clients get 200 with errors for a document that
    does not parse or validate; graphql-response+json clients get 400 and no data."""
    for query in ("{ me { ", "{ noSuchField }"):
        plain = await fetch("/graphql", method="POST", body=json.dumps({"query": query}),
                            headers={**JSON, "Accept": "application/json"})
        assert plain.code == 200, query
        assert body_of(plain)["errors"], query
        typed = await fetch("/graphql", method="POST", body=json.dumps({"query": query}),
                            headers={**JSON, "Accept": "application/graphql-response+json"})
        assert typed.code == 400, query
        assert typed.headers["Content-Type"].startswith("application/graphql-response+json")
        assert "data" not in json.loads(typed.body), query
    # Subscriptions belong on the WebSocket: a request error either way.
    response = await fetch("/graphql", method="POST",
                           body=json.dumps({"query": "subscription { noop }"}), headers=JSON)
    assert response.code == 400
    assert body_of(response)["errors"]


async def test_depth_limit(gql, make_user) -> None:
    token = await make_user("alice")
    shallow = await gql("{ libraries { name } }", token=token)
    assert shallow == {"data": {"libraries": []}}
    deep = await gql("{ libraries { paths { path } } }", token=token)
    assert deep["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "limit is 2" in deep["errors"][0]["message"]
    assert "data" not in deep or deep["data"] is None
    # Fragments count too.
    hidden = await gql("query { libraries { ...F } } fragment F on Library { paths { path } }",
                       token=token)
    assert "limit is 2" in hidden["errors"][0]["message"]


async def test_cors_for_configured_origins_only(fetch) -> None:
    preflight = await fetch("/graphql", method="OPTIONS",
                            headers={"Origin": "https://widget.example",
                                     "Access-Control-Request-Method": "POST"})
    assert preflight.code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://widget.example"
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    post = await fetch("/graphql", method="POST", body='{"query": "{ me { id } }"}',
                       headers={**JSON, "Origin": "https://widget.example"})
    assert post.headers["Access-Control-Allow-Origin"] == "https://widget.example"
    refused = await fetch("/graphql", method="POST", body='{"query": "{ me { id } }"}',
                          headers={**JSON, "Origin": "https://evil.example",
                                   "Authorization": "Bearer bad"})
    assert refused.code == 401
    assert "Access-Control-Allow-Origin" not in refused.headers
    error_with_cors = await fetch("/graphql", method="POST", body='{"query": "{ me { id } }"}',
                                  headers={**JSON, "Origin": "https://widget.example",
                                           "Authorization": "Bearer bad"})
    assert error_with_cors.code == 401
    assert error_with_cors.headers["Access-Control-Allow-Origin"] == "https://widget.example"


async def test_websocket_upgrade_is_not_a_query(fetch) -> None:
    # A GET with Upgrade goes to the WebSocket handshake, not to query execution.
    response = await fetch("/graphql?" + urlencode({"query": "{ me { id } }"}),
                           headers={"Upgrade": "websocket", "Connection": "keep-alive"})
    assert response.code == 400
    assert b'"data"' not in response.body


async def test_health_probes(fetch) -> None:
    health = await fetch("/healthz", headers={"Authorization": "Bearer ignored"})
    assert health.code == 200
    assert body_of(health) == {"status": "ok"}
    ready = await fetch("/readyz")
    assert ready.code == 200
    assert body_of(ready) == {"status": "ready"}


async def test_domain_errors_carry_no_traceback(fetch, make_user) -> None:
    token = await make_user("alice")
    for query in ('{ library(id: "nope") { id } }',
                  'mutation { addLibraryPath(libraryId: "x", path: "/") { id } }',
                  "{ users { id } }"):
        response = await fetch("/graphql", method="POST", body=json.dumps({"query": query}),
                               headers=JSON, token=token)
        assert response.code == 200
        assert body_of(response)["errors"][0]["extensions"]["code"] in (
            "NOT_FOUND", "FORBIDDEN")


async def test_internal_errors_are_generic_and_logged(config: Config, database_url: str,
                                                      db: Database,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    """With the database gone, clients get a generic error; the log gets the detail."""
    own_db = await Database.connect(database_url)
    client = SimpleAsyncHTTPClient(force_instance=True)
    async with open_services(config, own_db) as services:
        sock, port = bind_unused_port()
        server = HTTPServer(make_app(services))
        server.add_sockets([sock])
        base = f"http://127.0.0.1:{port}"
        try:
            await services.users.create("alice", "pass-phrase")
            await own_db.close()
            caplog.set_level(logging.ERROR)
            login = ('mutation { login(username: "alice", password: "pass-phrase") '
                     "{ accessToken } }")
            response = await client.fetch(base + "/graphql", method="POST",
                                          body=json.dumps({"query": login}), headers=JSON,
                                          raise_error=False)
            body = body_of(response)
            assert body["errors"][0]["message"] == "internal server error"
            assert body["errors"][0]["extensions"]["code"] == "INTERNAL"
            assert any(r.exc_info for r in caplog.records), "the detail must reach the log"
            ready = await client.fetch(base + "/readyz", raise_error=False)
            assert ready.code == 503
            assert body_of(ready)["status"] == "unavailable"
        finally:
            client.close()
            server.stop()
            await server.close_all_connections()
