"""Observability on the real app (issue 12): ``/metrics`` (loopback or token only, counting
requests, operations, sockets, events and the database pool) and request ids that follow
the work a request starts into the logs.

Metrics are process-wide (prometheus-client's registry), so every check is a difference
between two scrapes around the action.
"""

from __future__ import annotations

import io
import json
import logging
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import tornado.websocket
from prometheus_client.parser import text_string_to_metric_families

from photonix_rt.config import Config
from photonix_rt.logs import JsonFormatter, RequestIdFilter
from photonix_rt.services.container import Services

CREATE = """mutation { createLibrary(name: "Ops") { id } }"""
ADD = """mutation($l: ID!, $p: String!) { addLibraryPath(libraryId: $l, path: $p) { id } }"""


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(scrape: dict[Any, float], name: str, **labels: str) -> float:
    return scrape.get((name, tuple(sorted(labels.items()))), 0.0)


async def scrape(fetch: Any, **headers: str) -> dict[Any, float]:
    response = await fetch("/metrics", headers=headers)
    assert response.code == 200, response.body
    assert response.headers["Content-Type"].startswith("text/plain")
    return samples(response.body.decode())


async def test_metrics_count_requests_operations_sockets_and_pool(
        fetch: Any, gql: Any, make_user: Any, server: str) -> None:
    token = await make_user("ops", admin=True)
    before = await scrape(fetch)
    assert (await gql("{ libraries { id } }", token=token))["data"] == {"libraries": []}
    await gql("{ nonsense }", token=token)  # invalid: counted apart, not as an operation
    after = await scrape(fetch)
    op = {"operation": "query libraries"}
    assert value(after, "photonix_graphql_operations_total", outcome="ok", **op) - value(
        before, "photonix_graphql_operations_total", outcome="ok", **op) == 1
    assert value(after, "photonix_graphql_operation_duration_seconds_count", **op) - value(
        before, "photonix_graphql_operation_duration_seconds_count", **op) == 1
    assert value(after, "photonix_graphql_operations_total", operation="invalid",
                 outcome="error") - value(before, "photonix_graphql_operations_total",
                                          operation="invalid", outcome="error") == 1
    posts = {"handler": "GraphQLHandler", "method": "POST", "status": "200"}
    assert value(after, "photonix_http_requests_total", **posts) - value(
        before, "photonix_http_requests_total", **posts) == 2
    assert value(after, "photonix_db_pool_connections", state="max") == 10
    assert value(after, "photonix_db_pool_connections", state="in_use") >= 0

    socket = await tornado.websocket.websocket_connect(
        server.replace("http", "ws", 1) + "/graphql", subprotocols=["graphql-transport-ws"])
    opened = await scrape(fetch)
    assert value(opened, "photonix_websocket_connections") - value(
        after, "photonix_websocket_connections") == 1
    socket.close()
    for _ in range(50):  # the server sees the close a moment later
        closed = await scrape(fetch)
        if value(closed, "photonix_websocket_connections") == value(
                after, "photonix_websocket_connections"):
            break
    else:
        raise AssertionError("the socket was never counted as closed")


async def test_metrics_are_refused_through_a_proxy_or_off_loopback(fetch: Any) -> None:
    for header in ("X-Forwarded-For", "X-Real-IP", "Forwarded"):
        response = await fetch("/metrics", headers={header: "127.0.0.1"})
        assert response.code == 403, header
        assert b"PHOTONIX_METRICS_TOKEN" in response.body


class TestWithToken:
    @pytest.fixture
    def config(self, config: Config) -> Config:
        return replace(config, metrics_token="scrape-token-0123")

    async def test_only_the_token_opens_metrics(self, fetch: Any) -> None:
        assert (await fetch("/metrics")).code == 401
        assert (await fetch("/metrics", token="scrape-token-0124")).code == 401
        response = await fetch("/metrics", token="scrape-token-0123",
                               headers={"X-Forwarded-For": "198.51.100.4"})
        assert response.code == 200
        assert b"photonix_http_requests_total" in response.body


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """What the root logger writes, as ``--log-format json`` formats it."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield out
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


async def test_request_ids_follow_the_work_a_request_starts(
        services: Services, fetch: Any, gql: Any, make_user: Any, json_log: io.StringIO,
        tmp_path: Path, fixtures_dir: Path) -> None:
    owner = await make_user("owner", admin=True)
    library = (await gql(CREATE, token=owner))["data"]["createLibrary"]["id"]
    folder = tmp_path / "trip"
    folder.mkdir()
    shutil.copy(fixtures_dir / "photonix" / "snow.jpg", folder / "snow.jpg")

    response = await fetch("/graphql", method="POST", token=owner,
                           body=json.dumps({"query": ADD, "variables": {"l": library,
                                                                        "p": str(folder)}}),
                           headers={"Content-Type": "application/json",
                                    "X-Request-ID": "req-ops-42"})
    assert response.code == 200 and "errors" not in json.loads(response.body)
    assert response.headers["X-Request-ID"] == "req-ops-42"
    await services.sync.settled()  # the scan the request started, in its own task

    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    ours = [line["message"] for line in lines if line.get("request_id") == "req-ops-42"]
    assert any("folder" in m and "added" in m for m in ours), ours
    assert any(m.startswith("scan of library") for m in ours), ours  # the background task

    # An unusable id is replaced; each request gets its own.
    first = await fetch("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    second = await fetch("/healthz")
    ids = {first.headers["X-Request-ID"], second.headers["X-Request-ID"]}
    assert len(ids) == 2 and all(len(i) == 32 for i in ids)
