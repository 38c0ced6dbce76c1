"""Response bodies: the JSON that ``json.dumps`` wrote before, for every value a handler sends."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import asyncpg.pgproto.pgproto as pgproto

from photonix_rt.http.base import json_dumps


def test_values_handlers_send_read_back_as_before() -> None:
    stored = pgproto.UUID("0b5e4a3c-1d2e-4f60-8a9b-0c1d2e3f4a5b")  # as asyncpg returns ids
    body = {
        "id": stored, "ids": (uuid.UUID(int=7), stored),
        "at": datetime(2021, 5, 1, 8, 30, tzinfo=UTC),
        "local": datetime(2021, 5, 1, 8, 30, 0, 250, tzinfo=timezone(timedelta(hours=9))),
        "day": date(2021, 5, 1), "name": "Zoë ✓", "n": 3, "ratio": 0.75, "none": None,
        7: "a number key",
    }
    expected = {
        "id": str(stored), "ids": [str(uuid.UUID(int=7)), str(stored)],
        "at": "2021-05-01T08:30:00+00:00", "local": "2021-05-01T08:30:00.000250+09:00",
        "day": "2021-05-01", "name": "Zoë ✓", "n": 3, "ratio": 0.75, "none": None,
        "7": "a number key",
    }
    assert json.loads(json_dumps(body)) == expected
    assert "Zoë ✓".encode() in json_dumps(body)  # UTF-8, not \\u escapes
