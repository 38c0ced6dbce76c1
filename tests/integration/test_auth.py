"""Sign-in, refresh rotation and reuse detection, logout, expiry, password changes, admin-only
user management, all through the real HTTP server on the real database."""

from __future__ import annotations

import hashlib
import json
import secrets
import time
import uuid
from typing import Any

import pytest

from photonix_rt.auth.tokens import decode_access_token, issue_access_token
from photonix_rt.errors import Conflict, Invalid
from photonix_rt.services.container import Services
from photonix_rt.store.db import Database

LOGIN = """mutation($u: String!, $p: String!) {
  login(username: $u, password: $p) { accessToken refreshToken expiresIn user { id username } }
}"""
REFRESH = """mutation($t: String!) {
  refreshToken(refreshToken: $t) { accessToken refreshToken expiresIn user { username } }
}"""
LOGOUT = "mutation($t: String!) { logout(refreshToken: $t) }"
ME = "{ me { id username isAdmin isActive } }"


def code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors")
    return errors[0]["extensions"]["code"] if errors else None


async def login(gql: Any, username: str, password: str) -> dict[str, Any]:
    return await gql(LOGIN, {"u": username, "p": password})


async def test_login_returns_working_tokens(gql, services: Services) -> None:
    await services.users.create("alice", "correct horse", is_admin=False)
    body = await login(gql, "alice", "correct horse")
    assert "errors" not in body, body
    payload = body["data"]["login"]
    assert payload["user"]["username"] == "alice"
    assert payload["expiresIn"] == services.config.access_token_ttl_s
    me = await gql(ME, token=payload["accessToken"])
    assert me["data"]["me"]["username"] == "alice"
    assert me["data"]["me"]["id"] == payload["user"]["id"]
    assert me["data"]["me"]["isAdmin"] is False


async def test_username_is_case_insensitive(gql, services: Services) -> None:
    await services.users.create("Alice", "pass-phrase")
    assert "errors" not in await login(gql, "aLICE", "pass-phrase")


async def test_anonymous_me_is_null(gql) -> None:
    assert await gql(ME) == {"data": {"me": None}}


async def test_bad_credentials_are_refused_alike(gql, services: Services) -> None:
    await services.users.create("alice", "right-pass-phrase")
    wrong_password = await login(gql, "alice", "wrong")
    unknown_user = await login(gql, "nobody", "wrong")
    nul_user = await login(gql, "ali\x00ce", "wrong")
    for body in (wrong_password, unknown_user):
        assert body["data"] is None
        assert code(body) == "UNAUTHENTICATED"
    # Text no account can have is refused as input, for every argument alike (no account
    # can be named so, so this reveals nothing).
    assert nul_user["data"] is None
    assert code(nul_user) == "BAD_USER_INPUT"
    # The same message either way: the response does not reveal which names exist.
    assert wrong_password["errors"][0]["message"] == unknown_user["errors"][0]["message"]


async def test_secrets_are_stored_hashed(gql, services: Services, db: Database) -> None:
    await services.users.create("alice", "s3cret-pass")
    row = await db.fetchrow("SELECT password_hash FROM users WHERE username = 'alice'")
    assert row["password_hash"].startswith("$argon2id$")
    assert "s3cret-pass" not in row["password_hash"]
    refresh = (await login(gql, "alice", "s3cret-pass"))["data"]["login"]["refreshToken"]
    stored = [r["token_hash"] for r in await db.fetch("SELECT token_hash FROM refresh_tokens")]
    assert stored == [hashlib.sha256(refresh.encode()).digest()]


async def test_refresh_rotates_the_token(gql, make_user, services: Services) -> None:
    await services.users.create("alice", "pass-phrase")
    first = (await login(gql, "alice", "pass-phrase"))["data"]["login"]
    second = await gql(REFRESH, {"t": first["refreshToken"]})
    assert "errors" not in second, second
    rotated = second["data"]["refreshToken"]
    assert rotated["refreshToken"] != first["refreshToken"]
    assert rotated["user"]["username"] == "alice"
    me = await gql(ME, token=rotated["accessToken"])
    assert me["data"]["me"]["username"] == "alice"
    third = await gql(REFRESH, {"t": rotated["refreshToken"]})
    assert "errors" not in third, third


