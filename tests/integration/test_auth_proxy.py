"""Login throttling behind a trusted reverse proxy (``PHOTONIX_TRUST_PROXY``): clients are told
apart by their forwarded address, and guessing cannot lock the owner out (issue 10: 10)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from photonix_rt.config import Config
from photonix_rt.services.container import Services

LOGIN = """mutation($u: String!, $p: String!) {
  login(username: $u, password: $p) { accessToken }
}"""
OWNER_PASSWORD = "the owner's pass phrase"


@pytest.fixture
def config(config: Config) -> Config:
    return replace(config, trust_proxy=True)


def code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors")
    return errors[0]["extensions"]["code"] if errors else None


def login_from(fetch: Any, address: str) -> Any:
    async def attempt(username: str, password: str) -> dict[str, Any]:
        response = await fetch("/graphql", method="POST",
                               body=json.dumps({"query": LOGIN,
                                                "variables": {"u": username, "p": password}}),
                               headers={"Content-Type": "application/json",
                                        "X-Forwarded-For": address})
        return json.loads(response.body)

    return attempt


async def test_an_attacker_cannot_lock_the_owner_out(fetch: Any, services: Services) -> None:
    await services.users.create("alice", OWNER_PASSWORD)
    owner = login_from(fetch, "198.51.100.7")
    attacker = login_from(fetch, "203.0.113.66")
    assert code(await owner("alice", OWNER_PASSWORD)) is None
    for _ in range(10):
        assert code(await attacker("alice", "a wrong guess")) == "UNAUTHENTICATED"
    assert code(await attacker("alice", OWNER_PASSWORD)) == "RATE_LIMITED"
    # The owner, from where they signed in before, is not held to the attacker's count.
    assert code(await owner("alice", OWNER_PASSWORD)) is None


async def test_clients_behind_the_proxy_have_their_own_address_windows(
        fetch: Any, services: Services) -> None:
    await services.users.create("bob", OWNER_PASSWORD)
    sprayer = login_from(fetch, "203.0.113.66")
    for i in range(30):
        assert code(await sprayer(f"user{i % 7}", "a wrong guess")) == "UNAUTHENTICATED"
    assert code(await sprayer("bob", OWNER_PASSWORD)) == "RATE_LIMITED"
    # Someone else behind the same proxy, never seen before, is not in the sprayer's window.
    assert code(await login_from(fetch, "198.51.100.8")("bob", OWNER_PASSWORD)) is None
