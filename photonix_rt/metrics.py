"""Prometheus metrics of one server process (``/metrics``, ``http/metrics.py``).

The metric objects live in prometheus-client's default registry, as that library intends
(one registry per process, with its process and Python collectors); each server process is
scraped on its own loopback port. What is measured:

- ``photonix_http_requests_total{handler,method,status}``, ``..._duration_seconds{handler}``
- ``photonix_graphql_operations_total{operation,outcome}``, ``..._duration_seconds{operation}``
  (operation: "query photos", "mutation login"...: the type and first root field, so the
  label set is bounded by the schema, never by what clients send)
- ``photonix_websocket_connections``: open sockets
- ``photonix_events_published_total{kind}``, ``photonix_events_delivered_total{kind}``
  (imports: ``kind="PHOTO_ADDED"``; classification: ``photonix_stages_done_total{stage}``)
- ``photonix_jobs{stage,status}``: the classification queue, read from the database
- ``photonix_worker_restarts_total{pool}``: worker processes that died (pool replaced)
- ``photonix_db_pool_connections{state}``: the database pool (in use, idle, max)
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, TypeVar

from graphql import DocumentNode, FieldNode, OperationDefinitionNode
from prometheus_client import Counter, Gauge, Histogram

from photonix_rt.pool_client import PoolClient, WorkerCrashed
from photonix_rt.store import status as status_store

if TYPE_CHECKING:
    from collections.abc import Callable

    from photonix_rt.events.types import EventMessage
    from photonix_rt.store.db import Database

__all__ = ["MeteredPool", "event_delivered", "event_published", "observe_graphql",
           "observe_request", "operation_label", "run_queue_gauges", "socket_closed",
           "socket_opened", "watch_database_pool"]

log = logging.getLogger(__name__)
T = TypeVar("T")

HTTP_REQUESTS = Counter("photonix_http_requests_total", "HTTP requests answered",
                        ["handler", "method", "status"])
HTTP_SECONDS = Histogram("photonix_http_request_duration_seconds",
                         "Time to answer an HTTP request", ["handler"])
GRAPHQL_OPERATIONS = Counter("photonix_graphql_operations_total",
                             "GraphQL operations over HTTP", ["operation", "outcome"])
GRAPHQL_SECONDS = Histogram("photonix_graphql_operation_duration_seconds",
                            "Time to execute a GraphQL operation over HTTP", ["operation"])
SOCKETS = Gauge("photonix_websocket_connections", "Open WebSocket connections")
EVENTS_PUBLISHED = Counter("photonix_events_published_total",
                           "Events this process wrote and published", ["kind"])
EVENTS_DELIVERED = Counter("photonix_events_delivered_total",
                           "Events queued to subscribed sockets", ["kind"])
STAGES_DONE = Counter("photonix_stages_done_total",
                      "Classifier stages finished by this process", ["stage"])
JOBS = Gauge("photonix_jobs", "Classification jobs in the database", ["stage", "status"])
WORKER_RESTARTS = Counter("photonix_worker_restarts_total",
                          "Worker processes that died (their pool was replaced)", ["pool"])
DB_POOL = Gauge("photonix_db_pool_connections", "Database pool connections", ["state"])


def observe_request(handler: str, method: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(handler, method, str(status)).inc()
    HTTP_SECONDS.labels(handler).observe(seconds)


def operation_label(document: DocumentNode | None, operation_name: str | None) -> str:
    """``"<type> <first root field>"`` of the operation that runs, or ``"invalid"``."""
    if document is None:
        return "invalid"
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = next((o for o in operations if o.name and o.name.value == operation_name),
                  operations[0] if len(operations) == 1 else None)
    if chosen is None:
        return "invalid"
    field = next((s for s in chosen.selection_set.selections if isinstance(s, FieldNode)), None)
    return f"{chosen.operation.value} {field.name.value if field else '?'}"


def observe_graphql(operation: str, ok: bool, seconds: float) -> None:
    GRAPHQL_OPERATIONS.labels(operation, "ok" if ok else "error").inc()
    GRAPHQL_SECONDS.labels(operation).observe(seconds)


def socket_opened() -> None:
    SOCKETS.inc()


def socket_closed() -> None:
    SOCKETS.dec()


def event_published(message: EventMessage) -> None:
    EVENTS_PUBLISHED.labels(message.kind).inc()
    if message.kind == "STAGE_DONE" and isinstance(message.payload.get("stage"), str):
        STAGES_DONE.labels(message.payload["stage"]).inc()


def event_delivered(kind: str) -> None:
    EVENTS_DELIVERED.labels(kind).inc()


def watch_database_pool(db: Database) -> None:
    """Read the pool's state at each scrape (no polling)."""
    pool = db.pool

    def in_use() -> float:
        return pool.get_size() - pool.get_idle_size()

    DB_POOL.labels("in_use").set_function(in_use)
    DB_POOL.labels("idle").set_function(pool.get_idle_size)
    DB_POOL.labels("max").set_function(pool.get_max_size)


async def run_queue_gauges(db: Database, every_s: float = 15.0) -> None:
    """Forever: copy the job counts per stage and status into ``photonix_jobs``."""
    seen: set[tuple[str, str]] = set()
    while True:
        try:
            counts = await status_store.jobs_by_stage(db)
            for key in seen - set(counts):
                JOBS.labels(*key).set(0)  # drained: say 0 rather than keep the old value
            for (stage, status), count in counts.items():
                JOBS.labels(stage, status).set(count)
            seen |= set(counts)
        except Exception:  # a task boundary (the database may be down): try again later
            log.debug("reading the job queue for metrics failed", exc_info=True)
        await asyncio.sleep(every_s)


class MeteredPool(PoolClient):
    """A ``PoolClient`` that counts the worker deaths it recovers from."""

    def __init__(self, name: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.metric_name = name
        self._replacement: object = None

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        try:
            return await super().run(fn, *args)
        except WorkerCrashed:
            # Every job in flight fails with the dead worker; the pool is replaced once.
            current = self._executor
            if current is not self._replacement:
                self._replacement = current
                WORKER_RESTARTS.labels(self.metric_name).inc()
            raise
