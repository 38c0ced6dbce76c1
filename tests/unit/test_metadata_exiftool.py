"""Our metadata agrees with ``exiftool -j -n`` on every exif-samples JPEG.

exiv2 reads every file; exiftool fills what exiv2 found no date or camera for.
``bench/metadata_agreement.py`` prints the agreement with and without that fallback.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any

import pytest

from workers.ingest.metadata import read_metadata
from workers.protocol import PhotoMetadata

EXIFTOOL = shutil.which("exiftool")
pytestmark = pytest.mark.skipif(
    EXIFTOOL is None,
    reason="exiftool, the reference reader, is not installed (apt: libimage-exiftool-perl)",
)

# (file relative to exif-samples/jpg, field): why exiftool has a value exiv2 cannot give.
ALLOWED: dict[tuple[str, str], str] = {
    # Olympus PictureInfo (APP12) and Canon CIFF (APP0) files have no EXIF: exiv2 finds no
    # date or camera, so exiftool is asked (workers/ingest/exiftool_fallback.py) and fills the
    # date, camera and exposure. What is left is what the fallback does not ask for.
    # exiv2 rejects this Canon maker note ("Directory Canon with 4352 entries considered
    # invalid"); exiftool's ISO is a composite of Canon maker-note fields.
    ("tests/28-hex_value.jpg", "iso"): "Canon maker note unreadable by exiv2",
    # Camera ISO is 0x7fff ("Auto") and ShotInfo's base ISO is 0; exiftool's base ISO 50
    # comes from a Canon table exiv2 does not expose.
    ("tests/11-tests.jpg", "iso"): "Canon base ISO not exposed by exiv2",
    # Here exiftool prefers the Kodak maker note (1/32.1 s, f/3.9) over EXIF, which says
    # 1/30 s and f/4; we report the EXIF values.
    ("exif-org/kodak-dc240.jpg", "exposure_time"): "exiftool prefers the Kodak maker note",
    ("exif-org/kodak-dc240.jpg", "aperture"): "exiftool prefers the Kodak maker note",
}

# exiftool prints these ISO values as read; they mean "not recorded", which we store as None.
ISO_SENTINELS = {0, 65535}

_EXIF_DATE = re.compile(r"^(\d{4}):(\d{2}):(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?")


@pytest.fixture(scope="module")
def jpg_dir(fixtures_dir: Path) -> Path:
    path = fixtures_dir / "exif-samples" / "jpg"
    if not path.is_dir():
        pytest.skip(f"exif-samples not found under {fixtures_dir}")
    return path


@pytest.fixture(scope="module")
def exiftool_records(jpg_dir: Path) -> dict[str, dict[str, Any]]:
    out = subprocess.run(
        [EXIFTOOL, "-j", "-n", "-r", "-q", "-q", "-ext", "jpg", "-ext", "jpeg", str(jpg_dir)],
        capture_output=True,
        check=False,  # exiftool exits 1 when some file has errors; the JSON is still complete
    ).stdout
    records = json.loads(out)
    assert records, "exiftool returned no records"
    return {str(Path(r["SourceFile"]).relative_to(jpg_dir)): r for r in records}


def _date(record: dict[str, Any]) -> str | None:
    # The same precedence as ours: original (DateCreated is its XMP/IPTC twin, maybe
    # date-only), then digitized (CreateDate), then modified.
    for key in ("DateTimeOriginal", "DateCreated", "CreateDate", "ModifyDate"):
        match = _EXIF_DATE.match(str(record.get(key, "")))
        if match and not match.group(1).startswith("0000"):
            y, mo, d, h, mi, s = (part or "00" for part in match.groups())
            return f"{y}-{mo}-{d}T{h}:{mi}:{s}"
    return None


def _expected(record: dict[str, Any]) -> dict[str, Any]:
    orientation = record.get("Orientation")
    width, height = record.get("ImageWidth"), record.get("ImageHeight")
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    iso = record.get("ISO")
    if isinstance(iso, str):  # maker-note forms like "0 200"; EXIF's is numeric
        iso = None
    make, model = record.get("Make"), record.get("Model")
    return {
        "camera_make": str(make).strip() if make is not None else None,
        "camera_model": str(model).strip() if model is not None else None,
        "exposure_time": record.get("ExposureTime"),
        "aperture": record.get("FNumber"),
        "iso": None if iso in ISO_SENTINELS else iso,
        "focal_length": record.get("FocalLength"),
        "latitude": record.get("GPSLatitude"),
        "longitude": record.get("GPSLongitude"),
        "altitude": record.get("GPSAltitude"),
        "orientation": orientation,
        "width": width,
        "height": height,
        "taken_at_local": _date(record),
    }


def _agrees(field: str, ours: Any, theirs: Any) -> bool:
    if ours is None or theirs is None:
        return ours is None and theirs is None
    if field in ("latitude", "longitude"):
        return abs(ours - float(theirs)) < 1e-6  # ~0.1 m
    if field == "altitude":
        return abs(ours - float(theirs)) < 1e-3
    if field == "iso":
        return abs(ours - float(theirs)) <= 0.5  # composite ISOs are fractional
    if field in ("exposure_time", "aperture", "focal_length"):
        return math.isclose(ours, float(theirs), rel_tol=1e-6)
    return ours == theirs


@dataclass
class Agreement:
    """How many (file, field) values agree with exiftool, and those that do not."""

    compared: int = 0
    differences: list[tuple[str, str, Any, Any]] = dc_field(default_factory=list)

    @property
    def ratio(self) -> float:
        return 1 - len(self.differences) / self.compared


def agreement(jpg_dir: Path, records: dict[str, dict[str, Any]], *,
              fallback: bool) -> Agreement:
    """Our metadata (exiv2, plus exiftool for what exiv2 misses with ``fallback``) against
    exiftool's, field by field, over every exif-samples JPEG."""
    result = Agreement()
    files = sorted(p for p in jpg_dir.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg"))
    for path in files:
        name = str(path.relative_to(jpg_dir))
        meta: PhotoMetadata = read_metadata(str(path), None, fallback=fallback)
        for field, theirs in _expected(records[name]).items():
            result.compared += 1
            ours = getattr(meta, field)
            if not _agrees(field, ours, theirs):
                result.differences.append((name, field, ours, theirs))
    return result


def test_metadata_agrees_with_exiftool(
    jpg_dir: Path, exiftool_records: dict[str, dict[str, Any]]
) -> None:
    found = agreement(jpg_dir, exiftool_records, fallback=True)
    assert found.compared > 50 * 13
    mismatches = [f"{name}: {field} ours={ours!r} exiftool={theirs!r}"
                  for name, field, ours, theirs in found.differences
                  if (name, field) not in ALLOWED]
    assert not mismatches, "\n".join(mismatches)
    # Every allowance must still be needed, so the list cannot hide a regression.
    assert {(name, field) for name, field, _, _ in found.differences} == set(ALLOWED)
    assert found.ratio >= 0.995


def test_exiftool_fills_what_exiv2_misses_and_says_so(jpg_dir: Path) -> None:
    path = str(jpg_dir / "exif-org" / "sony-powershota5.jpg")  # Canon CIFF, no EXIF
    alone = read_metadata(path, None, fallback=False)
    assert alone.camera_model is None and alone.taken_at_local is None
    meta = read_metadata(path, None)
    assert (meta.camera_make, meta.camera_model) == ("Canon", "Canon PowerShot A5")
    assert meta.taken_at_local == "2000-10-27T22:56:26"
    assert meta.raw["Reader.taken_at"] == meta.raw["Reader.camera_model"] == "exiftool"
    assert "Reader.width" not in meta.raw  # exiv2's own values are not marked
    # A file exiv2 reads fully is not sent to exiftool at all.
    full = read_metadata(str(jpg_dir / "Canon_40D.jpg"), None)
    assert not any(key.startswith(("Reader.", "ExifTool.")) for key in full.raw)


def test_the_exiftool_process_dies_with_its_worker(jpg_dir: Path, tmp_path: Path) -> None:
    """One exiftool per worker process, reused, and gone when that process is killed."""
    script = tmp_path / "worker.py"
    script.write_text(
        "import os, sys\n"
        "from workers.ingest.metadata import read_metadata\n"
        "from workers.ingest import exiftool_fallback as fb\n"
        "for _ in range(3):\n"
        f"    read_metadata({str(jpg_dir / 'exif-org' / 'sony-powershota5.jpg')!r})\n"
        "print(fb._shared()._proc.pid, flush=True)\n"
        "sys.stdin.read()\n")
    worker = subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": os.getcwd()})
    try:
        assert worker.stdout is not None
        exiftool_pid = int(worker.stdout.readline())
        children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(worker.pid)],
                                  capture_output=True, text=True, check=False).stdout.split()
        assert children == [str(exiftool_pid)]  # one process for the three files
    finally:
        worker.kill()
        worker.wait()
    for _ in range(100):
        if not Path(f"/proc/{exiftool_pid}").exists():
            break
        time.sleep(0.05)
    assert not Path(f"/proc/{exiftool_pid}").exists()


def test_apple_content_identifier_agrees_with_exiftool(fixtures_dir: Path,
                                                       tmp_path: Path) -> None:
    """An iPhone photo's live-photo id (Apple maker note tag 0x0011, undecoded by exiv2)."""
    from workers.ingest.makernotes import apple_content_identifier
    from workers.ingest.tags import read_tags

    path = fixtures_dir / "exif-samples" / "heic" / "IMG_5195.HEIC"
    out = subprocess.run([str(EXIFTOOL), "-j", "-Apple:All", str(path)], capture_output=True,
                         check=True)
    theirs = json.loads(out.stdout)[0]
    expected = theirs.get("ContentIdentifier") or theirs.get("MediaGroupUUID")
    assert expected
    meta = read_metadata(str(path), None, fallback=False)
    assert meta.raw["Exif.Apple.ContentIdentifier"] == expected
    # A maker note cut short (a damaged file) gives no id, and no error.
    tags = read_tags(path.read_bytes())
    note = tags.values["Exif.Photo.MakerNote"]
    tags.values["Exif.Photo.MakerNote"] = " ".join(str(note).split()[:40])
    assert apple_content_identifier(tags) is None
