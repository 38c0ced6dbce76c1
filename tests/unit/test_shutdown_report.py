"""A shutdown that hangs says where: the stuck task's stack in the log, every thread's stack
on stderr, once the slow-shutdown delay has passed (and nothing before it)."""

from __future__ import annotations

import asyncio
import faulthandler
import logging

import pytest

from photonix_rt import app


async def _a_step_that_never_ends(never: asyncio.Event) -> None:
    await never.wait()


async def test_a_hung_shutdown_reports_its_stuck_task_and_threads(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        capfd: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(app, "SLOW_SHUTDOWN_S", 0.3)
    never = asyncio.Event()
    stuck = asyncio.create_task(_a_step_that_never_ends(never))
    caplog.set_level(logging.WARNING, logger=app.log.name)
    try:
        app._report_a_slow_shutdown(asyncio.get_running_loop())
        await asyncio.sleep(0.1)
        assert "shutdown still waiting" not in caplog.text  # not before the delay
        await asyncio.sleep(0.5)
    finally:
        faulthandler.cancel_dump_traceback_later()
        stuck.cancel()
    assert "shutdown still waiting after" in caplog.text
    assert "_a_step_that_never_ends" in caplog.text
    assert "Thread" in capfd.readouterr().err  # faulthandler's dump of every thread
