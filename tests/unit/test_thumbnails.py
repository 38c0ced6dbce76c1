"""Thumbnails: upright for all 8 EXIF orientations, sized right, sRGB, written atomically."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageCms
from pillow_heif import register_heif_opener

from workers.ingest.thumbnails import make_thumbnails, thumbnail_path
from workers.protocol import THUMBNAIL_SIZES

LARGEST = max(THUMBNAIL_SIZES, key=THUMBNAIL_SIZES.__getitem__)


def _pixels(path: str) -> np.ndarray:
    with Image.open(path) as image:
        assert image.format == "WEBP"
        return np.asarray(image.convert("RGB"), dtype=np.float64)


def _orientation_dir(fixtures_dir: Path) -> Path:
    path = fixtures_dir / "exif-samples" / "jpg" / "orientation"
    if not path.is_dir():
        pytest.skip("orientation fixtures not found")
    return path


@pytest.mark.parametrize("shape", ["landscape", "portrait"])
def test_all_eight_orientations_come_out_upright_and_alike(
    fixtures_dir: Path, tmp_path: Path, shape: str
) -> None:
    folder = _orientation_dir(fixtures_dir)
    reference_size = None
    reference: dict[str, np.ndarray] = {}
    for n in range(1, 9):
        key = f"{shape}{n}".ljust(64, "0")
        width, height, placeholder = make_thumbnails(
            str(folder / f"{shape}_{n}.jpg"), str(tmp_path), key
        )
        assert placeholder
        if reference_size is None:
            reference_size = (width, height)
            assert (width > height) == (shape == "landscape")
        assert (width, height) == reference_size, n
        for name in THUMBNAIL_SIZES:
            pixels = _pixels(thumbnail_path(str(tmp_path), key, name))
            if n == 1:
                reference[name] = pixels
                continue
            assert pixels.shape == reference[name].shape, (n, name)
            diff = np.abs(pixels - reference[name]).mean()
            assert diff < 8, f"{shape}_{n} {name}: mean abs diff {diff:.1f}"
    # The comparison can fail: the same picture turned half a turn is far from upright.
    upright = reference[LARGEST]
    assert np.abs(upright[::-1, ::-1] - upright).mean() > 30


def test_sizes_follow_thumbnail_sizes_and_never_upscale(tmp_path: Path) -> None:
    source = tmp_path / "wide.jpg"
    rng = np.random.default_rng(3)
    Image.fromarray(rng.integers(0, 255, (1200, 3000, 3), dtype=np.uint8)).save(source)
    width, height, _ = make_thumbnails(str(source), str(tmp_path / "t"), "ab" * 32)
    assert (width, height) == (3000, 1200)
    for name, side in THUMBNAIL_SIZES.items():
        with Image.open(thumbnail_path(str(tmp_path / "t"), "ab" * 32, name)) as image:
            expected_w = min(side, 3000)
            assert image.size == (expected_w, round(1200 * expected_w / 3000)), name

    small = tmp_path / "small.png"
    Image.new("RGB", (120, 80), (10, 200, 30)).save(small)
    make_thumbnails(str(small), str(tmp_path / "t"), "cd" * 32)
    for name in THUMBNAIL_SIZES:
        with Image.open(thumbnail_path(str(tmp_path / "t"), "cd" * 32, name)) as image:
            assert image.size == (120, 80), name


def test_files_are_renamed_into_place(tmp_path: Path) -> None:
    source = tmp_path / "a.png"
    Image.new("RGB", (300, 200), (200, 10, 10)).save(source)
    key = "ef" * 32
    make_thumbnails(str(source), str(tmp_path / "t"), key)
    folder = tmp_path / "t" / key[:2] / key
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.webp" for n in THUMBNAIL_SIZES)


def test_embedded_icc_profile_is_applied(fixtures_dir: Path, tmp_path: Path) -> None:
    # The Display P3 profile of an iPhone photo, embedded in a flat synthetic picture.
    heic = fixtures_dir / "exif-samples" / "heic" / "mobile" / "iphone_13_pro_max.HEIC"
    register_heif_opener()
    with Image.open(heic) as photo:
        p3 = photo.info["icc_profile"]
    source = tmp_path / "p3.png"
    colour = (60, 160, 220)
    Image.new("RGB", (64, 64), colour).save(source, icc_profile=p3)

    make_thumbnails(str(source), str(tmp_path / "t"), "12" * 32)

    got = _pixels(thumbnail_path(str(tmp_path / "t"), "12" * 32, LARGEST)).mean(axis=(0, 1))
    expected_image = ImageCms.profileToProfile(
        Image.new("RGB", (1, 1), colour),
        ImageCms.ImageCmsProfile(io.BytesIO(p3)),
        ImageCms.createProfile("sRGB"),
        renderingIntent=ImageCms.Intent.PERCEPTUAL,
    )
    assert expected_image is not None
    expected = np.asarray(expected_image, dtype=np.float64)[0, 0]
    assert np.abs(expected - colour).max() > 10  # the conversion matters for this colour
    assert np.abs(got - expected).max() <= 3, (got, expected)


def test_sixteen_bit_greyscale_is_scaled_not_clipped(tmp_path: Path) -> None:
    source = tmp_path / "grey16.png"
    array = np.full((50, 80), 0x8000, dtype=np.uint16)  # half of full scale
    Image.fromarray(array).save(source)
    make_thumbnails(str(source), str(tmp_path / "t"), "34" * 32)
    pixels = _pixels(thumbnail_path(str(tmp_path / "t"), "34" * 32, LARGEST))
    assert abs(pixels.mean() - 128) < 3  # clipping would give 255


def test_cmyk_and_palette_and_alpha_inputs(tmp_path: Path) -> None:
    images = {
        "cmyk.jpg": Image.new("CMYK", (40, 30), (0, 255, 255, 0)),  # red ink
        "palette.png": Image.new("RGB", (40, 30), (0, 0, 255)).quantize(4),
        "alpha.png": Image.new("LA", (40, 30), (200, 128)),
    }
    for name, image in images.items():
        path = tmp_path / name
        image.save(path)
        out = str(tmp_path / "t")
        make_thumbnails(str(path), out, name.ljust(64, "x"))
        with Image.open(thumbnail_path(out, name.ljust(64, "x"), LARGEST)) as thumb:
            assert thumb.mode in ("RGB", "RGBA"), name
            rgb = np.asarray(thumb.convert("RGB"), dtype=np.float64).mean(axis=(0, 1))
        if name == "cmyk.jpg":
            assert rgb[0] > 200 and rgb[1] < 60 and rgb[2] < 60, rgb
        if name == "palette.png":
            assert rgb[2] > 200 and rgb[0] < 40, rgb


def test_webp_bytes_decode(tmp_path: Path) -> None:
    source = tmp_path / "b.jpg"
    Image.new("RGB", (2000, 1000), (50, 100, 150)).save(source)
    make_thumbnails(str(source), str(tmp_path), "56" * 32)
    data = Path(thumbnail_path(str(tmp_path), "56" * 32, LARGEST)).read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    with Image.open(io.BytesIO(data)) as image:
        assert max(image.size) == THUMBNAIL_SIZES[LARGEST]
