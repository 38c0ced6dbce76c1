"""Time spent in SQL by one request, for the ``Server-Timing`` header.

The database's query logger adds each statement's duration to the timer of the request that
ran it: asyncpg calls the logger with ``call_soon``, which carries the caller's context, so a
timer set in a context variable at the start of a request collects the statements of every
task that request starts (resolvers, batch loads). Statements that overlap are each counted:
the figure is database work, which may exceed wall time.

Usage::

    timer = start_sql_timer()
    ...  # run the request
    await asyncio.sleep(0)  # the last statement's logger call runs on the next loop turn
    header = f"sql;dur={timer.ms:.1f}"
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

__all__ = ["SqlTimer", "add_sql_time", "start_sql_timer"]


@dataclass
class SqlTimer:
    seconds: float = 0.0
    statements: int = 0

    @property
    def ms(self) -> float:
        return self.seconds * 1000


_current: ContextVar[SqlTimer | None] = ContextVar("photonix_sql_timer", default=None)


def start_sql_timer() -> SqlTimer:
    """A fresh timer for the statements run from this context (and tasks it starts)."""
    timer = SqlTimer()
    _current.set(timer)
    return timer


def add_sql_time(seconds: float) -> None:
    """Called by the database's query logger for each statement."""
    timer = _current.get()
    if timer is not None:
        timer.seconds += seconds
        timer.statements += 1
