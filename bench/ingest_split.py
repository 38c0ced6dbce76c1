"""CPU before a photo can be announced: the grid-first ingest vs making every size first.

Measures process CPU time (not wall time, so other load on the machine matters little) for
one 12 MP JPEG: the single task bulk imports run (decode at preview size, write preview +
grid), the grid-first task live arrivals run (decode at grid size, metadata, grid +
placeholder) and the preview task that follows it.

    python bench/ingest_split.py [--runs 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_drop_to_visible import make_jpegs

from workers.ingest.pipeline import ingest_file, make_preview


def cpu_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        [jpeg] = make_jpegs(Path(folder), 1)
        out, key = str(Path(folder) / "t"), "ab" * 32
        path = str(jpeg)
        ingest_file(path, key, out)  # warm imports and caches
        before = cpu_ms(lambda: ingest_file(path, key, out), args.runs)
        grid = cpu_ms(lambda: ingest_file(path, key, out, grid_first=True), args.runs)
        preview = cpu_ms(lambda: make_preview(path, key, out), args.runs)
    print(f"12 MP JPEG, median CPU of {args.runs} runs:")
    print(f"  bulk:   every size, then announce        {before:6.1f} ms")
    print(f"  live:   grid + placeholder, announce  {grid:6.1f} ms  ({before / grid:.1f}x less "
          "before the photo is announced)")
    print(f"          then the preview task          {preview:6.1f} ms  (total "
          f"{grid + preview:.1f} ms, {100 * (grid + preview) / before - 100:+.0f}%)")


if __name__ == "__main__":
    main()
