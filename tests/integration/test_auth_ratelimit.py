"""Login rate limits through the real server, with the production limits (10 per user, 30 per
address in 15 minutes); every request comes from 127.0.0.1."""

from __future__ import annotations

from typing import Any

from photonix_rt.services.container import Services

LOGIN = """mutation($u: String!, $p: String!) {
  login(username: $u, password: $p) { accessToken }
}"""


def code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors")
    return errors[0]["extensions"]["code"] if errors else None


async def test_per_user_limit(gql, services: Services) -> None:
    await services.users.create("alice", "right-pass-phrase")
    await services.users.create("bob", "right-pass-phrase")
    for _ in range(10):
        assert code(await gql(LOGIN, {"u": "alice", "p": "wrong"})) == "UNAUTHENTICATED"
    # Even the right password is refused now, with a clear error...
    limited = await gql(LOGIN, {"u": "ALICE", "p": "right-pass-phrase"})
    assert code(limited) == "RATE_LIMITED"
    assert "try again" in limited["errors"][0]["message"]
    # ...while other users from the same address still get in.
    assert code(await gql(LOGIN, {"u": "bob", "p": "right-pass-phrase"})) is None


async def test_success_resets_the_user_count(gql, services: Services) -> None:
    await services.users.create("alice", "right-pass-phrase")
    for _ in range(9):
        await gql(LOGIN, {"u": "alice", "p": "wrong"})
    assert code(await gql(LOGIN, {"u": "alice", "p": "right-pass-phrase"})) is None
    for _ in range(9):
        assert code(await gql(LOGIN, {"u": "alice", "p": "wrong"})) == "UNAUTHENTICATED"
    assert code(await gql(LOGIN, {"u": "alice", "p": "right-pass-phrase"})) is None


async def test_per_address_limit_survives_the_attackers_own_logins(gql,
                                                                   services: Services) -> None:
    await services.users.create("mallory", "mine-pass-phrase")
    await services.users.create("victim", "theirs-pass-phrase")
    for i in range(29):  # spraying guesses at many names, below each per-user limit
        assert code(await gql(LOGIN, {"u": f"user{i % 5}", "p": "guess"})) == "UNAUTHENTICATED"
    for _ in range(3):  # a valid account of their own does not wipe the address's record
        assert code(await gql(LOGIN, {"u": "mallory", "p": "mine-pass-phrase"})) is None
    assert code(await gql(LOGIN, {"u": "user9", "p": "guess"})) == "UNAUTHENTICATED"  # 30th
    assert code(await gql(LOGIN, {"u": "victim", "p": "theirs-pass-phrase"})) == "RATE_LIMITED"
