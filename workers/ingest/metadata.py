"""A photo's EXIF/XMP/IPTC tags (read by exiv2) normalised into :class:`PhotoMetadata`.

    meta = read_metadata("IMG_0001.jpg", image_size=(4000, 3000))
    meta.camera_make, meta.iso, meta.taken_at_local, meta.width  # width as displayed
"""

from __future__ import annotations

import logging

from workers.ingest.exif_values import (
    METERING_MODES,
    first_int,
    gps_altitude,
    gps_coordinate,
    rational,
    xmp_gps_coordinate,
)
from workers.ingest.exiftool_fallback import fill_missing
from workers.ingest.makernotes import apple_content_identifier, maker_iso, maker_lens
from workers.ingest.raw_tags import json_safe_tags
from workers.ingest.tags import Tags, read_tags
from workers.ingest.taken_at import taken_at
from workers.protocol import PhotoMetadata

__all__ = ["metadata_from_bytes", "metadata_from_tags", "read_metadata"]

log = logging.getLogger(__name__)

# Orientations 5-8 turn the picture a quarter, so the displayed width is the stored height.
_SWAPPING_ORIENTATIONS = frozenset({5, 6, 7, 8})


def _first(tags: Tags, *keys: str) -> str | None:
    for key in keys:
        value = tags.get(key)
        if value:
            return value
    return None


def _number(tags: Tags, *keys: str) -> float | None:
    for key in keys:
        value = rational(tags.get(key))
        if value is not None and value > 0:
            return value
    return None


def _lang_alt(value: str | None) -> str | None:
    """The default-language text of an XMP LangAlt value (``lang="x-default" text``)."""
    if not value:
        return None
    if not value.startswith("lang="):
        return value
    # exiv2 joins alternatives as 'lang="x-default" A, lang="de" B': take the first text.
    text = value.split(" ", 1)[1] if " " in value else ""
    text = text.split(', lang="', 1)[0]
    return text.strip() or None


