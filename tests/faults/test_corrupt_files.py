"""A few hundred corrupt files dropped in at once: every one is recorded (ok, or error with a
reason), and the worker pool is alive afterwards (a good file dropped last is imported)."""

from __future__ import annotations

import asyncio
import io
import random
import struct
from pathlib import Path

import pytest
from PIL import Image

from tests.faults.harness import SETTLE_S, Deployment, make_photo_bytes, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.slow]



def _with_exif(seed: int) -> bytes:
    """A small JPEG with an EXIF block (camera, date, orientation) to damage."""
    image = Image.open(io.BytesIO(make_photo_bytes(seed, (96, 64))))
    exif = Image.Exif()
    exif[0x010F] = "Corrupt Cameras"       # Make
    exif[0x0110] = f"Model {seed}"      # Model
    exif[0x0112] = 6                       # Orientation
    exif[0x0132] = "2021:06:01 12:00:00"   # DateTime
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _huge_dimensions(data: bytes, width: int = 65000, height: int = 65000) -> bytes:
    """The SOF0 marker's declared size replaced (a decompression bomb's header)."""
    at = data.find(b"\xff\xc0")
    assert at > 0
    return data[:at + 5] + struct.pack(">HH", height, width) + data[at + 9:]


def _png_huge(seed: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (seed % 256, 0, 0)).save(out, "PNG")
    data = bytearray(out.getvalue())
    data[16:24] = struct.pack(">II", 1 << 30, 1 << 30)  # IHDR width, height (CRC now wrong)
    return bytes(data)


def corrupt_variants(sources: list[bytes], count: int, rng: random.Random) -> list[bytes]:
    """Truncations, flipped bytes in the header and EXIF, empty files, huge dimensions."""
    made: list[bytes] = []
    kinds = ["truncate", "flip_header", "flip_exif", "empty", "huge", "png_huge", "garbage",
             "truncate_header"]
    for n in range(count):
        src = sources[n % len(sources)]
        kind = kinds[n % len(kinds)]
        if kind == "truncate":
            data = src[:rng.randrange(len(src) // 4, len(src) - 1)]
        elif kind == "truncate_header":
            data = src[:rng.randrange(2, 200)]
        elif kind == "flip_header":
            data = bytearray(src)
            for _ in range(rng.randrange(1, 8)):
                data[rng.randrange(2, min(600, len(data)))] ^= 1 << rng.randrange(8)
            data = bytes(data)
        elif kind == "flip_exif":
            data = bytearray(src)
            start = max(src.find(b"Exif"), 2)
            for _ in range(rng.randrange(4, 32)):
                data[start + rng.randrange(0, 200)] = rng.randrange(256)
            data = bytes(data)
        elif kind == "empty":
            data = b""
        elif kind == "huge":
            data = _huge_dimensions(src)
        elif kind == "png_huge":
            data = _png_huge(n)
        else:
            data = b"\xff\xd8\xff\xe0" + rng.randbytes(rng.randrange(10, 4000))
        made.append(data + n.to_bytes(4, "big") if kind not in {"empty"} else data)
    return made


def write_all(folder: Path, blobs: list[bytes], prefix: str, suffix: str = ".jpg") -> list[Path]:
    paths = []
    for n, data in enumerate(blobs):
        path = folder / f"{prefix}-{n:04d}{suffix}"
        path.write_bytes(data)
        paths.append(path)
    return paths


async def test_hundreds_of_corrupt_files_are_each_recorded_and_the_pool_survives(
        deployment: Deployment) -> None:
    server = await deployment.start_server("one")
    await deployment.create_library(server, deployment.inbox)
    await deployment.wait_stages()

    rng = random.Random(20261204)
    sources = [_with_exif(seed) for seed in range(4)]
    blobs = corrupt_variants(sources, 300, rng)
    corrupt = await asyncio.to_thread(write_all, deployment.inbox, blobs, "bad")
    # PNG headers with jpg names and real names both: the importer decides by content.
    pngs = await asyncio.to_thread(write_all, deployment.inbox,
                                   [_png_huge(n) for n in range(10)], "huge", ".png")
    corrupt += pngs

    async def all_recorded() -> bool:
        return {str(p) for p in corrupt} <= set(await deployment.files())

    await wait_until(all_recorded, SETTLE_S * 2, "every corrupt file recorded")
    files = await deployment.files()
    for path in corrupt:
        status, error = files[str(path)]
        assert status in {"ok", "error"}, (path, status)
        if status == "error":
            assert error and error.strip(), f"{path}: an error without a reason"
    errors = [p for p in corrupt if files[str(p)][0] == "error"]
    assert len(errors) >= len(corrupt) // 2, "most of these files cannot be photos"
    assert server.process.poll() is None, server.output()

    # The pool is alive: a good file dropped last is imported.
    good = deployment.inbox / "good-last.jpg"
    await asyncio.to_thread(good.write_bytes, make_photo_bytes(424242))

    async def good_imported() -> bool:
        return str(good) in await deployment.ok_paths()

    await wait_until(good_imported, SETTLE_S, "the good file imported after the corrupt ones")
    health = await deployment.gql(server, "{ libraries { photoCount } }")
    assert health.data["libraries"][0]["photoCount"] >= 1
