"""How fast a stage's jobs finish and when its waiting work should be done (Settings' Jobs).

The rate is the jobs done in the last ``WINDOW_S`` seconds divided by the time since the
first of them (at least ``MIN_SPAN_S``), so a queue that started two minutes ago is not
averaged over the whole window, and one that stalled decays towards zero::

    pace = stage_pace("face", {"queued": 40, "done": 10}, recent)  # RecentFinishes | None
    pace.per_minute, pace.eta_seconds
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from photonix_rt.store.jobs import RecentFinishes

__all__ = ["MIN_SPAN_S", "WINDOW_S", "StageProgress", "eta_seconds", "per_minute", "stage_pace"]

WINDOW_S = 300.0
# A single job that finished a moment ago is not a rate of thousands a minute.
MIN_SPAN_S = 30.0


@dataclass(frozen=True)
class StageProgress:
    """One stage's jobs by status, with its recent rate and the time left at that rate."""

    stage: str
    queued: int
    running: int
    done: int
    failed: int
    per_minute: float
    eta_seconds: int | None


def per_minute(finished: int, seconds_since_first: float) -> float:
    """Jobs a minute from ``finished`` jobs, the first ``seconds_since_first`` ago."""
    if finished <= 0:
        return 0.0
    span = min(WINDOW_S, max(MIN_SPAN_S, seconds_since_first))
    return finished * 60.0 / span


def eta_seconds(remaining: int, rate_per_minute: float) -> int | None:
    """Seconds until ``remaining`` jobs are done at this rate: 0 when none remain, None when
    some remain but nothing finished lately (no rate to go by)."""
    if remaining <= 0:
        return 0
    if rate_per_minute <= 0:
        return None
    return math.ceil(remaining * 60.0 / rate_per_minute)


def stage_pace(stage: str, counts: dict[str, int], recent: RecentFinishes | None) -> StageProgress:
    """The stage's counts by status plus its pace (queued and running jobs are the work left)."""
    rate = per_minute(recent.count, recent.seconds_since_first) if recent else 0.0
    queued, running = counts.get("queued", 0), counts.get("running", 0)
    return StageProgress(
        stage,
        queued,
        running,
        counts.get("done", 0),
        counts.get("failed", 0),
        rate,
        eta_seconds(queued + running, rate),
    )