def _gps(tags: Tags) -> tuple[float | None, float | None, float | None]:
    gps = "Exif.GPSInfo.GPS"
    lat = gps_coordinate(tags.get(gps + "Latitude"), tags.get(gps + "LatitudeRef"))
    lon = gps_coordinate(tags.get(gps + "Longitude"), tags.get(gps + "LongitudeRef"))
    if lat is None or lon is None:
        lat = xmp_gps_coordinate(tags.get("Xmp.exif.GPSLatitude"))
        lon = xmp_gps_coordinate(tags.get("Xmp.exif.GPSLongitude"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        lat = lon = None
    alt = gps_altitude(tags.get(gps + "Altitude"), tags.get(gps + "AltitudeRef"))
    if alt is None:
        alt = gps_altitude(tags.get("Xmp.exif.GPSAltitude"), tags.get("Xmp.exif.GPSAltitudeRef"))
    return lat, lon, alt


def _keywords(tags: Tags) -> list[str]:
    found: list[str] = []
    for value in (
        tags.get_list("Xmp.dc.subject")
        + tags.get_list("Iptc.Application2.Keywords")
        + (tags.get("Exif.Image.XPKeywords") or "").split(";")
    ):
        value = value.strip()
        if value and value not in found:
            found.append(value)
    return found


def _size(
    tags: Tags, image_size: tuple[int, int] | None, orientation: int | None, upright: bool
) -> tuple[int | None, int | None]:
    size = image_size or tags.pixel_size
    if size is None:
        width = first_int(tags.get("Exif.Photo.PixelXDimension"))
        height = first_int(tags.get("Exif.Photo.PixelYDimension"))
        if not width or not height:
            return None, None
        size = (width, height)
    if not upright and orientation in _SWAPPING_ORIENTATIONS:
        return size[1], size[0]
    return size


def metadata_from_tags(
    tags: Tags, image_size: tuple[int, int] | None = None, *, upright: bool = False
) -> PhotoMetadata:
    """Normalise exiv2 tags. ``image_size`` is the decoded pixel size, as stored in the file
    (before EXIF orientation) unless ``upright`` says the decoder already turned it (HEIF)."""
    orientation = first_int(_first(tags, "Exif.Image.Orientation", "Xmp.tiff.Orientation"))
    if orientation is not None and not 1 <= orientation <= 8:
        orientation = None
    lat, lon, alt = _gps(tags)
    iso = _number(tags, "Exif.Photo.ISOSpeedRatings", "Xmp.exif.ISOSpeedRatings")
    if iso is None:
        iso = maker_iso(tags)
    flash = first_int(tags.get("Exif.Photo.Flash"))
    if flash is None and (fired := tags.get("Xmp.exif.Flash/exif:Fired")):
        flash = 1 if fired.lower() == "true" else 0  # XMP spells the bit out
    metering = first_int(_first(tags, "Exif.Photo.MeteringMode", "Xmp.exif.MeteringMode"))
    rating = rational(_first(tags, "Xmp.xmp.Rating", "Exif.Image.Rating"))
    width, height = _size(tags, image_size, orientation, upright)
    when = taken_at(tags, lat, lon)
    raw = json_safe_tags(tags)
    if content_id := apple_content_identifier(tags):  # pairs a live photo's still and clip
        raw["Exif.Apple.ContentIdentifier"] = content_id
    return PhotoMetadata(
        camera_make=_first(tags, "Exif.Image.Make", "Xmp.tiff.Make"),
        camera_model=_first(tags, "Exif.Image.Model", "Xmp.tiff.Model"),
        lens=_first(tags, "Exif.Photo.LensModel", "Xmp.exifEX.LensModel", "Xmp.aux.Lens")
        or maker_lens(tags),
        taken_at_local=when.local.isoformat() if when else None,
        taken_at_offset=when.offset if when else None,
        taken_at_zone=when.zone if when else None,
        taken_at_source=when.source if when else None,
        exposure_time=_number(tags, "Exif.Photo.ExposureTime", "Xmp.exif.ExposureTime"),
        aperture=_number(tags, "Exif.Photo.FNumber", "Xmp.exif.FNumber"),
        iso=round(iso) if iso else None,
        focal_length=_number(tags, "Exif.Photo.FocalLength", "Xmp.exif.FocalLength"),
        flash=None if flash is None else bool(flash & 1),  # bit 0: the flash fired
        metering_mode=METERING_MODES.get(metering) if metering is not None else None,
        latitude=lat,
        longitude=lon,
        altitude=alt,
        orientation=orientation,
        width=width,
        height=height,
        rating=None if rating is None else max(0, min(5, round(rating))),
        artist=_first(
            tags, "Exif.Image.Artist", "Xmp.dc.creator", "Iptc.Application2.Byline",
            "Exif.Image.XPAuthor",
        ),
        description=_first(tags, "Exif.Image.ImageDescription")
        or _lang_alt(tags.get("Xmp.dc.description"))
        or _first(tags, "Iptc.Application2.Caption", "Exif.Image.XPComment"),
        keywords=_keywords(tags),
        raw=raw,
    )


def metadata_from_bytes(
    data: bytes, image_size: tuple[int, int] | None = None, *, upright: bool = False
) -> PhotoMetadata:
    """Metadata of an image file's bytes; a file exiv2 cannot read yields empty metadata."""
    try:
        tags = read_tags(data)
    except (RuntimeError, ValueError) as exc:  # exiv2: unknown format, unreadable, >= 2 GB
        log.debug("exiv2 could not read metadata: %s", exc)
        tags = Tags()
    return metadata_from_tags(tags, image_size, upright=upright)


def read_metadata(path: str, image_size: tuple[int, int] | None = None, *,
                  fallback: bool = True) -> PhotoMetadata:
    """Metadata of the image file at ``path``; ``image_size`` is its decoded (stored) size.

    With ``fallback``, exiftool (when installed) fills a date or camera exiv2 did not find."""
    with open(path, "rb") as f:
        meta = metadata_from_bytes(f.read(), image_size)
        return fill_missing(meta, f.fileno()) if fallback else meta
