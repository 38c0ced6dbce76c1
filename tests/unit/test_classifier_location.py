"""Location stage: the five reference points of MODELS.md, on the real installed data."""

from __future__ import annotations

import logging
import pickle
from pathlib import Path

import pytest
from PIL import Image

from tests.unit.models_fixture import installed_models
from workers.classifiers.base import PhotoInput, load_classifiers
from workers.classifiers.location import LocationClassifier, create
from workers.geo.borders import CountryBorders

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def location() -> LocationClassifier:
    classifier = create(installed_models("countries-land-10m", "geonames-places"))
    assert classifier.unavailable_reason() is None
    classifier.load()
    return classifier


@pytest.fixture(scope="session")
def image() -> Image.Image:
    return Image.new("RGB", (8, 8))


def _tags(location: LocationClassifier, image: Image.Image, lat: float, lon: float) -> dict:
    tags = location.classify(image, PhotoInput(latitude=lat, longitude=lon))
    assert all(t.type == "location" for t in tags)
    return {"country": [t for t in tags if t.parent is None], "city": [t for t in tags if t.parent]}


@pytest.mark.parametrize(
    ("lat", "lon", "code", "country", "city"),
    [
        (51.5304213, -0.1286445, "GB", "United Kingdom", "London"),  # not King's Cross
        (36.4396445, 25.3560936, "GR", "Greece", "Oía"),  # at sea by Oia; not Firá
        (46.1760906, 5.9929043, "CH", "Switzerland", "Vernier"),  # not France
        (51.074323, 2.547278, "FR", "France", "Téteghem"),  # not a Belgian town
    ],
)
def test_reference_points(
    location: LocationClassifier,
    image: Image.Image,
    lat: float,
    lon: float,
    code: str,
    country: str,
    city: str,
) -> None:
    tags = _tags(location, image, lat, lon)
    assert [(t.name, t.extra["code"]) for t in tags["country"]] == [(country, code)]
    assert [(t.name, t.parent) for t in tags["city"]] == [(city, country)]
    assert tags["city"][0].extra["country_code"] == code
    assert tags["city"][0].extra["distance_km"] <= 10.0
    assert pickle.loads(pickle.dumps(tags["city"][0])) == tags["city"][0]


def test_sea_off_john_o_groats_gives_nothing(
    location: LocationClassifier, image: Image.Image
) -> None:
    assert location.classify(image, PhotoInput(latitude=58.6876742, longitude=-3.4206862)) == []


def test_country_without_city_in_reach(location: LocationClassifier, image: Image.Image) -> None:
    # Central Sahara in Algeria: land, but no GeoNames place within 10 km.
    tags = _tags(location, image, 24.0, 3.0)
    assert [t.extra["code"] for t in tags["country"]] == ["DZ"]
    assert tags["city"] == []


@pytest.mark.parametrize(
    "meta",
    [
        PhotoInput(),
        PhotoInput(latitude=51.5, longitude=None),
        PhotoInput(latitude=float("nan"), longitude=0.0),
        PhotoInput(latitude=91.0, longitude=0.0),
        PhotoInput(latitude=0.0, longitude=181.0),
    ],
)
def test_missing_or_invalid_position_gives_nothing(
    location: LocationClassifier, image: Image.Image, meta: PhotoInput
) -> None:
    assert location.classify(image, meta) == []


def test_version_names_both_data_sets(location: LocationClassifier) -> None:
    assert "borders0.6.0" in location.version
    assert "places1.6.6" in location.version


def test_borders_cache_reads_back(location: LocationClassifier) -> None:
    models_dir = installed_models("countries-land-10m")
    borders = CountryBorders.read(models_dir / "countries-land-10m" / "countries.wkb.gz")
    assert len({borders.country_at(lat, lon) for lat, lon in [(48.85, 2.35), (40.71, -74.0)]}) == 2
    assert len(borders) > 250  # multipolygons are split into parts


def test_unavailable_without_installed_borders(tmp_path: Path, caplog) -> None:
    classifier = create(tmp_path)
    reason = classifier.unavailable_reason()
    assert not classifier.available()
    assert reason is not None and "countries-land-10m" in reason and "not installed" in reason
    with caplog.at_level(logging.WARNING, logger="workers.classifiers.base"):
        loaded = load_classifiers(tmp_path, only=frozenset({"location", "colour"}))
    assert [c.name for c in loaded] == ["colour"]
    assert "classifier location unavailable" in caplog.text
