"""takenAt as the API writes it: wall clock with its offset, as ``isoformat`` would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from photonix_rt.graphql.resolvers.photos import format_taken_at


def wall_clock(*parts: int) -> datetime:
    """A naive wall-clock time, as ``taken_at_local`` holds it."""
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)  # type: ignore[misc]


@pytest.mark.parametrize("offset", [0, 1, 60, -60, 330, -330, 345, -570, 840, -720])
@pytest.mark.parametrize("local", [wall_clock(2016, 7, 1, 0, 0),
                                   wall_clock(2016, 7, 31, 23, 59, 59),
                                   wall_clock(1999, 12, 31, 12, 30, 5, 120)])
def test_an_offset_time_reads_as_its_wall_clock_with_that_offset(local: datetime,
                                                                 offset: int) -> None:
    zoned = local.replace(tzinfo=timezone(timedelta(minutes=offset)))
    assert format_taken_at(local, offset, None) == zoned.isoformat()
    assert datetime.fromisoformat(format_taken_at(local, offset, None) or "") == zoned


def test_floating_and_instant_only_times() -> None:
    local = wall_clock(2016, 7, 1, 8, 0)
    assert format_taken_at(local, None, None) == "2016-07-01T08:00:00"
    instant = datetime(2016, 7, 1, 6, 0, tzinfo=timezone(timedelta(hours=-2)))
    assert format_taken_at(None, None, instant) == "2016-07-01T08:00:00+00:00"
    assert format_taken_at(None, None, None) is None
    assert format_taken_at(None, None, datetime(2016, 7, 1, tzinfo=UTC)).endswith("+00:00")
