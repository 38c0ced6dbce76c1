"""Password hashing with argon2id, run in a thread so the event loop never blocks.

Usage::

    stored = await hash_password("secret")
    ok, rehashed = await verify_password(stored, "secret")   # rehashed: store it if not None
"""

from __future__ import annotations

import asyncio
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["hash_password", "verify_nothing", "verify_password"]

# argon2-cffi's defaults (RFC 9106 "low memory" profile): stateless, safe to share.
_HASHER = PasswordHasher()


async def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (computed off the loop)."""
    return await asyncio.to_thread(_HASHER.hash, password)


def _verify(stored: str, password: str) -> tuple[bool, str | None]:
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False, None
    if _HASHER.check_needs_rehash(stored):
        return True, _HASHER.hash(password)
    return True, None


async def verify_password(stored: str, password: str) -> tuple[bool, str | None]:
    """Whether ``password`` matches; plus a fresh hash when the parameters have changed."""
    return await asyncio.to_thread(_verify, stored, password)


@cache
def _dummy_hash() -> str:
    return _HASHER.hash("not a password anyone has")


async def verify_nothing(password: str) -> None:
    """Spend the time a real check costs, so unknown usernames are not revealed by timing."""
    await asyncio.to_thread(_verify_dummy, password)


def _verify_dummy(password: str) -> None:
    _verify(_dummy_hash(), password)
