"""Android motion photos: the MP4 appended to a JPEG is found through its XMP and kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.media_samples import make_motion_photo, make_video
from workers.ingest.metadata import read_metadata
from workers.ingest.motion import embedded_clip, motion_clip_path
from workers.ingest.pipeline import ingest_file
from workers.ingest.video import read_video

KEY = "ef" * 32


@pytest.mark.parametrize("directory", [True, False])
def test_the_clip_is_found_by_either_xmp_form(tmp_path: Path, directory: bool) -> None:
    clip = make_video(tmp_path / "clip.mp4", (160, 120), seconds=1).read_bytes()
    photo = make_motion_photo(tmp_path / "PXL_1.MP.jpg", clip, directory=directory)
    data = photo.read_bytes()
    found = embedded_clip(data, read_metadata(str(photo)).raw)
    assert found is not None
    start, length = found
    assert data[start:start + length] == clip


def test_a_wrong_offset_or_no_xmp_finds_nothing(tmp_path: Path) -> None:
    clip = make_video(tmp_path / "clip.mp4", (160, 120), seconds=1).read_bytes()
    photo = make_motion_photo(tmp_path / "a.jpg", clip)
    with photo.open("ab") as f:
        f.write(b"trailing junk")  # the XMP's offset now points into the clip
    assert embedded_clip(photo.read_bytes(), read_metadata(str(photo)).raw) is None
    assert embedded_clip(b"\xff\xd8" + clip, {}) is None


def test_ingest_keeps_the_clip_beside_the_thumbnails(tmp_path: Path) -> None:
    clip = make_video(tmp_path / "clip.mp4", (160, 120), seconds=2).read_bytes()
    photo = make_motion_photo(tmp_path / "PXL_2.MP.jpg", clip)
    result = ingest_file(str(photo), KEY, str(tmp_path / "thumbs"), [str(tmp_path)])
    assert result.error is None and result.metadata is not None
    assert result.media_type == "photo" and (result.metadata.width, result.metadata.height) == (
        320, 240)
    assert result.metadata.raw["MotionPhoto.Length"] == len(clip)
    with open(motion_clip_path(str(tmp_path / "thumbs"), KEY), "rb") as f:
        assert read_video(f).duration_ms == 2000
