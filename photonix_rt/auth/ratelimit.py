"""Login throttling: a sliding window of failed attempts per username and per client address.

Every attempt is counted when it starts (so a burst of concurrent guesses cannot slip past the
check while the password hashes are computed) and forgiven if it succeeds. A success clears
that username's failures, but leaves the address's failures for other usernames in place, so
one valid account does not let an address keep guessing at others.

Usage::

    limiter = LoginRateLimiter()
    attempt = limiter.begin("alice", "203.0.113.7")   # raises RateLimited
    ...check the password...
    if ok:
        limiter.succeeded(attempt)
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

from photonix_rt.errors import RateLimited

__all__ = ["Attempt", "LoginRateLimiter"]


@dataclass(frozen=True)
class Attempt:
    """One counted login attempt: what ``succeeded`` needs to take it back."""

    user_key: str
    ip_key: str | None
    at: float


class _Windows:
    """Timestamps per key within the last ``window_s`` seconds."""

    def __init__(self, limit: int, window_s: float) -> None:
        self.limit = limit
        self.window_s = window_s
        self._hits: dict[str, deque[float]] = {}

    def _fresh(self, key: str, now: float) -> deque[float] | None:
        hits = self._hits.get(key)
        if hits is None:
            return None
        while hits and hits[0] <= now - self.window_s:
            hits.popleft()
        if not hits:
            del self._hits[key]
            return None
        return hits

    def retry_after(self, key: str, now: float) -> float | None:
        """Seconds until one more attempt is allowed, or None if it is allowed now."""
        hits = self._fresh(key, now)
        if hits is None or len(hits) < self.limit:
            return None
        return hits[len(hits) - self.limit] + self.window_s - now

    def add(self, key: str, now: float) -> None:
        self._hits.setdefault(key, deque()).append(now)

    def remove(self, key: str, at: float) -> None:
        hits = self._hits.get(key)
        if hits is not None:
            with suppress(ValueError):  # already slid out of the window
                hits.remove(at)
            if not hits:
                del self._hits[key]

    def clear(self, key: str) -> None:
        self._hits.pop(key, None)

    def prune(self, now: float, keep: int) -> None:
        """Drop expired keys, then the oldest ones beyond ``keep``."""
        for key in list(self._hits):
            self._fresh(key, now)
        for key in list(self._hits)[:max(0, len(self._hits) - keep)]:
            del self._hits[key]

    def __len__(self) -> int:
        return len(self._hits)


class LoginRateLimiter:
    """In-memory limits on login attempts; one per process, owned by the auth service."""

    def __init__(self, *, per_user: int = 10, per_ip: int = 30, window_s: float = 15 * 60,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000) -> None:
        self._users = _Windows(per_user, window_s)
        self._ips = _Windows(per_ip, window_s)
        self._clock = clock
        self._max_keys = max_keys

    def begin(self, username: str, ip: str | None) -> Attempt:
        """Count an attempt, or raise RateLimited if the user or the address is over its limit."""
        now = self._clock()
        user_key = username.strip().lower()
        waits = [self._users.retry_after(user_key, now)]
        if ip is not None:
            waits.append(self._ips.retry_after(ip, now))
        wait = max((w for w in waits if w is not None), default=None)
        if wait is not None:
            minutes = max(1, math.ceil(wait / 60))
            raise RateLimited(f"too many failed sign-ins; try again in {minutes} min")
        self._bound(now)
        self._users.add(user_key, now)
        if ip is not None:
            self._ips.add(ip, now)
        return Attempt(user_key, ip, now)

    def succeeded(self, attempt: Attempt) -> None:
        """The password was right: forget this user's failures and this one attempt."""
        self._users.clear(attempt.user_key)
        if attempt.ip_key is not None:
            self._ips.remove(attempt.ip_key, attempt.at)

    def _bound(self, now: float) -> None:
        # Many distinct usernames or addresses must not grow memory without limit.
        # Pruning is linear, so it runs only when a table reaches the cap, and cuts it to half.
        for table in (self._users, self._ips):
            if len(table) >= self._max_keys:
                table.prune(now, self._max_keys // 2)