async def test_reusing_a_rotated_token_revokes_the_family(gql, services: Services) -> None:
    await services.users.create("alice", "pass-phrase")
    stolen = (await login(gql, "alice", "pass-phrase"))["data"]["login"]["refreshToken"]
    other_session = (await login(gql, "alice", "pass-phrase"))["data"]["login"]["refreshToken"]
    legit = (await gql(REFRESH, {"t": stolen}))["data"]["refreshToken"]["refreshToken"]
    # The thief replays the old token: refused, and the legitimate successor dies with it.
    replay = await gql(REFRESH, {"t": stolen})
    assert code(replay) == "UNAUTHENTICATED"
    assert code(await gql(REFRESH, {"t": legit})) == "UNAUTHENTICATED"
    # Other sessions (families) of the same user are untouched.
    assert "errors" not in await gql(REFRESH, {"t": other_session})


async def test_logout_revokes_the_session(gql, services: Services) -> None:
    await services.users.create("alice", "pass-phrase")
    tokens = (await login(gql, "alice", "pass-phrase"))["data"]["login"]
    rotated = (await gql(REFRESH, {"t": tokens["refreshToken"]}))["data"]["refreshToken"]
    assert await gql(LOGOUT, {"t": rotated["refreshToken"]}) == {"data": {"logout": True}}
    assert code(await gql(REFRESH, {"t": rotated["refreshToken"]})) == "UNAUTHENTICATED"
    assert await gql(LOGOUT, {"t": "not-a-token"}) == {"data": {"logout": False}}


async def test_expired_refresh_token_is_refused(gql, services: Services, db: Database) -> None:
    await services.users.create("alice", "pass-phrase")
    refresh = (await login(gql, "alice", "pass-phrase"))["data"]["login"]["refreshToken"]
    await db.execute("UPDATE refresh_tokens SET expires_at = now() - interval '1 second'")
    body = await gql(REFRESH, {"t": refresh})
    assert code(body) == "UNAUTHENTICATED"
    assert "expired" in body["errors"][0]["message"]


async def test_unknown_refresh_token_is_refused(gql) -> None:
    assert code(await gql(REFRESH, {"t": secrets.token_urlsafe(32)})) == "UNAUTHENTICATED"


def secret_of(services: Services) -> bytes:
    return bytes.fromhex(services.config.secret_key_path.read_text().strip())


async def test_bad_access_tokens_get_401(fetch, gql, services: Services) -> None:
    user = await services.users.create("alice", "pass-phrase")
    expired = issue_access_token(secret_of(services), user.id, "alice", is_admin=False,
                                 ttl_s=60, now=time.time() - 3600)
    forged = issue_access_token(secrets.token_bytes(32), user.id, "alice", is_admin=True,
                                ttl_s=60)
    body = json.dumps({"query": ME})
    for header in (f"Bearer {expired}", f"Bearer {forged}", "Bearer garbage", "Basic abc",
                   "Bearer"):
        response = await fetch("/graphql", method="POST", body=body,
                               headers={"Content-Type": "application/json",
                                        "Authorization": header})
        assert response.code == 401, header
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        errors = json.loads(response.body)["errors"]
        assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
    # Signed with the server's key but naming no session: nothing could ever revoke it.
    sessionless = issue_access_token(secret_of(services), user.id, "alice", is_admin=False,
                                     ttl_s=60)
    response = await fetch("/graphql", method="POST", body=body, token=sessionless,
                           headers={"Content-Type": "application/json"})
    assert response.code == 401
    tokens = (await login(gql, "alice", "pass-phrase"))["data"]["login"]
    session = decode_access_token(secret_of(services), tokens["accessToken"]).session_id
    genuine = issue_access_token(secret_of(services), user.id, "alice", is_admin=False, ttl_s=60,
                                 session_id=session)
    ok = await fetch("/graphql", method="POST", body=body, token=genuine,
                     headers={"Content-Type": "application/json"})
    assert ok.code == 200
    assert json.loads(ok.body)["data"]["me"]["username"] == "alice"


async def test_token_of_a_deleted_user_is_refused(fetch, services: Services) -> None:
    token = issue_access_token(secret_of(services), uuid.uuid4(), "ghost", is_admin=True,
                               ttl_s=60)
    response = await fetch("/graphql", method="POST", body=json.dumps({"query": ME}),
                           headers={"Content-Type": "application/json"}, token=token)
    assert response.code == 401


CHANGE = "mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) }"


