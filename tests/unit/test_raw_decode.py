"""RAW files through LibRaw: embedded preview when large enough, else a half-size demosaic,
orientation applied, metadata by exiv2; DNGs are made by the test (tests/media_samples.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.media_samples import RAW_COLOUR, make_dng
from workers.ingest.pipeline import ingest_file
from workers.ingest.thumbnails import thumbnail_path
from workers.protocol import IngestResult

KEY = "ab" * 32


def _centre(path: str) -> tuple[int, int, int]:
    with Image.open(path) as image:
        rgb = image.convert("RGB")
        return rgb.getpixel((rgb.width // 2, rgb.height // 2))  # type: ignore[return-value]


def _ingest(path: Path, out: Path) -> IngestResult:
    result = ingest_file(str(path), KEY, str(out), [str(path.parent)])
    assert result.error is None, result.error
    assert result.metadata is not None
    return result


def test_large_embedded_preview_is_used_and_turned(tmp_path: Path) -> None:
    dng = make_dng(tmp_path / "a.dng", (1600, 1200), preview=(1600, 1200), orientation=6)
    result = _ingest(dng, tmp_path / "thumbs")
    meta = result.metadata
    assert result.mime_type == "image/x-adobe-dng"
    assert (meta.width, meta.height) == (1200, 1600)  # displayed: a quarter turn
    assert (meta.camera_make, meta.camera_model) == ("Photonix", "Test DNG")
    assert meta.taken_at_local == "2024-05-06T07:08:09"
    preview = thumbnail_path(str(tmp_path / "thumbs"), KEY, "preview")
    assert Image.open(preview).size == (1080, 1440)
    # The embedded JPEG holds the exact colour; a demosaic would not (see below).
    assert all(abs(a - b) <= 4 for a, b in zip(_centre(preview), RAW_COLOUR, strict=True))
    assert result.placeholder


def test_small_preview_falls_back_to_a_half_size_demosaic(tmp_path: Path) -> None:
    dng = make_dng(tmp_path / "b.dng", (640, 480), preview=(160, 120), orientation=8)
    result = _ingest(dng, tmp_path / "thumbs")
    assert (result.metadata.width, result.metadata.height) == (480, 640)
    grid = thumbnail_path(str(tmp_path / "thumbs"), KEY, "grid")
    assert Image.open(grid).size == (192, 256)
    red, green, blue = _centre(grid)
    assert red > green > blue  # the mosaic's scene, demosaiced (not the preview's colour)
    assert (red, green, blue) != pytest.approx(RAW_COLOUR, abs=4)


def test_a_dng_without_preview_is_demosaiced(tmp_path: Path) -> None:
    result = _ingest(make_dng(tmp_path / "c.dng", (320, 240)), tmp_path / "thumbs")
    assert (result.metadata.width, result.metadata.height) == (320, 240)


def test_a_broken_raw_fails_with_a_reason(tmp_path: Path) -> None:
    good = make_dng(tmp_path / "d.dng", (320, 240)).read_bytes()
    broken = tmp_path / "broken.nef"
    broken.write_bytes(good[:300])
    result = ingest_file(str(broken), KEY, str(tmp_path / "thumbs"), [str(tmp_path)])
    assert result.error is not None and "RAW" in result.error
    (tmp_path / "text.cr2").write_text("not a raw file")
    result = ingest_file(str(tmp_path / "text.cr2"), KEY, str(tmp_path / "thumbs"))
    assert result.error is not None and "Traceback" not in result.error
