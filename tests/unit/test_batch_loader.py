"""The per-request batch loader: one batch per tick, and values handed out ready once loaded."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from photonix_rt.graphql.loaders import BatchLoader


async def test_loads_in_one_tick_become_one_batch_and_later_ones_come_ready() -> None:
    batches: list[list[int]] = []

    async def square(keys: Sequence[int]) -> list[int]:
        batches.append(list(keys))
        return [k * k for k in keys]

    loader: BatchLoader[int, int] = BatchLoader(square)
    first = loader.load_ready(2)
    second = loader.load_ready(3)
    assert isinstance(first, asyncio.Future) and isinstance(second, asyncio.Future)
    assert await asyncio.gather(first, second) == [4, 9]
    assert batches == [[2, 3]]
    # Loaded once: the value itself, no awaitable and no second batch.
    assert loader.load_ready(3) == 9
    assert batches == [[2, 3]]


async def test_a_failed_batch_is_never_handed_out_as_a_value() -> None:
    async def broken(keys: Sequence[int]) -> list[int]:
        raise RuntimeError("database gone")

    loader: BatchLoader[int, int] = BatchLoader(broken)
    pending = loader.load_ready(1)
    with pytest.raises(RuntimeError):
        await pending  # type: ignore[misc]
    # The failure was not cached: asking again starts a new batch (an awaitable again).
    again = loader.load_ready(1)
    assert isinstance(again, asyncio.Future)
    with pytest.raises(RuntimeError):
        await again
