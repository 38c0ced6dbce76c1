"""Pure helpers for uploads: what the bytes are, and a safe name to store them under.

The client's filename is only a hint for a readable name: it never chooses a folder, an
extension or anything outside the uploads folder. The type comes from the bytes.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["SNIFF_BYTES", "UnsupportedUpload", "safe_stem", "sniff", "upload_name"]

# Enough of the start of a file to recognise every format below (a WebM's DocType can sit
# past byte 32 when its EBML header size is written long).
SNIFF_BYTES = 64

_MAX_STEM = 60


class UnsupportedUpload(ValueError):
    """The bytes are not a photo or video the library can import."""


# (mime type, extension) for the image formats the importer reads.
_JPEG = ("image/jpeg", ".jpg")
_PNG = ("image/png", ".png")
_WEBP = ("image/webp", ".webp")
_TIFF = ("image/tiff", ".tif")
_HEIC = ("image/heic", ".heic")
# The videos the importer reads (workers.protocol.VIDEO_MIME_TYPES).
_MP4 = ("video/mp4", ".mp4")
_MOV = ("video/quicktime", ".mov")
_3GP = ("video/3gpp", ".3gp")
_WEBM = ("video/webm", ".webm")
_MKV = ("video/x-matroska", ".mkv")
_READABLE = "photos (JPEG, PNG, WebP, TIFF, HEIC) and videos (MP4, MOV, WebM)"

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1",
               b"M4V ", b"M4VP", b"dash", b"MSNV"}


def sniff(head: bytes) -> tuple[str, str]:
    """``(mime type, extension)`` of an importable photo or video from its first bytes.

    Raises UnsupportedUpload with a message meant for the person uploading.
    """
    if head.startswith(b"\xff\xd8\xff"):
        return _JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _WEBP
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return _TIFF
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIF_BRANDS:
            return _HEIC
        if brand == b"qt  ":
            return _MOV
        if brand.startswith(b"3g"):
            return _3GP
        if brand in _MP4_BRANDS:
            return _MP4
    if head[:4] == b"\x1aE\xdf\xa3":  # EBML: WebM says so in its DocType
        return _WEBM if b"webm" in head else _MKV
    raise UnsupportedUpload(f"this file is not one the library can read: {_READABLE}")


def safe_stem(hint: str | None) -> str:
    """A harmless name stem from the client's filename: its last path part, without the
    extension, reduced to letters, digits, ``-`` and ``_`` (``upload`` when nothing is left)."""
    if not hint:
        return "upload"
    base = re.split(r"[\\/]", hint)[-1]          # a name, never a path (either separator)
    base = base.rsplit(".", 1)[0] if "." in base.strip(".") else base
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", base).strip("-_")[:_MAX_STEM].strip("-_")
    return stem or "upload"


def upload_name(hint: str | None, content_hash: bytes, extension: str) -> str:
    """The file name an upload is stored under: the same content always gets the same name
    (a retried upload lands on the same file), and it can never start with a dot."""
    return f"{safe_stem(hint)}-{content_hash.hex()[:16]}{extension}"
