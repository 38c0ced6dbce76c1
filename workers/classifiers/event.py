"""Event stage: calendar events from the date the photo was taken, in its own local time.

The rules read the wall-clock date of ``PhotoInput.taken_at_local`` as written (any UTC offset
in the string is ignored: a photo taken at 23:30 on 31 December in Sydney is a New Year's Eve
photo whatever the time in UTC). Easter Sunday is the Western (Gregorian) date from the
anonymous Gregorian computus. Usage::

    events_on(date(2024, 3, 31))   # ['Easter Sunday']
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from workers.classifiers.base import BaseClassifier, PhotoInput, TagResult

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["EVENT_RULES", "EventClassifier", "create", "easter_sunday", "events_on"]

log = logging.getLogger(__name__)


def easter_sunday(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm, valid for any Gregorian year)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _on(month: int, day: int) -> Callable[[date], bool]:
    return lambda d: (d.month, d.day) == (month, day)


EVENT_RULES: tuple[tuple[str, Callable[[date], bool]], ...] = (
    ("New Year's Day", _on(1, 1)),
    ("Valentine's Day", _on(2, 14)),
    ("Easter Sunday", lambda d: d == easter_sunday(d.year)),
    ("Halloween", _on(10, 31)),
    ("Christmas Eve", _on(12, 24)),
    ("Christmas Day", _on(12, 25)),
    ("New Year's Eve", _on(12, 31)),
)


def events_on(day: date) -> list[str]:
    """Names of the events that fall on a local calendar date."""
    return [name for name, rule in EVENT_RULES if rule(day)]


def _local_date(taken_at_local: str) -> date | None:
    try:
        # fromisoformat keeps the written wall-clock fields; .date() never converts zones.
        return datetime.fromisoformat(taken_at_local.strip()).date()
    except ValueError:
        log.debug("unparseable taken_at_local %r", taken_at_local)
        return None


class EventClassifier(BaseClassifier):
    """Date rules; no model, always available."""

    name = "event"
    version = "1"

    def classify(self, image: Image.Image, meta: PhotoInput) -> list[TagResult]:
        if not meta.taken_at_local:
            return []
        day = _local_date(meta.taken_at_local)
        if day is None:
            return []
        return [
            TagResult(name=name, type="event", confidence=1.0, extra={"date": day.isoformat()})
            for name in events_on(day)
        ]


def create(models_dir: Path) -> EventClassifier:
    return EventClassifier()
