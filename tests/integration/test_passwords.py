"""Password rules for every way a password is set (CLI, createUser, changePassword), the
"username is taken" message, and sign-in of a disabled account (issue 10: 15, 16)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from photonix_rt.errors import Conflict, Invalid
from photonix_rt.services.container import Services
from photonix_rt.store.db import Database

ROOT = Path(__file__).resolve().parents[2]

LOGIN = """mutation($u: String!, $p: String!) {
  login(username: $u, password: $p) { accessToken }
}"""
CREATE_USER = """mutation($u: String!, $p: String!) {
  createUser(username: $u, password: $p) { username }
}"""
CHANGE = "mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) }"
SET_ACTIVE = "mutation($id: ID!, $a: Boolean!) { setUserActive(id: $id, active: $a) { isActive } }"

# Each refused, with the reason its message must mention.
WEAK = [
    ("a", "at least 8"),
    (" ", "at least 8"),
    ("short", "at least 8"),
    ("password", "common"),
    ("Password1", "common"),
    ("12345678", "common"),
    ("        ", "repeated"),
    ("carol-the-user", "username"),
]


def error_of(body: dict[str, Any]) -> tuple[str, str]:
    error = body["errors"][0]
    return error["extensions"]["code"], error["message"]


async def test_service_refuses_weak_passwords(services: Services) -> None:
    for password, reason in WEAK:
        with pytest.raises(Invalid, match=reason):
            await services.users.create("Carol-the-User", password)
    await services.users.create("carol-the-user", "eight ch")  # exactly 8, spaces count


async def test_create_user_mutation_refuses_weak_passwords(gql: Any, make_user: Any,
                                                           db: Database) -> None:
    admin = await make_user("root", admin=True)
    for password, reason in WEAK:
        code, message = error_of(await gql(CREATE_USER, {"u": "carol-the-user",
                                                         "p": password}, token=admin))
        assert code == "BAD_USER_INPUT", password
        assert reason in message, (password, message)
    assert await db.fetchval("SELECT count(*) FROM users") == 1
    ok = await gql(CREATE_USER, {"u": "carol-the-user", "p": "a fine pass phrase"}, token=admin)
    assert ok == {"data": {"createUser": {"username": "carol-the-user"}}}


async def test_change_password_refuses_weak_passwords(gql: Any, make_user: Any) -> None:
    token = await make_user("carol-the-user", password="the old pass phrase")
    for password, reason in WEAK:
        code, message = error_of(await gql(CHANGE, {"o": "the old pass phrase",
                                                    "n": password}, token=token))
        assert code == "BAD_USER_INPUT", password
        assert reason in message, (password, message)
    assert "errors" not in await gql(LOGIN, {"u": "carol-the-user", "p": "the old pass phrase"})


async def _cli(database_url: str, data_dir: Path, *args: str, stdin: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHOTONIX_")
           and k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({"DATABASE_URL": database_url, "PHOTONIX_DATA_DIR": str(data_dir),
                "PHOTONIX_WORKERS": "1"})
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "photonix_rt", *args, env=env, cwd=ROOT,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(process.communicate(stdin.encode()), 120)
    return process.returncode or 0, out.decode()


async def test_cli_user_create_refuses_weak_passwords(database_url: str, db: Database,
                                                      tmp_path: Path) -> None:
    status, out = await _cli(database_url, tmp_path, "user", "create", "dave",
                             "--password-stdin", stdin="password\n")
    assert status == 1
    assert "common" in out
    status, out = await _cli(database_url, tmp_path, "user", "create", "dave",
                             "--password-stdin", stdin="dave\n")
    assert status == 1
    assert "at least 8" in out
    assert await db.fetchval("SELECT count(*) FROM users") == 0
    status, out = await _cli(database_url, tmp_path, "user", "create", "dave",
                             "--password-stdin", stdin="a long pass phrase\n")
    assert status == 0, out
    assert await db.fetchval("SELECT username FROM users") == "dave"


async def test_taken_username_message_names_it(gql: Any, make_user: Any,
                                               services: Services) -> None:
    admin = await make_user("root", admin=True)
    await services.users.create("carol", "a fine pass phrase")
    with pytest.raises(Conflict) as raised:
        await services.users.create("CAROL", "another pass phrase")
    assert raised.value.message == "the username 'CAROL' is taken"
    code, message = error_of(await gql(CREATE_USER, {"u": "Carol", "p": "a fine pass phrase"},
                                       token=admin))
    assert (code, message) == ("CONFLICT", "the username 'Carol' is taken")


async def test_disabled_account_sign_in_reveals_nothing(gql: Any, make_user: Any,
                                                        services: Services) -> None:
    admin = await make_user("root", admin=True)
    user = await services.users.create("bob", "bob's pass phrase")
    await gql(SET_ACTIVE, {"id": str(user.id), "a": False}, token=admin)
    right = await gql(LOGIN, {"u": "bob", "p": "bob's pass phrase"})
    wrong = await gql(LOGIN, {"u": "bob", "p": "not bob's pass phrase"})
    unknown = await gql(LOGIN, {"u": "nobody", "p": "whatever it is"})
    assert right["data"] is None
    assert error_of(right) == error_of(wrong) == error_of(unknown)
    assert error_of(right)[0] == "UNAUTHENTICATED"