async def test_change_password(gql, services: Services) -> None:
    await services.users.create("alice", "old-pass-phrase")
    here = (await login(gql, "alice", "old-pass-phrase"))["data"]["login"]
    elsewhere = (await login(gql, "alice", "old-pass-phrase"))["data"]["login"]
    wrong = await gql(CHANGE, {"o": "not-it", "n": "new-pass-phrase"}, token=here["accessToken"])
    assert code(wrong) == "BAD_USER_INPUT"
    change = {"o": "old-pass-phrase", "n": "new-pass-phrase"}
    assert code(await gql(CHANGE, change)) == "UNAUTHENTICATED"
    done = await gql(CHANGE, change, token=here["accessToken"])
    assert done == {"data": {"changePassword": True}}
    assert code(await login(gql, "alice", "old-pass-phrase")) == "UNAUTHENTICATED"
    assert "errors" not in await login(gql, "alice", "new-pass-phrase")
    # The other session is over; this one goes on.
    assert code(await gql(REFRESH, {"t": elsewhere["refreshToken"]})) == "UNAUTHENTICATED"
    assert "errors" not in await gql(REFRESH, {"t": here["refreshToken"]})


USERS = "{ users { username isAdmin isActive } }"
CREATE_USER = """mutation($u: String!, $p: String!, $a: Boolean) {
  createUser(username: $u, password: $p, isAdmin: $a) { id username isAdmin }
}"""
SET_ACTIVE = "mutation($id: ID!, $a: Boolean!) { setUserActive(id: $id, active: $a) { isActive } }"


async def test_user_management_is_admin_only(gql, make_user, services: Services,
                                             db: Database) -> None:
    admin = await make_user("root", admin=True)
    user = await make_user("bob")
    bob_id = (await gql(ME, token=user))["data"]["me"]["id"]
    attempts = [
        (USERS, None),
        (CREATE_USER, {"u": "mallory", "p": "pass-phrase", "a": True}),
        (SET_ACTIVE, {"id": bob_id, "a": False}),
    ]
    for query, variables in attempts:
        assert code(await gql(query, variables)) == "UNAUTHENTICATED", query
        assert code(await gql(query, variables, token=user)) == "FORBIDDEN", query
    assert await db.fetchval("SELECT count(*) FROM users WHERE username = 'mallory'") == 0
    assert await db.fetchval("SELECT is_active FROM users WHERE id = $1", uuid.UUID(bob_id))

    listed = await gql(USERS, token=admin)
    assert [u["username"] for u in listed["data"]["users"]] == ["bob", "root"]
    created = await gql(CREATE_USER, {"u": "carol", "p": "pass-phrase", "a": False}, token=admin)
    assert created["data"]["createUser"]["username"] == "carol"
    assert "errors" not in await login(gql, "carol", "pass-phrase")
    duplicate = await gql(CREATE_USER, {"u": "CAROL", "p": "pass-phrase"}, token=admin)
    assert code(duplicate) == "CONFLICT"


async def test_disabling_a_user_ends_their_access_at_once(gql, make_user,
                                                          services: Services) -> None:
    admin = await make_user("root", admin=True)
    await services.users.create("bob", "pass-phrase")
    session = (await login(gql, "bob", "pass-phrase"))["data"]["login"]
    bob_id = session["user"]["id"]
    result = await gql(SET_ACTIVE, {"id": bob_id, "a": False}, token=admin)
    assert result == {"data": {"setUserActive": {"isActive": False}}}
    assert code(await gql(ME, token=session["accessToken"])) == "UNAUTHENTICATED"
    assert code(await gql(REFRESH, {"t": session["refreshToken"]})) == "UNAUTHENTICATED"
    assert code(await login(gql, "bob", "pass-phrase")) == "UNAUTHENTICATED"
    await gql(SET_ACTIVE, {"id": bob_id, "a": True}, token=admin)
    assert "errors" not in await login(gql, "bob", "pass-phrase")


async def test_admin_cannot_disable_themselves(gql, make_user) -> None:
    admin = await make_user("root", admin=True)
    root_id = (await gql(ME, token=admin))["data"]["me"]["id"]
    assert code(await gql(SET_ACTIVE, {"id": root_id, "a": False}, token=admin)) \
        == "BAD_USER_INPUT"
    assert code(await gql(SET_ACTIVE, {"id": "not-a-uuid", "a": False}, token=admin)) \
        == "NOT_FOUND"


async def test_user_create_validates(services: Services) -> None:
    await services.users.create("alice", "pass-phrase", is_admin=True)
    for name, password in [("", "pass-phrase"), ("a b", "pass-phrase"),
                           ("x" * 65, "pass-phrase"), ("ok", ""), ("ok", "pq" * 1000),
                           ("nul\x00", "pass-phrase")]:
        with pytest.raises(Invalid):
            await services.users.create(name, password)
    with pytest.raises(Conflict):
        await services.users.create("ALICE", "pass-phrase")
    first = await services.users.first_admin()
    assert first is not None and first.username == "alice"
