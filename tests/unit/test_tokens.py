"""Access tokens verify only when genuine, fresh and of the right type; refresh tokens hash."""

from __future__ import annotations

import secrets
import time
import uuid

import jwt
import pytest

from photonix_rt.auth.tokens import (
    decode_access_token,
    hash_refresh_token,
    issue_access_token,
    new_refresh_token,
    verify_access_token,
)
from photonix_rt.errors import Unauthenticated

SECRET = secrets.token_bytes(32)


def test_round_trip_carries_identity_and_session() -> None:
    user_id, session = uuid.uuid4(), uuid.uuid4()
    token = issue_access_token(SECRET, user_id, "alice", is_admin=True, ttl_s=60,
                               session_id=session)
    claims = decode_access_token(SECRET, token)
    assert claims.viewer.user_id == user_id
    assert claims.viewer.username == "alice"
    assert claims.viewer.is_admin is True
    assert claims.session_id == session
    assert verify_access_token(SECRET, token) == claims.viewer


def test_claims_are_the_documented_ones() -> None:
    token = issue_access_token(SECRET, uuid.uuid4(), "bob", is_admin=False, ttl_s=900)
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert {"sub", "name", "adm", "exp", "iat", "jti", "typ"} <= claims.keys()
    assert claims["typ"] == "access"
    assert claims["exp"] - claims["iat"] == 900
    other = issue_access_token(SECRET, uuid.uuid4(), "bob", is_admin=False, ttl_s=900)
    assert jwt.decode(other, SECRET, algorithms=["HS256"])["jti"] != claims["jti"]


def test_expired_token_is_refused() -> None:
    issued = time.time() - 3600
    token = issue_access_token(SECRET, uuid.uuid4(), "a", is_admin=False, ttl_s=60, now=issued)
    with pytest.raises(Unauthenticated, match="expired"):
        verify_access_token(SECRET, token)


def test_injected_clock_decides_expiry() -> None:
    token = issue_access_token(SECRET, uuid.uuid4(), "a", is_admin=False, ttl_s=60, now=1000)
    assert verify_access_token(SECRET, token, now=1030).username == "a"
    with pytest.raises(Unauthenticated):
        verify_access_token(SECRET, token, now=1100)


def test_wrong_secret_is_refused() -> None:
    token = issue_access_token(SECRET, uuid.uuid4(), "a", is_admin=False, ttl_s=60)
    with pytest.raises(Unauthenticated):
        verify_access_token(secrets.token_bytes(32), token)


def test_tampered_claims_are_refused() -> None:
    token = issue_access_token(SECRET, uuid.uuid4(), "a", is_admin=False, ttl_s=60)
    header, _payload, signature = token.split(".")
    forged_payload = jwt.encode({"sub": str(uuid.uuid4()), "adm": True, "typ": "access",
                                 "iat": int(time.time()), "exp": int(time.time()) + 60},
                                b"attacker-key-" * 3, algorithm="HS256").split(".")[1]
    with pytest.raises(Unauthenticated):
        verify_access_token(SECRET, f"{header}.{forged_payload}.{signature}")


def test_unsigned_token_is_refused() -> None:
    claims = {"sub": str(uuid.uuid4()), "typ": "access", "iat": int(time.time()),
              "exp": int(time.time()) + 60}
    unsigned = jwt.encode(claims, None, algorithm="none")
    with pytest.raises(Unauthenticated):
        verify_access_token(SECRET, unsigned)


def test_other_token_types_are_refused() -> None:
    claims = {"sub": str(uuid.uuid4()), "typ": "refresh", "iat": int(time.time()),
              "exp": int(time.time()) + 60}
    with pytest.raises(Unauthenticated, match="not an access token"):
        verify_access_token(SECRET, jwt.encode(claims, SECRET, algorithm="HS256"))


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "Bearer x"])
def test_garbage_is_refused(garbage: str) -> None:
    with pytest.raises(Unauthenticated):
        verify_access_token(SECRET, garbage)


def test_refresh_tokens_are_random_and_hashed() -> None:
    tokens = {new_refresh_token() for _ in range(100)}
    assert len(tokens) == 100
    token = next(iter(tokens))
    assert len(token) >= 43  # 32 bytes, base64url
    digest = hash_refresh_token(token)
    assert len(digest) == 32
    assert digest == hash_refresh_token(token)
    assert token.encode() not in digest


def test_claims_carry_the_expiry_for_long_lived_sockets() -> None:
    now = time.time()
    token = issue_access_token(SECRET, uuid.uuid4(), "alice", is_admin=False, ttl_s=60,
                               session_id=uuid.uuid4(), now=now)
    assert decode_access_token(SECRET, token).expires_at == int(now) + 60
