"""The job rate and time-left arithmetic behind stageProgress (services.job_pace)."""

from __future__ import annotations

from photonix_rt.services.job_pace import WINDOW_S, eta_seconds, per_minute, stage_pace
from photonix_rt.store.jobs import RecentFinishes


def test_rate_uses_the_busy_part_of_the_window() -> None:
    assert per_minute(0, 100) == 0.0
    assert per_minute(10, 120) == 5.0  # started two minutes ago: not averaged over five
    assert per_minute(1, 0.2) == 2.0  # one job just now: over the 30 s minimum
    assert per_minute(50, WINDOW_S + 5) == 10.0  # never more than the window


def test_time_left() -> None:
    assert eta_seconds(0, 0.0) == 0
    assert eta_seconds(5, 0.0) is None
    assert eta_seconds(7, 2.0) == 210
    assert eta_seconds(1, 7.0) == 9  # rounded up


def test_stage_pace_counts_running_jobs_as_work_left() -> None:
    pace = stage_pace(
        "face", {"queued": 3, "running": 1, "done": 9}, RecentFinishes("face", 4, 60.0)
    )
    assert (pace.queued, pace.running, pace.done, pace.failed) == (3, 1, 9, 0)
    assert pace.per_minute == 4.0 and pace.eta_seconds == 60
    assert stage_pace("colour", {"queued": 2}, None).eta_seconds is None
