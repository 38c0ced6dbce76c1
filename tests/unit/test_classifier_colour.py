"""Colour stage: solid colours, mixtures, snow.jpg, odd sizes and modes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import tifffile
from PIL import Image, ImageColor

from workers.classifiers.base import PhotoInput
from workers.classifiers.colour import COLOUR_NAMES, MIN_SHARE, ColourClassifier, create

# A CSS colour that everyone would call by our name.
SAMPLES = {
    "red": "red",
    "orange": "orange",
    "yellow": "yellow",
    "green": "green",
    "teal": "teal",
    "blue": "blue",
    "purple": "purple",
    "pink": "hotpink",
    "brown": "saddlebrown",
    "black": "black",
    "grey": "grey",
    "white": "white",
}
WARM = {"red", "orange", "yellow", "pink", "brown", "green", "purple"}


@pytest.fixture(scope="module")
def colour(tmp_path_factory: pytest.TempPathFactory) -> ColourClassifier:
    classifier = create(tmp_path_factory.mktemp("no-models"))
    assert classifier.available()  # needs no model
    return classifier


def test_samples_cover_the_palette() -> None:
    assert set(SAMPLES) == set(COLOUR_NAMES)


@pytest.mark.parametrize(("name", "css"), sorted(SAMPLES.items()))
def test_solid_image_is_exactly_its_colour(colour: ColourClassifier, name: str, css: str) -> None:
    image = Image.new("RGB", (640, 480), ImageColor.getrgb(css))
    tags = colour.classify(image, PhotoInput())
    assert [(t.name, t.type, t.confidence) for t in tags] == [(name, "colour", 1.0)]
    assert tags[0].extra["rgb"] == "#{:02x}{:02x}{:02x}".format(*ImageColor.getrgb(css))


def test_shares_of_a_mixture(colour: ColourClassifier) -> None:
    image = Image.new("RGB", (400, 200), ImageColor.getrgb("blue"))
    image.paste(ImageColor.getrgb("white"), (0, 0, 300, 200))  # 3/4 white
    image.paste(ImageColor.getrgb("red"), (0, 0, 4, 4))  # far below MIN_SHARE
    tags = {t.name: t.confidence for t in colour.classify(image, PhotoInput())}
    assert set(tags) == {"white", "blue"}
    assert tags["white"] == pytest.approx(0.75, abs=0.01)
    assert tags["blue"] == pytest.approx(0.25, abs=0.01)


def test_snow_is_cold_and_mostly_neutral(colour: ColourClassifier, fixtures_dir: Path) -> None:
    with Image.open(fixtures_dir / "photonix" / "snow.jpg") as image:
        tags = colour.classify(image.convert("RGB"), PhotoInput())
    names = [t.name for t in tags]
    shares = {t.name: t.confidence for t in tags}
    # A dusk snow scene under a blue sky: no warm colour reaches the threshold; the neutral
    # colours (snow, grey light, dark trees) together outweigh the blue of sky and shadows.
    assert not WARM & set(names), names
    assert {"white", "grey"} <= set(names)
    assert shares.get("white", 0) + shares.get("grey", 0) + shares.get("black", 0) > 0.4
    assert all(t.confidence >= MIN_SHARE for t in tags)
    assert names == sorted(names, key=lambda n: -shares[n])


def test_deterministic_and_scale_stable(colour: ColourClassifier, fixtures_dir: Path) -> None:
    with Image.open(fixtures_dir / "photonix" / "tree.jpg") as opened:
        image = opened.convert("RGB")
    first = colour.classify(image, PhotoInput())
    assert colour.classify(image.copy(), PhotoInput()) == first
    half = {t.name: t.confidence for t in colour.classify(image.reduce(2), PhotoInput())}
    for tag in first:
        assert half.get(tag.name, 0.0) == pytest.approx(tag.confidence, abs=0.03)


def test_tiny_noise_image(colour: ColourClassifier) -> None:
    pixels = np.random.default_rng(8).integers(0, 256, (8, 8, 3), dtype=np.uint8)
    tags = colour.classify(Image.fromarray(pixels), PhotoInput())
    assert tags
    assert sum(t.confidence for t in tags) <= 1.0 + 1e-6
    assert all(t.name in COLOUR_NAMES and t.confidence >= MIN_SHARE for t in tags)


def test_cmyk_tiff(colour: ColourClassifier, fixtures_dir: Path) -> None:
    # Pillow cannot open this 5-sample (CMYK + alpha) TIFF; tifffile reads the real pixels.
    pixels = tifffile.imread(fixtures_dir / "photonix" / "cmyk.tif")
    assert pixels.shape == (8, 8, 5)
    assert (pixels[..., 3] == 255).all()  # full black ink on every pixel
    cmyk = Image.fromarray(np.ascontiguousarray(pixels[..., :4]), mode="CMYK")
    tags = colour.classify(cmyk, PhotoInput())  # non-RGB input is converted, not refused
    assert [(t.name, t.confidence) for t in tags] == [("black", 1.0)]


@pytest.mark.parametrize("mode", ["L", "LA", "RGBA", "P", "I;16", "1"])
def test_any_pillow_mode(colour: ColourClassifier, mode: str) -> None:
    image = Image.new("RGB", (33, 17), ImageColor.getrgb("white")).convert(mode)
    assert [t.name for t in colour.classify(image, PhotoInput())] == ["white"]
