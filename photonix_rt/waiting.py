"""Waiting with a time limit without losing a cancellation.

Python 3.11's ``asyncio.wait_for`` returns the awaited result when it is cancelled just as
that result arrives, and the cancellation is lost (bpo-42130; 3.12 rebuilt it on
``asyncio.timeout``). A loop that sleeps until woken this way, cancelled at shutdown in the
same moment as a wake-up, runs on, and the shutdown waits for it forever: CI saw a server
ignore SIGTERM with its job dispatcher "cancelling" at its sleep. ``asyncio.timeout`` keeps
the cancellation, so the server waits with it, through here or directly.

    woken = await wait_until_set(self._wake, 5.0)
"""

from __future__ import annotations

import asyncio

__all__ = ["wait_until_set"]


async def wait_until_set(event: asyncio.Event, timeout_s: float) -> bool:
    """True when ``event`` is set within ``timeout_s``, False when the time runs out."""
    try:
        async with asyncio.timeout(timeout_s):
            await event.wait()
    except TimeoutError:
        return False
    return True
