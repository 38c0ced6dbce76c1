"""First run: setupRequired, and createFirstAdmin guarded by the printed one-time token."""

from __future__ import annotations

import asyncio
from typing import Any

from photonix_rt.services.container import Services
from tests.integration.photo_factory import Gql, data_of

REQUIRED = "{ setupRequired }"
CREATE = """mutation($t: String!, $u: String!, $p: String!) {
  createFirstAdmin(setupToken: $t, username: $u, password: $p) {
    accessToken refreshToken user { username isAdmin } } }"""


def _code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors")
    return errors[0]["extensions"]["code"] if errors else None


async def test_the_printed_token_creates_the_first_admin_once(
        gql: Gql, services: Services) -> None:
    assert data_of(await gql(REQUIRED))["setupRequired"] is True
    token = await services.first_run.start()
    assert token is not None and len(token) >= 40
    # Only hashes are stored.
    stored = await services.db.fetch("SELECT token_hash FROM setup_tokens")
    assert len(stored) == 1 and token.encode() not in stored[0]["token_hash"]

    wrong = await gql(CREATE, {"t": token[:-2] + "xx", "u": "mallory", "p": "a long password"})
    assert _code(wrong) == "FORBIDDEN"
    assert await services.db.fetchval("SELECT count(*) FROM users") == 0

    body = data_of(await gql(CREATE, {"t": token, "u": "alice", "p": "a long password"}))
    payload = body["createFirstAdmin"]
    assert payload["user"] == {"username": "alice", "isAdmin": True}
    me = data_of(await gql("{ me { username isAdmin } }", token=payload["accessToken"]))
    assert me["me"] == {"username": "alice", "isAdmin": True}
    assert data_of(await gql(REQUIRED))["setupRequired"] is False

    again = await gql(CREATE, {"t": token, "u": "bob", "p": "another password"})
    assert _code(again) == "CONFLICT"
    assert await services.db.fetchval("SELECT count(*) FROM setup_tokens") == 0
    assert await services.first_run.start() is None  # no link once an admin exists


async def test_no_token_no_admin(gql: Gql, services: Services) -> None:
    """Before any server start printed a token, no token works (not even an empty one)."""
    for token in ("", "x" * 43):
        body = await gql(CREATE, {"t": token, "u": "eve", "p": "a long password"})
        assert _code(body) == "FORBIDDEN", token
    assert await services.db.fetchval("SELECT count(*) FROM users") == 0


async def test_any_process_token_works_and_all_are_used_up(
        gql: Gql, services: Services) -> None:
    first = await services.first_run.start()
    second = await services.first_run.start()  # another server process started too
    assert first and second and first != second
    data_of(await gql(CREATE, {"t": second, "u": "alice", "p": "a long password"}))
    body = await gql(CREATE, {"t": first, "u": "bob", "p": "a long password"})
    assert _code(body) == "CONFLICT"


async def test_concurrent_calls_create_one_admin(gql: Gql, services: Services) -> None:
    token = await services.first_run.start()
    bodies = await asyncio.gather(*(
        gql(CREATE, {"t": token, "u": f"admin{i}", "p": "a long password"})
        for i in range(4)))
    assert sum(1 for b in bodies if _code(b) is None) == 1, bodies
    assert sorted(_code(b) or "" for b in bodies) == ["", "CONFLICT", "CONFLICT", "CONFLICT"]
    assert await services.db.fetchval("SELECT count(*) FROM users WHERE is_admin") == 1


async def test_refused_once_an_admin_exists_from_the_command_line(
        gql: Gql, services: Services, make_user: Any) -> None:
    token = await services.first_run.start()
    await make_user("root", admin=True)
    assert data_of(await gql(REQUIRED))["setupRequired"] is False
    body = await gql(CREATE, {"t": token, "u": "late", "p": "a long password"})
    assert _code(body) == "CONFLICT"


async def test_first_admin_owns_the_libraries_made_before_any_admin(
        gql: Gql, services: Services) -> None:
    """``serve --photos`` before any admin made an ownerless library: the admin gets it."""
    library = await services.libraries.ensure_library("Photos", None)
    token = await services.first_run.start()
    payload = data_of(await gql(CREATE, {"t": token, "u": "alice", "p": "a long password"}))
    libraries = data_of(await gql("{ libraries { id name } }",
                                  token=payload["createFirstAdmin"]["accessToken"]))
    assert libraries["libraries"] == [{"id": str(library.id), "name": "Photos"}]


async def test_invalid_input_is_refused_before_the_token(gql: Gql, services: Services) -> None:
    token = await services.first_run.start()
    body = await gql(CREATE, {"t": token, "u": "has space", "p": "a long password"})
    assert _code(body) == "BAD_USER_INPUT"
    ok = data_of(await gql(CREATE, {"t": token, "u": "alice", "p": "a long password"}))
    assert ok["createFirstAdmin"]["user"]["username"] == "alice"
