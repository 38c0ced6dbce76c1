"""Metadata facts from Photonix's test photos, GPS against exiftool, dates and time zones."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from workers.ingest.metadata import metadata_from_tags, read_metadata
from workers.ingest.raw_tags import MAX_TEXT
from workers.ingest.tags import Tags
from workers.ingest.taken_at import parse_date, parse_offset


def wall(text: str) -> datetime:
    """A naive wall-clock datetime, as parse_date returns."""
    return datetime.fromisoformat(text)


def _photonix(fixtures_dir: Path, name: str) -> str:
    return str(fixtures_dir / "photonix" / name)


def test_snow_facts(fixtures_dir: Path) -> None:
    meta = read_metadata(_photonix(fixtures_dir, "snow.jpg"), None)
    assert meta.camera_make == "Xiaomi"
    assert meta.iso == 100
    assert meta.taken_at_local == "2018-02-28T07:16:25"
    assert meta.taken_at_source == "floating"  # no offset tags, no GPS
    assert meta.taken_at_offset is None
    assert (meta.width, meta.height) == (800, 600)


def test_date_with_slashes_parses(fixtures_dir: Path) -> None:
    meta = read_metadata(_photonix(fixtures_dir, "bad_date.jpg"), None)
    assert meta.taken_at_local == "2000-01-01T00:00:00"


def test_unreadable_date_falls_back(fixtures_dir: Path) -> None:
    # The only date tag holds "200X:0X:0X ...": no date (the server then uses the mtime).
    meta = read_metadata(_photonix(fixtures_dir, "unreadable_date.jpg"), None)
    assert meta.taken_at_local is None
    assert meta.taken_at_source is None


def test_invalid_utf8_artist_is_dropped(fixtures_dir: Path) -> None:
    meta = read_metadata(_photonix(fixtures_dir, "invalid_utf8.jpg"), None)
    assert meta.artist is None
    assert "Exif.Image.Artist" not in meta.raw
    assert meta.taken_at_local == "2000-01-01T00:00:00"  # the rest is still read


def test_bad_date_falls_back_to_the_next_source() -> None:
    tags = Tags(
        values={
            "Exif.Photo.DateTimeOriginal": "0000:00:00 00:00:00",
            "Exif.Photo.DateTimeDigitized": "201X:05:06 07:08:09",
            "Exif.Image.DateTime": "2019/05/06 07:08:09",
        }
    )
    assert metadata_from_tags(tags).taken_at_local == "2019-05-06T07:08:09"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018:02:28 07:16:25", (wall("2018-02-28T07:16:25"), None)),
        ("2000/01/01 00:00:00", (wall("2000-01-01T00:00:00"), None)),
        ("2013-07-05T03:18:27Z", (wall("2013-07-05T03:18:27"), 0)),
        ("2008:05:25 19:31:26.0+1:00", (wall("2008-05-25T19:31:26"), 60)),
        ("2005-09-07T15:07:40-07:00", (wall("2005-09-07T15:07:40"), -420)),
        ("2003-08-31", (wall("2003-08-31T00:00:00"), None)),
        ("200X:0X:0X 0X:0X:0X", None),
        ("0000:00:00 00:00:00", None),
        ("2019:13:01 00:00:00", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: tuple[datetime, int | None] | None) -> None:
    assert parse_date(text) == expected


def test_parse_offset() -> None:
    assert parse_offset("+03:00") == 180
    assert parse_offset("-05:30") == -330
    assert parse_offset("Z") == 0
    assert parse_offset("+25:00") is None
    assert parse_offset("garbage") is None


def test_offset_tag_wins_and_is_reported() -> None:
    tags = Tags(
        values={
            "Exif.Photo.DateTimeOriginal": "2022:08:14 14:12:31",
            "Exif.Photo.OffsetTimeOriginal": "+03:00",
        }
    )
    meta = metadata_from_tags(tags)
    assert (meta.taken_at_local, meta.taken_at_offset, meta.taken_at_source) == (
        "2022-08-14T14:12:31",
        180,
        "offset",
    )


def test_gps_gives_the_zone_and_its_offset_at_that_date() -> None:
    def at(date: str) -> tuple[int | None, str | None, str | None]:
        tags = Tags(
            values={
                "Exif.Photo.DateTimeOriginal": date,
                # New York: 40 deg 42' 46" N, 74 deg 0' 22" W
                "Exif.GPSInfo.GPSLatitude": "40/1 42/1 46/1",
                "Exif.GPSInfo.GPSLatitudeRef": "N",
                "Exif.GPSInfo.GPSLongitude": "74/1 0/1 22/1",
                "Exif.GPSInfo.GPSLongitudeRef": "W",
            }
        )
        meta = metadata_from_tags(tags)
        return meta.taken_at_offset, meta.taken_at_zone, meta.taken_at_source

    assert at("2021:01:15 12:00:00") == (-300, "America/New_York", "gps")  # EST
    assert at("2021:07:15 12:00:00") == (-240, "America/New_York", "gps")  # EDT


def test_gps_fixture_agrees_with_exiftool_to_the_metre(fixtures_dir: Path) -> None:
    exiftool = shutil.which("exiftool")
    if exiftool is None:
        pytest.skip("exiftool, the reference reader, is not installed")
    path = fixtures_dir / "exif-samples" / "jpg" / "tests" / "87_OSError.jpg"
    ref = json.loads(subprocess.run([exiftool, "-j", "-n", str(path)], capture_output=True,
                                    check=True).stdout)[0]
    meta = read_metadata(str(path), None)
    # 1e-7 degrees is about 1 cm; dividing arc-seconds by 6000 would be off by kilometres.
    assert meta.latitude == pytest.approx(ref["GPSLatitude"], abs=1e-7)
    assert meta.longitude == pytest.approx(ref["GPSLongitude"], abs=1e-7)
    assert meta.altitude == pytest.approx(ref["GPSAltitude"], abs=1e-3)
    # No offset tag (IPTC's "+00:00" is not trusted): the zone comes from the position.
    assert (meta.taken_at_zone, meta.taken_at_offset, meta.taken_at_source) == (
        "Europe/Rome", 60, "gps"
    )


def test_altitude_below_sea_level_is_negative() -> None:
    tags = Tags(
        values={"Exif.GPSInfo.GPSAltitude": "4305/10", "Exif.GPSInfo.GPSAltitudeRef": "1"}
    )
    assert metadata_from_tags(tags).altitude == pytest.approx(-430.5)


def test_displayed_size_swaps_for_quarter_turns() -> None:
    for orientation, expected in ((1, (4000, 3000)), (3, (4000, 3000)), (6, (3000, 4000)),
                                  (8, (3000, 4000))):
        tags = Tags(values={"Exif.Image.Orientation": str(orientation)})
        meta = metadata_from_tags(tags, (4000, 3000))
        assert (meta.width, meta.height) == expected, orientation


def test_xmp_and_iptc_fields(fixtures_dir: Path) -> None:
    meta = read_metadata(str(fixtures_dir / "exif-samples" / "jpg" / "xmp" / "BlueSquare.jpg"))
    assert meta.description and meta.description.startswith("XMPFiles BlueSquare test file")
    assert meta.keywords == ["XMP", "Blue Square", "test file", "Photoshop", ".jpg"]
    assert meta.taken_at_offset == -420  # from the XMP date's own offset
    assert meta.taken_at_source == "offset"


def test_camera_fields(fixtures_dir: Path) -> None:
    meta = read_metadata(str(fixtures_dir / "exif-samples" / "jpg" / "Canon_40D.jpg"))
    assert (meta.camera_make, meta.camera_model) == ("Canon", "Canon EOS 40D")
    assert meta.exposure_time == pytest.approx(1 / 160)
    assert meta.aperture == pytest.approx(7.1)
    assert meta.focal_length == pytest.approx(135)
    assert meta.flash is True  # Flash = 9: fired, compulsory
    assert meta.metering_mode == "Multi-segment"
    lens = read_metadata(str(fixtures_dir / "exif-samples" / "jpg" / "tests" / "87_OSError.jpg"))
    assert lens.lens == "18.0-70.0 mm f/3.5-4.5"


def test_raw_is_json_safe_on_every_fixture(fixtures_dir: Path) -> None:
    checked = 0
    for path in sorted(fixtures_dir.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in (".jpg", ".jpeg", ".tif", ".tiff",
                                                             ".heic", ".heif"):
            continue
        raw = read_metadata(str(path), None).raw
        text = json.dumps(raw, allow_nan=False)  # raises on bytes or NaN
        assert "\\u0000" not in text, path
        for key, value in raw.items():
            items = value if isinstance(value, list) else [value]
            assert len(items) <= 64, (path, key)
            # A repeated multi-valued tag gives a list of lists.
            flat = [x for item in items for x in (item if isinstance(item, list) else [item])]
            for item in flat:
                assert isinstance(item, str | int | float), (path, key)
                assert not isinstance(item, str) or len(item) <= MAX_TEXT, (path, key)
        assert not any(key.endswith(".MakerNote") for key in raw), path
        checked += 1
    assert checked > 90
