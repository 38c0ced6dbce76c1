"""ingest_file on every fixture file and on broken files: results or clear errors, no raise."""

from __future__ import annotations

import multiprocessing
import shutil
import struct
import zlib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from workers.ingest.hashing import digest_file
from workers.ingest.pipeline import ingest_file, make_preview
from workers.ingest.thumbnails import thumbnail_path
from workers.protocol import THUMBNAIL_SIZES, IngestResult

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".tif", ".tiff", ".heic", ".heif", ".png", ".webp"}


def _ingest(path: Path, thumbs: Path) -> IngestResult:
    """Both ingest tasks, as the importer runs them: grid and metadata, then the preview."""
    result = ingest_file(str(path), digest_file(str(path)).content_hash, str(thumbs),
                         grid_first=True)
    if result.error is None:
        key = result.thumbnail_key
        assert key is not None
        # Announced before the preview exists: the grid thumbnail is already there.
        assert Path(thumbnail_path(str(thumbs), key, "grid")).is_file()
        assert not Path(thumbnail_path(str(thumbs), key, "preview")).exists()
        assert make_preview(str(path), key, str(thumbs)) is None
    return result


def _assert_complete(result: IngestResult, thumbs: Path) -> None:
    assert result.error is None, result.error
    assert result.metadata is not None
    assert result.mime_type and result.mime_type.startswith("image/")
    assert result.placeholder
    assert result.thumbnail_key == result.content_hash
    meta = result.metadata
    assert meta.width and meta.height
    for name, side in THUMBNAIL_SIZES.items():
        with Image.open(thumbnail_path(str(thumbs), result.content_hash, name)) as thumb:
            assert thumb.format == "WEBP"
            assert max(thumb.size) == min(side, max(meta.width, meta.height)), name
            # Same shape as the photo as displayed, to the pixel.
            scale = max(thumb.size) / max(meta.width, meta.height)
            assert abs(thumb.width - meta.width * scale) <= 1, name
            assert abs(thumb.height - meta.height * scale) <= 1, name


def test_every_fixture_file_goes_through(fixtures_dir: Path, tmp_path: Path) -> None:
    files = sorted(p for p in fixtures_dir.rglob("*") if p.is_file())
    assert len(files) > 100
    seen_formats = set()
    for path in files:
        result = _ingest(path, tmp_path)  # must not raise
        # One fixture is named 'Cr303251mieux11.tiff"' (a stray quote): it is still a TIFF.
        if path.suffix.lower().rstrip('"') in IMAGE_SUFFIXES:
            _assert_complete(result, tmp_path)
            seen_formats.add(result.mime_type)
        else:  # README files and the like
            assert result.error == "not an image: cannot identify image file", path
            assert result.metadata is None and result.placeholder is None
    assert {"image/jpeg", "image/tiff", "image/heic"} <= seen_formats


def test_photonix_facts_through_the_pipeline(fixtures_dir: Path, tmp_path: Path) -> None:
    photonix = fixtures_dir / "photonix"
    snow = _ingest(photonix / "snow.jpg", tmp_path)
    assert snow.metadata is not None
    assert (snow.metadata.camera_make, snow.metadata.iso) == ("Xiaomi", 100)
    assert snow.metadata.taken_at_local == "2018-02-28T07:16:25"
    assert (snow.metadata.width, snow.metadata.height) == (800, 600)
    bad = _ingest(photonix / "bad_date.jpg", tmp_path)
    assert bad.metadata is not None and bad.metadata.taken_at_local == "2000-01-01T00:00:00"
    utf8 = _ingest(photonix / "invalid_utf8.jpg", tmp_path)
    assert utf8.error is None and utf8.metadata is not None and utf8.metadata.artist is None
    cmyk = _ingest(photonix / "cmyk.tif", tmp_path)
    _assert_complete(cmyk, tmp_path)


def test_heic_rotation_is_applied_once(fixtures_dir: Path, tmp_path: Path) -> None:
    # EXIF says orientation 6 and libheif already turned the pixels: portrait, not turned twice.
    heic = fixtures_dir / "exif-samples" / "heic" / "mobile" / "iphone_13_pro_max.HEIC"
    result = _ingest(heic, tmp_path)
    _assert_complete(result, tmp_path)
    assert result.metadata is not None
    assert (result.metadata.width, result.metadata.height) == (3024, 4032)
    assert result.metadata.taken_at_offset == 60


def test_truncated_jpeg(fixtures_dir: Path, tmp_path: Path) -> None:
    data = (fixtures_dir / "photonix" / "snow.jpg").read_bytes()
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: len(data) // 2])
    result = _ingest(path, tmp_path / "t")
    assert result.error == "truncated JPEG"
    assert result.metadata is None
    assert not (tmp_path / "t").exists() or not any((tmp_path / "t").rglob("*.webp"))


def test_not_an_image(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_bytes(b"this is text, not a photo\n" * 40)
    assert _ingest(path, tmp_path).error == "not an image: cannot identify image file"


def _png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [20_000, 40_000])  # Pillow's warning band, and its error band
def test_decompression_bomb_is_refused(tmp_path: Path, side: int) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_claiming(side, side))
    result = _ingest(path, tmp_path)
    assert result.error == f"decompression bomb: {side * side} pixels"


def test_missing_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    result = ingest_file(str(tmp_path / "gone.jpg"), "0" * 64, str(tmp_path))
    assert result.error is not None and result.error.startswith("cannot read file")


def test_runs_in_a_spawned_process(fixtures_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "snow.jpg"
    shutil.copyfile(fixtures_dir / "photonix" / "snow.jpg", source)
    content_hash = digest_file(str(source)).content_hash
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        remote = pool.submit(ingest_file, str(source), content_hash, str(tmp_path / "a")).result()
    local = ingest_file(str(source), content_hash, str(tmp_path / "b"))
    assert remote == local
    assert remote.error is None and remote.placeholder


def test_make_preview_refuses_a_link_out_of_the_roots(fixtures_dir: Path,
                                                      tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    secret = tmp_path / "secret.jpg"
    shutil.copy(fixtures_dir / "photonix" / "tree.jpg", secret)
    (library / "a.jpg").symlink_to(secret)
    (library / "inside.jpg").symlink_to(library / "b.jpg")  # links within the roots are fine
    shutil.copy(fixtures_dir / "photonix" / "snow.jpg", library / "b.jpg")
    thumbs = tmp_path / "thumbs"
    error = make_preview(str(library / "a.jpg"), "ab" * 32, str(thumbs), [str(library)])
    assert error == "not inside the library's folders"
    assert not Path(thumbnail_path(str(thumbs), "ab" * 32, "preview")).exists()
    assert make_preview(str(library / "inside.jpg"), "cd" * 32, str(thumbs),
                        [str(library)]) is None
    assert Path(thumbnail_path(str(thumbs), "cd" * 32, "preview")).is_file()
