"""A database outage is an outage, not a bug: HTTP 503, SERVICE_UNAVAILABLE, Retry-After,
and service resumes when the database is back, without restarting the app.

The test runs its own PostgreSQL (``own_postgres.py``) and stops it; the shared one is
never touched.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from typing import Any

from tornado.simple_httpclient import SimpleAsyncHTTPClient

from photonix_rt.app import open_services
from photonix_rt.config import Config
from photonix_rt.store.db import Database
from tests.integration.conftest import serving
from tests.integration.own_postgres import OwnPostgres

LOGIN = 'mutation { login(username: "alice", password: "alice-pass-phrase") { accessToken } }'



async def _post(client: SimpleAsyncHTTPClient, base: str, query: str,
                token: str | None = None) -> tuple[Any, dict[str, Any]]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = await client.fetch(base + "/graphql", method="POST",
                                  body=json.dumps({"query": query}), headers=headers,
                                  raise_error=False, request_timeout=30)
    return response, json.loads(response.body)


async def test_database_outage_answers_503_then_recovers(config: Config, own_db: Database,
                                                         own_postgres: OwnPostgres) -> None:
    client = SimpleAsyncHTTPClient(force_instance=True)
    async with (open_services(replace(config, database_url=own_postgres.url),
                              own_db) as services, serving(services) as base):
        try:
            await services.users.create("alice", "alice-pass-phrase")
            response, body = await _post(client, base, LOGIN)
            assert response.code == 200, body
            token = body["data"]["login"]["accessToken"]

            await asyncio.to_thread(own_postgres.stop)
            for query, credentials in ((LOGIN, None), ("{ libraries { id } }", token)):
                response, body = await _post(client, base, query, credentials)
                assert response.code == 503, body
                assert body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
                assert int(response.headers["Retry-After"]) > 0
                assert "asyncpg" not in response.body.decode()

            await asyncio.to_thread(own_postgres.start)
            for _ in range(50):  # dropped pool connections are replaced as they are used
                response, body = await _post(client, base, "{ libraries { id } }", token)
                if response.code == 200:
                    break
                assert response.code == 503, body
                await asyncio.sleep(0.1)
            assert response.code == 200, body
            assert body == {"data": {"libraries": []}}
        finally:
            client.close()
