"""End-to-end tests reuse the integration harness (real services, the real app on a port)
and share one ``npm install`` of the stock Node clients (graphql-ws, graphql-http)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import pytest_asyncio
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from tests.integration.conftest import config, fetch, gql, make_user, server, services

__all__ = ["config", "fetch", "gql", "make_user", "node_scripts", "redis_url", "server",
           "services"]

HERE = Path(__file__).resolve().parent
REDIS_URL = os.environ.get("PHOTONIX_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

# Installed from package.json (versions pinned there): the stock clients the tests drive.
_PACKAGES = ("graphql-ws", "ws", "graphql-http")


@pytest.fixture(scope="session")
def node_scripts() -> Path:
    """This folder, with its npm packages installed (skips without Node.js and npm)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js and npm are needed for the graphql-ws end-to-end tests")
    if not all((HERE / "node_modules" / name).is_dir() for name in _PACKAGES):
        subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=HERE, check=True,
                       capture_output=True, timeout=300)
    return HERE


@pytest_asyncio.fixture
async def redis_url() -> str:
    """The test Redis (PHOTONIX_TEST_REDIS_URL); skips when it does not answer."""
    client = aioredis.Redis.from_url(REDIS_URL, socket_connect_timeout=5)
    try:
        await client.ping()
    except (OSError, RedisError) as error:
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")
    finally:
        await client.aclose()
    return REDIS_URL
