"""Rate limits of the public share surface: requests per window and open sockets, each per
link and per client address.

The login limiter (``auth/ratelimit.py``) forgives successes and remembers good addresses;
nothing here is a guess to slow down, just load to bound, so plain fixed windows do.

Usage::

    limits.request(link_id, address)            # raises RateLimited
    release = limits.open_socket(link_id, address)
    ...
    release()
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from photonix_rt.errors import RateLimited

__all__ = ["ShareLimitConfig", "ShareLimits"]

_MAX_KEYS = 50_000


@dataclass(frozen=True)
class ShareLimitConfig:
    requests_per_link: int = 3000     # per window, all addresses together
    requests_per_address: int = 1200  # per window, all links together
    window_s: float = 60.0
    sockets_per_link: int = 5000
    sockets_per_address: int = 50


class _Counter:
    """Hits per key in the current fixed window."""

    def __init__(self, limit: int, window_s: float, clock: Callable[[], float]) -> None:
        self._limit = limit
        self._window_s = window_s
        self._clock = clock
        self._hits: dict[str, tuple[float, int]] = {}

    def hit(self, key: str) -> bool:
        now = self._clock()
        start, count = self._hits.get(key, (now, 0))
        if now - start >= self._window_s:
            start, count = now, 0
        if count >= self._limit:
            return False
        if len(self._hits) >= _MAX_KEYS:
            self._hits.clear()  # bounded memory; a cleared window only lets a burst through
        self._hits[key] = (start, count + 1)
        return True


class ShareLimits:
    """One per process, owned by the share service."""

    def __init__(self, config: ShareLimitConfig | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config or ShareLimitConfig()
        c = self.config
        self._per_link = _Counter(c.requests_per_link, c.window_s, clock)
        self._per_address = _Counter(c.requests_per_address, c.window_s, clock)
        self._sockets: dict[str, int] = {}

    def request(self, link_key: str, address: str | None) -> None:
        """Count one request; RateLimited when the link or the address is over its limit."""
        if address is not None and not self._per_address.hit("a:" + address):
            raise RateLimited("too many requests from this address; try again in a minute")
        if not self._per_link.hit("l:" + link_key):
            raise RateLimited("too many requests for this link; try again in a minute")

    def open_socket(self, link_key: str, address: str | None) -> Callable[[], None]:
        """Count an open socket; returns its release. RateLimited when over either limit."""
        keys = ["l:" + link_key] + ([] if address is None else ["a:" + address])
        limits = [self.config.sockets_per_link, self.config.sockets_per_address]
        for key, limit in zip(keys, limits, strict=False):
            if self._sockets.get(key, 0) >= limit:
                raise RateLimited("too many open connections; try again later")
        for key in keys:
            self._sockets[key] = self._sockets.get(key, 0) + 1
        released = False

        def release() -> None:
            nonlocal released
            if released:
                return
            released = True
            for key in keys:
                left = self._sockets.get(key, 0) - 1
                if left > 0:
                    self._sockets[key] = left
                else:
                    self._sockets.pop(key, None)

        return release
