"""Which files belong to one shot: RAW+JPEG and live photos (names, length, identifiers)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from photonix_rt.services.pairing import (
    SERIAL_KEY,
    SUBSEC_KEY,
    is_motion_clip,
    raw_siblings,
    same_shot,
    shot_of,
    still_companion,
)

CLIP_ID = "Video.com.apple.quicktime.content.identifier"


def test_companions_by_folder_and_base_name(tmp_path: Path) -> None:
    for name in ("IMG_1.CR2", "IMG_1.JPG", "IMG_2.MOV", "IMG_2.heic", "IMG_3.NEF", "x.mp4",
                 "x.jpg"):
        (tmp_path / name).write_bytes(b"x")
    roots = [str(tmp_path.resolve())]
    assert still_companion(str(tmp_path / "IMG_1.CR2"), roots) == str(tmp_path / "IMG_1.JPG")
    assert still_companion(str(tmp_path / "IMG_2.MOV"), roots) == str(tmp_path / "IMG_2.heic")
    assert still_companion(str(tmp_path / "IMG_3.NEF"), roots) is None  # RAW alone
    assert still_companion(str(tmp_path / "x.mp4"), roots) is None  # only MOVs are clips
    assert still_companion(str(tmp_path / "IMG_1.JPG"), roots) is None
    assert raw_siblings(str(tmp_path / "IMG_1.JPG")) == [str(tmp_path / "IMG_1.CR2")]
    assert raw_siblings(str(tmp_path / "x.jpg")) == []


def test_a_companion_outside_the_library_is_ignored(tmp_path: Path) -> None:
    library, elsewhere = tmp_path / "library", tmp_path / "elsewhere"
    library.mkdir()
    elsewhere.mkdir()
    (elsewhere / "IMG_1.JPG").write_bytes(b"x")
    (library / "IMG_1.JPG").symlink_to(elsewhere / "IMG_1.JPG")
    (library / "IMG_1.DNG").write_bytes(b"x")
    assert still_companion(str(library / "IMG_1.DNG"), [str(library.resolve())]) is None


def test_motion_clips_are_short_and_match_the_still_s_identifier() -> None:
    assert is_motion_clip(2900, {}, {})
    assert not is_motion_clip(7000, {}, {})
    assert not is_motion_clip(None, {}, {})
    same = "1F2E3D4C-0000-4000-8000-ABCDEF012345"
    assert is_motion_clip(2900, {CLIP_ID: same}, {"Exif.Apple.ContentIdentifier": same.lower()})
    assert not is_motion_clip(2900, {CLIP_ID: same}, {"Exif.Apple.ContentIdentifier": "OTHER"})
    assert is_motion_clip(2900, {CLIP_ID: same}, {})  # the still has no identifier to compare


def test_shots_match_on_sub_seconds_and_body_serial_when_both_have_them() -> None:
    when = datetime.fromisoformat("2024-05-06T07:08:09.5")  # a wall clock, no zone
    camera = ("Nikon", "Z 6")
    shot = shot_of("/card/DSC_1.NEF", when, "floating", camera,
                   {SUBSEC_KEY: "50", SERIAL_KEY: "3001234"})
    assert shot is not None and shot.second == datetime.fromisoformat("2024-05-06T07:08:09")
    assert shot.folder == "/card"
    assert same_shot(shot, "5", "3001234")  # one half second at two precisions
    assert same_shot(shot, None, None)  # the JPEG records neither: the second decides
    assert not same_shot(shot, "51", None)
    assert not same_shot(shot, "50", "3009999")  # another body of the same model
    # Nothing to match on: a file time, no camera, or a file that is neither RAW nor still.
    assert shot_of("/card/DSC_1.NEF", when, "file", camera, {}) is None
    assert shot_of("/card/DSC_1.NEF", when, "offset", None, {}) is None
    assert shot_of("/card/clip.mov", when, "offset", camera, {}) is None
    assert shot_of("/card/DSC_1.jpg", when, "offset", camera, {}) is not None
