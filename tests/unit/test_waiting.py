"""Waiting for a wake-up with a time limit keeps a cancellation that comes with the wake-up."""

from __future__ import annotations

import asyncio

import pytest

from photonix_rt.waiting import wait_until_set


async def test_a_cancellation_in_the_same_moment_as_the_wake_up_is_kept() -> None:
    # The shutdown of a loop that sleeps until woken: woken and cancelled at once. With
    # Python 3.11's wait_for, the sleeper returned as if only woken and its loop ran on.
    event = asyncio.Event()
    sleeper = asyncio.create_task(wait_until_set(event, 60))
    await asyncio.sleep(0)  # asleep now
    event.set()
    sleeper.cancel()
    with pytest.raises(asyncio.CancelledError):
        await sleeper


async def test_it_tells_a_wake_up_from_the_time_running_out() -> None:
    event = asyncio.Event()
    assert await wait_until_set(event, 0.01) is False
    asyncio.get_running_loop().call_later(0.01, event.set)
    assert await wait_until_set(event, 5) is True
