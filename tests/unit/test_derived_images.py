"""Face crops and rotated thumbnail sets, made from thumbnails only (never an original)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from workers.ingest.derived import face_crop, rotate_thumbnails
from workers.ingest.thumbnails import thumbnail_path


def _write(folder: Path, key: str, size: str, image: Image.Image) -> None:
    path = Path(thumbnail_path(str(folder), key, size))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "WEBP", lossless=True)


def _two_halves(width: int, height: int) -> Image.Image:
    image = Image.new("RGB", (width, height), "blue")
    image.paste(Image.new("RGB", (width // 2, height), "red"), (0, 0))
    return image


def test_face_crop_is_a_square_around_the_face_from_the_preview(tmp_path: Path) -> None:
    _write(tmp_path, "k1", "grid", _two_halves(40, 20))
    # Grid only: a crop is made, marked as not from the preview, under its own name.
    path, from_preview = face_crop(str(tmp_path), "k1", "face-1-x", [0.1, 0.2, 0.2, 0.4])
    assert not from_preview and path.endswith("face-1-x-grid.webp")
    _write(tmp_path, "k1", "preview", _two_halves(800, 400))
    path, from_preview = face_crop(str(tmp_path), "k1", "face-1-x", [0.1, 0.2, 0.2, 0.4])
    assert from_preview and path.endswith("face-1-x.webp")
    with Image.open(path) as crop:
        assert crop.width == crop.height == 256  # 160 px face + margins, scaled to 256
        assert crop.convert("RGB").getpixel((128, 128))[0] > 200  # the red half's face
    # Near an edge the square slides inside the image instead of shrinking.
    path, _ = face_crop(str(tmp_path), "k1", "face-2-y", [0.9, 0.0, 0.1, 0.1])
    with Image.open(path) as crop:
        assert crop.width == crop.height
        assert crop.convert("RGB").getpixel((crop.width - 1, 0))[2] > 200


def test_rotated_set_is_turned_clockwise_from_the_unrotated_one(tmp_path: Path) -> None:
    _write(tmp_path, "base", "grid", _two_halves(40, 20))
    _write(tmp_path, "base", "preview", _two_halves(80, 40))
    placeholder = rotate_thumbnails(str(tmp_path), "base", "base-r90", 90)
    assert placeholder
    with Image.open(thumbnail_path(str(tmp_path), "base-r90", "preview")) as turned:
        image = turned.convert("RGB")
        assert image.size == (40, 80)
        assert image.getpixel((20, 5))[0] > 200 and image.getpixel((20, 75))[2] > 200
    # Back to 0 writes nothing new, and the unrotated set is unchanged.
    before = Path(thumbnail_path(str(tmp_path), "base", "preview")).read_bytes()
    assert rotate_thumbnails(str(tmp_path), "base", "base", 0)
    assert Path(thumbnail_path(str(tmp_path), "base", "preview")).read_bytes() == before
