"""Event stage: date rules in the photo's local time, exact at midnight."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PIL import Image

from workers.classifiers.base import PhotoInput
from workers.classifiers.event import EVENT_RULES, EventClassifier, create, easter_sunday


@pytest.fixture(scope="module")
def event(tmp_path_factory: pytest.TempPathFactory) -> EventClassifier:
    classifier = create(tmp_path_factory.mktemp("no-models"))
    assert classifier.available()
    return classifier


def _names(event: EventClassifier, taken_at_local: str | None) -> list[str]:
    tags = event.classify(Image.new("RGB", (8, 8)), PhotoInput(taken_at_local=taken_at_local))
    assert all(t.type == "event" and t.confidence == 1.0 for t in tags)
    return [t.name for t in tags]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (("2017-12-23T23:59:59", []), ("2017-12-24T00:00:00", ["Christmas Eve"])),
        (("2017-12-24T23:59:59", ["Christmas Eve"]), ("2017-12-25T00:00:00", ["Christmas Day"])),
        (("2017-12-25T23:59:59", ["Christmas Day"]), ("2017-12-26T00:00:00", [])),
        (("2017-12-30T23:59:59", []), ("2017-12-31T00:00:00", ["New Year's Eve"])),
        (("2017-12-31T23:59:59", ["New Year's Eve"]), ("2018-01-01T00:00:00", ["New Year's Day"])),
        (("2018-01-01T23:59:59", ["New Year's Day"]), ("2018-01-02T00:00:00", [])),
        (("2018-02-13T23:59:59", []), ("2018-02-14T00:00:00", ["Valentine's Day"])),
        (("2018-02-14T23:59:59", ["Valentine's Day"]), ("2018-02-15T00:00:00", [])),
        (("2018-10-30T23:59:59", []), ("2018-10-31T00:00:00", ["Halloween"])),
        (("2018-10-31T23:59:59", ["Halloween"]), ("2018-11-01T00:00:00", [])),
        (("2024-03-30T23:59:59", []), ("2024-03-31T00:00:00", ["Easter Sunday"])),
        (("2024-03-31T23:59:59", ["Easter Sunday"]), ("2024-04-01T00:00:00", [])),
    ],
)
def test_midnight_boundaries(
    event: EventClassifier, before: tuple[str, list[str]], after: tuple[str, list[str]]
) -> None:
    assert _names(event, before[0]) == before[1]
    assert _names(event, after[0]) == after[1]


@pytest.mark.parametrize(
    ("taken_at_local", "expected"),
    [
        # The written wall clock counts, not UTC: 23:30 in Sydney is still New Year's Eve there.
        ("2018-12-31T23:30:00+11:00", ["New Year's Eve"]),
        ("2019-01-01T00:00:00-05:00", ["New Year's Day"]),
        ("2018-12-25 00:00:00", ["Christmas Day"]),  # space separator
        ("2018-12-25T10:00:00.250", ["Christmas Day"]),  # fractional seconds
        ("2018-12-25", ["Christmas Day"]),  # date only
        ("2018-06-01T12:00:00", []),
        (None, []),
        ("", []),
        ("not a date", []),
        ("2018:12:25 10:00:00", []),  # raw EXIF format is the ingest's job, not guessed here
    ],
)
def test_local_time_strings(
    event: EventClassifier, taken_at_local: str | None, expected: list[str]
) -> None:
    assert _names(event, taken_at_local) == expected


def test_every_event_occurs_once_a_year(event: EventClassifier) -> None:
    for year in (2000, 2019, 2023, 2024):  # leap and common years
        day, seen = date(year, 1, 1), []
        while day.year == year:
            seen += _names(event, day.isoformat() + "T12:00:00")
            day += timedelta(days=1)
        assert sorted(seen) == sorted(name for name, _ in EVENT_RULES)


@pytest.mark.parametrize(
    "known",
    # Published Western Easter dates, including the earliest (22 Mar) and latest (25 Apr).
    [date(1818, 3, 22), date(1943, 4, 25), date(2000, 4, 23), date(2008, 3, 23),
     date(2011, 4, 24), date(2019, 4, 21), date(2025, 4, 20), date(2038, 4, 25)],
)  # fmt: skip
def test_easter_known_dates(known: date) -> None:
    assert easter_sunday(known.year) == known


def test_easter_is_a_sunday_in_its_window() -> None:
    for year in range(1583, 2400):
        easter = easter_sunday(year)
        assert easter.weekday() == 6
        assert date(year, 3, 22) <= easter <= date(year, 4, 25)
