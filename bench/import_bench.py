"""Import throughput: photonix-rt's importer against Photonix's approach, in the same run.

Generates full-size 12 MP JPEGs (with EXIF), then measures, on the same files:
- photonix-rt: the real importer (hash, metadata, thumbnails, database rows) with its
  worker pool, against a fresh database;
- baseline (Photonix's way): ``exiftool`` once per file, a full decode, two resizes and saves;
- floor: decoding each JPEG at reduced size only (Pillow ``draft``), one process.

``--raw N`` adds 24 MP DNGs (made like tests/media_samples.py does: a Bayer mosaic of a
photo-like scene), half with a 1620 px embedded JPEG preview (the usual camera layout), half
without (a half-size demosaic); baseline: Photonix's way for RAW, a full-size demosaic
(dcraw-like) per file. ``--videos N`` adds 10 s 1080p30 H.264 clips; baseline: decoding
every frame (what a per-frame reader pays); ours reads three frames for the poster.

Usage: ``.venv/bin/python bench/import_bench.py [--count 24] [--raw 6] [--videos 4] [--workers N]``
(uses DATABASE_URL when set, else an embedded PostgreSQL in a temporary folder).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from photonix_rt.app import open_database
from photonix_rt.config import Config
from photonix_rt.events.memory_bus import MemoryBus
from photonix_rt.pool_client import PoolClient
from photonix_rt.services.events import EventService
from photonix_rt.services.importer import Importer


def make_photos(folder: Path, count: int) -> list[Path]:
    """12 MP JPEGs with camera EXIF that compress like phone photos (about 2 MB each):
    smooth random colour fields (upscaled noise) plus fine sensor-like grain."""
    rng = np.random.default_rng(7)
    h, w = 3000, 4000
    paths = []
    for i in range(count):
        field = rng.uniform(0, 255, size=(24, 32, 3)).astype(np.uint8)
        smooth = np.asarray(Image.fromarray(field).resize((w, h), Image.Resampling.BICUBIC))
        grain = rng.normal(0, 4, size=(h, w, 3)).astype(np.float32)
        pixels = np.clip(smooth + grain, 0, 255).astype(np.uint8)
        image = Image.fromarray(pixels, "RGB")
        exif = Image.Exif()
        exif[0x010F] = "BenchCam"          # Make
        exif[0x0110] = "Model 12"          # Model
        exif[0x0132] = f"2024:06:{1 + i % 28:02d} 12:00:00"  # DateTime
        path = folder / f"photo_{i:03d}.jpg"
        image.save(path, "JPEG", quality=90, exif=exif)
        paths.append(path)
    return paths


def scene(width: int, height: int, seed: int) -> np.ndarray:
    """A photo-like RGB picture: smooth colour fields plus grain (compresses like a photo)."""
    rng = np.random.default_rng(seed)
    field = rng.uniform(0, 255, size=(24, 32, 3)).astype(np.uint8)
    smooth = np.asarray(Image.fromarray(field).resize((width, height),
                                                      Image.Resampling.BICUBIC))
    grain = rng.normal(0, 4, size=(height, width, 3)).astype(np.float32)
    return np.clip(smooth + grain, 0, 255).astype(np.uint8)


def _samples() -> Any:
    """tests/media_samples.py (the repository's root may not be on sys.path)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests import media_samples

    return media_samples


def make_raws(folder: Path, count: int) -> list[Path]:
    make_dng = _samples().make_dng

    paths = []
    for i in range(count):
        preview = (1620, 1080) if i % 2 == 0 else None
        paths.append(make_dng(folder / f"raw_{i:03d}.dng", (6000, 4000), preview=preview,
                              scene=scene(6000, 4000, 100 + i)))
    return paths


def make_videos(folder: Path, count: int) -> list[Path]:
    make_video = _samples().make_video

    return [make_video(folder / f"clip_{i:03d}.mp4", (1920, 1080), seconds=10, fps=30,
                       frames=[Image.fromarray(scene(1920, 1080, 200 + 2 * i + k))
                               for k in range(2)]) for i in range(count)]


def raw_baseline_one(path: Path) -> None:
    """Photonix's RAW path (dcraw): a full-size demosaic, then the JPEG thumbnails."""
    import rawpy

    with rawpy.imread(str(path)) as raw:
        image = Image.fromarray(raw.postprocess(use_camera_wb=True, output_bps=8))
    image.thumbnail((1920, 1920))
    image.save(path.with_suffix(".baseline.jpg"), "JPEG", quality=85)


def video_baseline_one(path: Path) -> None:
    """Every frame decoded (a per-frame reader's cost)."""
    import av

    with av.open(str(path)) as container:
        for _ in container.decode(video=0):
            pass


def baseline_one(path: Path, out: Path) -> None:
    """Photonix's import of one file: exiftool per file, full decode, resize, save."""
    subprocess.run(["exiftool", "-j", str(path)], check=True, capture_output=True)
    with Image.open(path) as image:
        image.load()
        for size, name in ((1920, "large"), (256, "small")):
            copy = image.copy()
            copy.thumbnail((size, size), Image.Resampling.LANCZOS)
            copy.save(out / f"{path.stem}_{name}.jpg", "JPEG", quality=85)


def floor_one(path: Path) -> None:
    with Image.open(path) as image:
        image.draft("RGB", (1440, 1440))
        image.load()


async def importer_run(folder: Path, expected: int, workers: int, data_dir: Path) -> float:
    config = Config(data_dir=data_dir, workers=workers,
                    database_url=os.environ.get("DATABASE_URL"))
    async with open_database(config) as db:
        pool = PoolClient(workers)
        try:
            # Warm the worker processes (spawn + imports) outside the timed part.
            warm = Path(tempfile.mkdtemp())
            Image.new("RGB", (64, 64)).save(warm / "warm.jpg")
            library = await db.fetchval(
                "INSERT INTO libraries (name) VALUES ($1) RETURNING id", f"bench-{uuid.uuid4()}")
            importer = Importer(db, config, pool, EventService(db, MemoryBus()))
            await asyncio.gather(*(importer.import_directory(library, warm)
                                   for _ in range(workers)))
            started = time.perf_counter()
            summary = await importer.import_directory(library, folder)
            elapsed = time.perf_counter() - started
            assert summary.counts.get("new") == expected, summary
            assert not summary.failures, summary.failures
            return elapsed
        finally:
            await pool.close()


def kind_figures(root: Path, kind: str, count: int, workers: int) -> None:
    """Import figures for RAW files or videos, with their baseline, in the same run."""
    folder = root / kind
    folder.mkdir()
    print(f"\ngenerating {count} {kind} files ...", flush=True)
    paths = make_raws(folder, count) if kind == "raw" else make_videos(folder, count)
    size_mb = sum(p.stat().st_size for p in paths) / len(paths) / 1e6
    baseline = raw_baseline_one if kind == "raw" else video_baseline_one
    started = time.perf_counter()
    for path in paths:
        baseline(path)
        path.with_suffix(".baseline.jpg").unlink(missing_ok=True)
    baseline_s = time.perf_counter() - started
    if kind == "raw":  # the preview and the demosaic paths, each imported on its own
        groups = {"with 1620 px preview": paths[0::2], "no preview (half demosaic)": paths[1::2]}
    else:
        groups = {"10 s 1080p30 H.264": paths}
    print(f"  {size_mb:.1f} MB each")
    print(f"{'':38}{'files/s':>10}{'ms/file':>10}")
    label = "full demosaic (1 proc)" if kind == "raw" else "decode every frame (1 proc)"
    n = len(paths)
    print(f"{'baseline: ' + label:38}{n / baseline_s:10.2f}{1000 * baseline_s / n:10.0f}")
    ours_total = 0.0
    for name, group in groups.items():
        if not group:
            continue
        sub = folder / name.split()[0]
        sub.mkdir()
        for path in group:
            path.rename(sub / path.name)
        ours_s = asyncio.run(importer_run(sub, len(group), workers,
                                          root / f"data-{kind}-{sub.name}"))
        ours_total += ours_s
        print(f"{f'photonix-rt {name}':38}{len(group) / ours_s:10.2f}"
              f"{1000 * ours_s / len(group):10.0f}")
    print(f"{kind} speed-up over baseline ({workers} workers): {baseline_s / ours_total:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=24)
    parser.add_argument("--raw", type=int, default=0, help="24 MP DNGs to add (even: half "
                        "with an embedded preview)")
    parser.add_argument("--videos", type=int, default=0, help="10 s 1080p H.264 clips to add")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    if shutil.which("exiftool") is None:
        raise SystemExit("the baseline needs exiftool (Debian: libimage-exiftool-perl)")

    root = Path(tempfile.mkdtemp(prefix="photonix-bench-"))
    try:
        photos = root / "photos"
        photos.mkdir()
        print(f"generating {args.count} 12 MP JPEGs ...", flush=True)
        paths = make_photos(photos, args.count)
        size_mb = sum(p.stat().st_size for p in paths) / len(paths) / 1e6
        print(f"  {size_mb:.1f} MB each")

        out = root / "baseline"
        out.mkdir()
        started = time.perf_counter()
        for path in paths:
            baseline_one(path, out)
        baseline_s = time.perf_counter() - started

        started = time.perf_counter()
        for path in paths:
            floor_one(path)
        floor_s = time.perf_counter() - started

        ours_s = asyncio.run(importer_run(photos, len(paths), args.workers, root / "data"))

        n = len(paths)
        print(f"\n{'':38}{'photos/s':>10}{'ms/photo':>10}")
        print(f"{'baseline: exiftool + full decode (1 proc)':38}{n / baseline_s:10.2f}"
              f"{1000 * baseline_s / n:10.0f}")
        print(f"{'floor: reduced-size decode (1 proc)':38}{n / floor_s:10.2f}"
              f"{1000 * floor_s / n:10.0f}")
        print(f"{f'photonix-rt import ({args.workers} workers)':38}{n / ours_s:10.2f}"
              f"{1000 * ours_s / n:10.0f}")
        print(f"\nspeed-up over baseline: {baseline_s / ours_s:.1f}x")
        print(f"import cost vs reduced-size decode on {args.workers} core(s): "
              f"{ours_s / (floor_s / args.workers):.1f}x")
        for kind, count in (("raw", args.raw), ("video", args.videos)):
            if count:
                kind_figures(root, kind, count, args.workers)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
