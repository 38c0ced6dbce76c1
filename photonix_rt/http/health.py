"""Probes for supervisors: ``/healthz`` (the process answers), ``/readyz`` (so does the DB)."""

from __future__ import annotations

import asyncio
import logging

from photonix_rt.http.base import BaseHandler

__all__ = ["HealthHandler", "ReadyHandler"]

log = logging.getLogger(__name__)

_DB_TIMEOUT_S = 2.0


class HealthHandler(BaseHandler):
    """Liveness: answers as long as the event loop runs."""

    async def prepare(self) -> None:
        return None  # probes carry no credentials; an Authorization header is ignored

    def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.write_json({"status": "ok"})


class ReadyHandler(BaseHandler):
    """Readiness: the database answers a trivial query within a short timeout."""

    async def prepare(self) -> None:
        return None

    async def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        try:
            async with asyncio.timeout(_DB_TIMEOUT_S):  # not wait_for: see photonix_rt/waiting.py
                await self.services.db.ping()
        except Exception:  # whatever the failure, the answer is "not ready"
            log.warning("readiness check failed", exc_info=True)
            self.write_json({"status": "unavailable", "error": "database unavailable"}, 503)
            return
        self.write_json({"status": "ready"})
