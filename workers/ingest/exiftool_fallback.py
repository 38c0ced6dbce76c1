"""Ask exiftool for what exiv2 could not find: the capture date and the camera.

Some old cameras keep their metadata where exiv2 does not look (Canon CIFF in APP0, Olympus
PictureInfo in APP12, Reconyx maker notes). When exiv2 finds no capture date or no camera
and ``exiftool`` is installed, one long-lived ``exiftool -stay_open True -@ -`` process per
worker process reads the file (a process per file costs ~170 ms, a request ~5 ms). Only
fields exiv2 left empty are filled, and ``raw["Reader.<field>"]`` says exiftool gave them.

    fill_missing(metadata, fd)  # fd: the file as opened inside the library (open_inside)

exiftool is handed ``/proc/<pid>/fd/<fd>``, the file this worker already opened inside the
library's folders, never a path it would resolve again (no link swapped in between).
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import selectors
import shutil
import signal
import subprocess
import sys
import threading
from typing import Any

from workers.ingest.taken_at import parse_date, parse_offset
from workers.protocol import PhotoMetadata

__all__ = ["EXIFTOOL_READER", "ExifToolProcess", "fill_missing", "needs_fallback"]

log = logging.getLogger(__name__)

EXIFTOOL_READER = "exiftool"
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_TIMEOUT_S = 20.0  # a request taking longer means exiftool hangs: restart it
# (date tag, its offset tag), best first: the same precedence as ours for exiv2.
_DATES = (("DateTimeOriginal", "OffsetTimeOriginal"), ("CreateDate", "OffsetTimeDigitized"),
          ("ModifyDate", "OffsetTime"))
_NUMBERS = {"exposure_time": "ExposureTime", "aperture": "FNumber",
            "focal_length": "FocalLength", "iso": "ISO"}
_TAGS = ("Make", "Model", *(d for pair in _DATES for d in pair), *_NUMBERS.values())


def _die_with_parent(parent: int) -> Any:
    """A preexec_fn: the child gets SIGTERM when the worker dies, however it dies
    (exiftool keeps polling a closed stdin, so it would outlive a killed worker)."""

    def setup() -> None:
        if sys.platform.startswith("linux"):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the worker died before prctl took effect
            os._exit(1)

    return setup


class ExifToolProcess:
    """One ``exiftool -stay_open`` process answering one request at a time."""

    def __init__(self, executable: str) -> None:
        self._executable = executable
        self._proc: subprocess.Popen[bytes] | None = None
        self._pid = 0  # the process that started it (a forked worker must start its own)
        self._lock = threading.Lock()
        self._serial = 0

    def _start(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._pid != os.getpid() or self._proc.poll() is not None:
            self._proc = subprocess.Popen(
                [self._executable, "-stay_open", "True", "-@", "-"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C goes to the worker, which stops it
                preexec_fn=_die_with_parent(os.getpid()))
            self._pid = os.getpid()
        return self._proc

    def read(self, fd: int) -> dict[str, Any]:
        """The tags exiftool reads from the open file ``fd`` (numbers unformatted, -n)."""
        with self._lock:
            proc = self._start()
            self._serial += 1
            ready = f"{{ready{self._serial}}}\n".encode()
            # /proc/<pid>/fd/<n> holds no newline, so the argument file cannot be split.
            args = ["-j", "-n", "-q", "-q", *(f"-{t}" for t in _TAGS),
                    f"/proc/{os.getpid()}/fd/{fd}", f"-execute{self._serial}"]
            assert proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.write(("\n".join(args) + "\n").encode())
                proc.stdin.flush()
                out = self._read_until(proc, ready)
            except (OSError, TimeoutError) as exc:
                log.warning("exiftool did not answer (%s); restarting it", exc)
                self.close()
                return {}
        try:
            records = json.loads(out[: -len(ready)] or b"[]")
        except ValueError:
            return {}
        return records[0] if records and isinstance(records[0], dict) else {}

    @staticmethod
    def _read_until(proc: subprocess.Popen[bytes], ready: bytes) -> bytes:
        assert proc.stdout is not None
        out = b""
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            while not out.endswith(ready):
                if not sel.select(_TIMEOUT_S):
                    raise TimeoutError("no answer within the timeout")
                chunk = proc.stdout.read1(65536)
                if not chunk:
                    raise OSError("exiftool exited")
                out += chunk
        return out

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or self._pid != os.getpid():
            return
        try:
            if proc.poll() is None and proc.stdin is not None:
                proc.stdin.write(b"-stay_open\nFalse\n")
                proc.stdin.flush()
            proc.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()


_process: ExifToolProcess | None = None
_looked_up = False


def _shared() -> ExifToolProcess | None:
    """This worker process's exiftool, started on first use; None when not installed."""
    global _process, _looked_up
    if not _looked_up:
        _looked_up = True
        executable = shutil.which("exiftool")
        _process = ExifToolProcess(executable) if executable else None
    return _process


def needs_fallback(meta: PhotoMetadata) -> bool:
    """exiv2 found no capture date, or no camera."""
    return meta.taken_at_local is None or not (meta.camera_make or meta.camera_model)


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and value > 0 else None


def apply_record(meta: PhotoMetadata, record: dict[str, Any]) -> list[str]:
    """Fill the fields ``meta`` lacks from an exiftool record; the names of those filled."""
    filled: list[str] = []
    if not (meta.camera_make or meta.camera_model):
        for name, tag in (("camera_make", "Make"), ("camera_model", "Model")):
            if (value := _text(record.get(tag))) is not None:
                setattr(meta, name, value)
                filled.append(name)
    if meta.taken_at_local is None:
        for date_tag, offset_tag in _DATES:
            parsed = parse_date(_text(record.get(date_tag)))
            if parsed is None:
                continue
            local, offset = parsed
            if offset is None:
                offset = parse_offset(_text(record.get(offset_tag)))
            meta.taken_at_local = local.isoformat()
            meta.taken_at_offset = offset
            meta.taken_at_source = "offset" if offset is not None else "floating"
            filled.append("taken_at")
            break
    for name, tag in _NUMBERS.items():
        if getattr(meta, name) is None and (value := _number(record.get(tag))) is not None:
            setattr(meta, name, round(value) if name == "iso" else value)
            filled.append(name)
    return filled


def fill_missing(meta: PhotoMetadata, fd: int) -> PhotoMetadata:
    """``meta`` with its missing date, camera and exposure filled by exiftool where it can."""
    if not needs_fallback(meta):
        return meta
    process = _shared()
    if process is None:
        return meta
    record = process.read(fd)
    filled = apply_record(meta, record)
    # Flat keys beside exiv2's ("Exif.Image.Make"...): "Reader.<field>" names the reader of
    # a filled field (fields without one came from exiv2), "ExifTool.<tag>" what it read.
    for name in filled:
        meta.raw[f"Reader.{name}"] = EXIFTOOL_READER
    if filled:
        meta.raw.update({f"ExifTool.{k}": v for k, v in record.items()
                         if k != "SourceFile" and isinstance(v, str | int | float)})
    return meta
