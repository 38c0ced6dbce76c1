"""Login throttling that slows guessing without letting a guesser lock the owner out.

Failed attempts are counted in sliding windows per (username, address) pair, per username
and per address. An address the user has signed in from successfully before ("known good",
remembered for ``remember_s``) is held only to its own pair's limit: neither a distributed
guesser filling the username's window nor one sharing the owner's address (a NAT, a proxy)
can lock the owner out of a place they have used. Unknown addresses meet all three limits,
so a botnet gets ``per_user`` guesses per window at one account, however many addresses it has.

Every attempt is counted when it starts (so a burst of concurrent guesses cannot slip past the
check while the password hashes are computed) and forgiven if it succeeds. A success clears
that pair's failures, but leaves the address's failures for other usernames in place, so one
valid account does not let an address keep guessing at others.

Behind a reverse proxy the address is the proxy's unless the server trusts its forwarded
headers (``PHOTONIX_TRUST_PROXY``); otherwise everyone shares one address's window.

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

    @property
    def pair_key(self) -> str:
        return f"{self.user_key}\x00{self.ip_key or ''}"


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


class _KnownGood:
    """(username, address) pairs that signed in successfully, each until it expires."""

    def __init__(self, remember_s: float) -> None:
        self.remember_s = remember_s
        self._until: dict[str, float] = {}  # insertion order: least recently confirmed first

    def known(self, key: str, now: float) -> bool:
        until = self._until.get(key)
        return until is not None and until > now

    def add(self, key: str, now: float) -> None:
        self._until.pop(key, None)
        self._until[key] = now + self.remember_s

    def prune(self, now: float, keep: int) -> None:
        for key, until in list(self._until.items()):
            if until <= now:
                del self._until[key]
        for key in list(self._until)[:max(0, len(self._until) - keep)]:
            del self._until[key]

    def __len__(self) -> int:
        return len(self._until)


class LoginRateLimiter:
    """In-memory limits on login attempts; one per process, owned by the auth service.

    ``per_pair`` (default ``per_user``) limits one username from one address; ``per_user``
    one username from all addresses it is not known at; ``per_ip`` one address for all
    usernames it is not known for.
    """

    def __init__(self, *, per_user: int = 10, per_ip: int = 30, per_pair: int | None = None,
                 window_s: float = 15 * 60, remember_s: float = 30 * 24 * 3600,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000) -> None:
        self._pairs = _Windows(per_user if per_pair is None else per_pair, window_s)
        self._users = _Windows(per_user, window_s)
        self._ips = _Windows(per_ip, window_s)
        self._good = _KnownGood(remember_s)
        self._clock = clock
        self._max_keys = max_keys

    def begin(self, username: str, ip: str | None) -> Attempt:
        """Count an attempt, or raise RateLimited if one of its limits is reached."""
        now = self._clock()
        attempt = Attempt(username.strip().lower(), ip, now)
        waits = [self._pairs.retry_after(attempt.pair_key, now)]
        if ip is None or not self._good.known(attempt.pair_key, now):
            waits.append(self._users.retry_after(attempt.user_key, now))
            if ip is not None:
                waits.append(self._ips.retry_after(ip, now))
        wait = max((w for w in waits if w is not None), default=None)
        if wait is not None:
            minutes = max(1, math.ceil(wait / 60))
            raise RateLimited(f"too many failed sign-ins; try again in {minutes} min")
        self._bound(now)
        self._pairs.add(attempt.pair_key, now)
        self._users.add(attempt.user_key, now)
        if ip is not None:
            self._ips.add(ip, now)
        return attempt

    def succeeded(self, attempt: Attempt) -> None:
        """The password was right: forget the pair's failures and this one attempt, and
        remember the address as a known good one for the user."""
        self._pairs.clear(attempt.pair_key)
        self._users.remove(attempt.user_key, attempt.at)
        if attempt.ip_key is not None:
            self._ips.remove(attempt.ip_key, attempt.at)
            self._good.add(attempt.pair_key, self._clock())

    def _bound(self, now: float) -> None:
        # Many distinct usernames or addresses must not grow memory without limit.
        # Pruning is linear, so it runs only when a table reaches the cap, and cuts it to half.
        for table in (self._pairs, self._users, self._ips, self._good):
            if len(table) >= self._max_keys:
                table.prune(now, self._max_keys // 2)
