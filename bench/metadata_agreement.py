"""Metadata agreement with exiftool on the exif-samples JPEGs, before and after the fallback.

    PHOTONIX_FIXTURES=../shared/fixtures python bench/metadata_agreement.py

"before": exiv2 alone; "after": exiv2, plus one long-lived exiftool process asked for the
files where exiv2 found no capture date or camera. Prints the share of (file, field) values
that agree, each remaining difference, and the per-file time of both readings.
Goal (issue 13): >= 99.5% agreement.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.unit.test_metadata_exiftool import ALLOWED, agreement


def main() -> None:
    exiftool = shutil.which("exiftool")
    if exiftool is None:
        raise SystemExit("needs exiftool (Debian: libimage-exiftool-perl)")
    fixtures = Path(os.environ.get("PHOTONIX_FIXTURES", "../shared/fixtures"))
    jpg_dir = fixtures / "exif-samples" / "jpg"
    out = subprocess.run([exiftool, "-j", "-n", "-r", "-q", "-q", "-ext", "jpg", "-ext", "jpeg",
                          str(jpg_dir)], capture_output=True, check=False).stdout
    records = {str(Path(r["SourceFile"]).relative_to(jpg_dir)): r for r in json.loads(out)}
    for label, fallback in (("before: exiv2 only", False), ("after: exiv2 + exiftool", True)):
        start = time.perf_counter()
        found = agreement(jpg_dir, records, fallback=fallback)
        elapsed = time.perf_counter() - start
        print(f"{label:28} {found.compared - len(found.differences)}/{found.compared} fields "
              f"agree = {found.ratio:.2%} ({elapsed / len(records) * 1000:.1f} ms/file)")
        for name, field, ours, theirs in found.differences:
            why = ALLOWED.get((name, field), "")
            print(f"    {name}: {field} ours={ours!r} exiftool={theirs!r}  {why}")


if __name__ == "__main__":
    main()
