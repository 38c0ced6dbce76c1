"""Videos through PyAV: duration, size, rotation, frame rate, date and GPS, a poster frame;
checked against exiftool (the reference reader) on videos the test encodes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.media_samples import make_video
from workers.ingest.pipeline import ingest_file
from workers.ingest.thumbnails import thumbnail_path
from workers.ingest.video import parse_iso6709, read_video

EXIFTOOL = shutil.which("exiftool")
PARIS = {"creation_time": "2024-05-06T07:08:09.000000Z", "location": "+48.8577+002.2950/"}
KEY = "cd" * 32


def _exiftool(path: Path) -> dict[str, Any]:
    if EXIFTOOL is None:
        pytest.skip("exiftool, the reference reader, is not installed")
    out = subprocess.run([EXIFTOOL, "-j", "-n", str(path)], capture_output=True, check=True)
    return json.loads(out.stdout)[0]


@pytest.mark.parametrize(("name", "codec", "expected_codec"), [
    ("clip.mp4", "libx264", "h264"), ("clip.mov", "libx265", "hevc")])
def test_mp4_and_mov_facts_agree_with_exiftool(tmp_path: Path, name: str, codec: str,
                                               expected_codec: str) -> None:
    path = make_video(tmp_path / name, (320, 240), seconds=3, fps=15, codec=codec,
                      rotation=90, metadata=PARIS)
    with path.open("rb") as f:
        video = read_video(f)
    ref = _exiftool(path)
    assert video.codec == expected_codec
    assert video.rotation == ref["Rotation"] == 90
    assert video.duration_ms == round(float(ref["Duration"]) * 1000) == 3000
    assert video.fps == pytest.approx(ref["VideoFrameRate"]) == 15
    meta = video.metadata
    # Displayed size: turned a quarter, so the stored 320x240 shows as 240x320.
    assert (meta.width, meta.height) == (ref["ImageHeight"], ref["ImageWidth"]) == (240, 320)
    assert video.poster.size == (240, 320)
    assert meta.latitude == pytest.approx(ref["GPSLatitude"])
    assert meta.longitude == pytest.approx(ref["GPSLongitude"])
    # creation_time is UTC; shown as the wall clock in Paris (GPS), CEST in May.
    assert ref["CreateDate"] == "2024:05:06 07:08:09"
    assert (meta.taken_at_local, meta.taken_at_offset, meta.taken_at_zone) == (
        "2024-05-06T09:08:09", 120, "Europe/Paris")
    assert meta.raw["Video.Codec"] == expected_codec


def test_webm_without_tags(tmp_path: Path) -> None:
    path = make_video(tmp_path / "clip.webm", (256, 144), seconds=2, fps=10, codec="libvpx-vp9")
    with path.open("rb") as f:
        video = read_video(f)
    assert (video.codec, video.duration_ms, video.rotation) == ("vp9", 2000, 0)
    assert (video.metadata.width, video.metadata.height) == (256, 144)
    assert video.metadata.taken_at_local is None and video.metadata.latitude is None


def test_poster_skips_a_black_opening(tmp_path: Path) -> None:
    black = Image.new("RGB", (160, 120))
    scene = Image.new("RGB", (160, 120), (220, 120, 30))
    path = make_video(tmp_path / "fade.mp4", (160, 120), seconds=3, fps=10,
                      frames=[black, scene, scene])
    with path.open("rb") as f:
        poster = read_video(f).poster
    red, _, blue = poster.getpixel((80, 60))  # type: ignore[misc]
    assert red > 150 and blue < 90


def test_ingest_makes_a_tile_for_a_video(tmp_path: Path) -> None:
    path = make_video(tmp_path / "clip.mp4", (320, 240), seconds=2, metadata=PARIS)
    result = ingest_file(str(path), KEY, str(tmp_path / "thumbs"), [str(tmp_path)])
    assert result.error is None, result.error
    assert (result.media_type, result.duration_ms, result.mime_type) == (
        "video", 2000, "video/mp4")
    assert result.placeholder
    assert Image.open(thumbnail_path(str(tmp_path / "thumbs"), KEY, "grid")).size == (256, 192)
    assert Image.open(thumbnail_path(str(tmp_path / "thumbs"), KEY, "preview")).size == (
        320, 240)


def test_a_broken_video_fails_with_a_reason(tmp_path: Path) -> None:
    good = make_video(tmp_path / "good.mp4").read_bytes()
    (tmp_path / "cut.mp4").write_bytes(good[: len(good) // 3])
    (tmp_path / "text.mov").write_text("not a video")
    for name in ("cut.mp4", "text.mov"):
        result = ingest_file(str(tmp_path / name), KEY, str(tmp_path / "t"), [str(tmp_path)])
        assert result.error is not None and "Traceback" not in result.error, name


def test_iso6709() -> None:
    assert parse_iso6709("+48.8577+002.2950+035.000/") == (48.8577, 2.295, 35.0)
    assert parse_iso6709("-33.8688+151.2093/") == (-33.8688, 151.2093, None)
    assert parse_iso6709("+95.0+000.0/") is None
    assert parse_iso6709("garbage") is None
