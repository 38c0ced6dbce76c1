"""Who a WebSocket belongs to, for as long as it is open: checked per operation, ended on time.

A socket is authenticated once (``connection_init``) but may stay open for hours, so it keeps
the token's claims and:

- re-checks account and session before every operation, as an HTTP request would
  (``AuthService.recheck``: cached, invalidated through the bus);
- hangs up with 4401 when the access token expires (the client signs in again, or refreshes,
  and reconnects with ``since``: nothing is lost);
- hangs up with 4403 when the account is disabled and 4401 when the session ends (logout,
  password change, refresh-token reuse), as soon as any server process says so
  (``Sessions.watch``), not only at its next operation.

Usage (``http/subscriptions.py``)::

    session = SocketSession(services.auth, claims, hang_up)
    session.start()
    viewer = await session.current()   # None: the socket is being closed
    session.close()                    # in on_close
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from photonix_rt.errors import DomainError, Unauthenticated
from photonix_rt.services.sessions import AccountDisabled

if TYPE_CHECKING:
    from photonix_rt.auth.identity import Viewer
    from photonix_rt.auth.tokens import AccessClaims
    from photonix_rt.services.auth import AuthService

__all__ = ["CLOSE_DISABLED", "CLOSE_UNAUTHORIZED", "SocketSession", "claims_from_init"]

log = logging.getLogger(__name__)

CLOSE_UNAUTHORIZED = 4401  # expired token or ended session: sign in again, then reconnect
CLOSE_DISABLED = 4403      # the account is disabled


async def claims_from_init(auth: AuthService, payload: dict[str, Any],
                           upgrade_claims: AccessClaims | None) -> AccessClaims | None:
    """The checked token of ``connection_init`` (``token`` or ``Authorization: Bearer``), or
    of the upgrade request when the payload has none (non-browsers); None if refused."""
    token = payload.get("token")
    header = payload.get("Authorization") or payload.get("authorization")
    if token is None and isinstance(header, str):
        scheme, _, rest = header.strip().partition(" ")
        token = rest.strip() if scheme.lower() == "bearer" else None
    if token is None:
        return upgrade_claims
    if not isinstance(token, str) or not token:
        return None
    try:
        return await auth.session(token)
    except DomainError as error:
        log.debug("socket refused: %s", error.message)
        return None


class SocketSession:
    """The claims of one socket's token and the timer and watch that end it."""

    def __init__(self, auth: AuthService, claims: AccessClaims,
                 hang_up: Callable[[int, str], None]) -> None:
        self._auth = auth
        self.claims = claims
        self._hang_up = hang_up
        self._timer: asyncio.TimerHandle | None = None
        self._unwatch: Callable[[], None] | None = None
        self._rechecking: asyncio.Task[None] | None = None
        self._again = False
        self._over = False

    def start(self) -> None:
        """Arm the expiry timer and listen for changes to the account's sessions."""
        if self.claims.expires_at is not None:
            delay = max(0.0, self.claims.expires_at - time.time())
            self._timer = asyncio.get_running_loop().call_later(delay, self._expired)
        self._unwatch = self._auth.sessions.watch(self.claims.viewer.user_id, self._changed)

    def close(self) -> None:
        self._over = True
        if self._timer is not None:
            self._timer.cancel()
        if self._unwatch is not None:
            self._unwatch()
            self._unwatch = None
        if self._rechecking is not None and self._rechecking is not asyncio.current_task():
            self._rechecking.cancel()

    async def current(self) -> Viewer | None:
        """The viewer, checked now; None (and the socket hung up) if it no longer stands."""
        if self._over:
            return None
        try:
            self.claims = await self._auth.recheck(self.claims)
        except AccountDisabled:
            self._end(CLOSE_DISABLED, "Forbidden: the account is disabled")
            return None
        except Unauthenticated as error:
            log.debug("socket of %s unauthorized: %s", self.claims.viewer.user_id,
                      error.message)
            self._end(CLOSE_UNAUTHORIZED, "Unauthorized: sign in again and resume with since")
            return None
        return self.claims.viewer

    def _expired(self) -> None:
        self._end(CLOSE_UNAUTHORIZED, "Unauthorized: token expired; resume with since")

    def _end(self, code: int, reason: str) -> None:
        if not self._over:
            self.close()
            self._hang_up(code, reason)

    def _changed(self) -> None:
        # Called by Sessions, synchronously: check in a task, one at a time; a change that
        # arrives during a check (which may have read the old state) triggers another.
        if self._over:
            return
        if self._rechecking is not None and not self._rechecking.done():
            self._again = True
            return
        self._rechecking = asyncio.ensure_future(self._recheck())

    async def _recheck(self) -> None:
        try:
            while True:
                self._again = False
                if await self.current() is None or not self._again:
                    return
        except Exception:  # a task boundary; the next operation checks again anyway
            log.exception("re-checking the socket of %s failed", self.claims.viewer.user_id)
