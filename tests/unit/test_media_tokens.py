"""Media tokens name their user and session, and verify only when genuine and fresh."""

from __future__ import annotations

import secrets
import uuid

import pytest

from photonix_rt.auth.media_tokens import PERIOD_S, issue_media_token, verify_media_token
from photonix_rt.errors import Unauthenticated

SECRET = secrets.token_bytes(32)


def test_round_trip_names_user_and_session() -> None:
    user, session = uuid.uuid4(), uuid.uuid4()
    claims = verify_media_token(SECRET, issue_media_token(SECRET, user, session))
    assert (claims.user_id, claims.session_id) == (user, session)


def test_session_cannot_be_swapped() -> None:
    user, session, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    token = issue_media_token(SECRET, user, session)
    with pytest.raises(Unauthenticated):
        verify_media_token(SECRET, token.replace(session.hex, other.hex))


def test_old_format_and_expired_tokens_are_refused() -> None:
    user, session = uuid.uuid4(), uuid.uuid4()
    token = issue_media_token(SECRET, user, session, now=1000.0)
    with pytest.raises(Unauthenticated, match="expired"):
        verify_media_token(SECRET, token, now=1000.0 + 2 * PERIOD_S + 1)
    user_hex, _session_hex, expires, signature = token.split(".")
    with pytest.raises(Unauthenticated):  # v1 shape: user.expiry.signature
        verify_media_token(SECRET, f"{user_hex}.{expires}.{signature}", now=1000.0)
