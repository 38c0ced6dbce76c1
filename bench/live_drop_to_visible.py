"""Drop-to-visible: a 12 MP JPEG copied into a watched folder -> PHOTO_ADDED at a WebSocket client.

The real server (in this process) with the watcher on a folder and the real worker pool; the
client is a graphql-transport-ws socket subscribed to the library. Files are dropped one at a
time; each latency runs from the start of the copy to the client receiving its event.

    PHOTONIX_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        python bench/live_drop_to_visible.py [--files 50]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from uuid import UUID

import numpy as np
from PIL import Image
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_common import running_server, summary

from photonix_rt.watcher.watch import Watcher

QUERY = "subscription($l: ID) { events(libraryId: $l) { kind payload } }"


def make_jpegs(folder: Path, count: int) -> list[Path]:
    """Distinct 12 MP (4000x3000) JPEGs with EXIF, with sensor-like noise so they weigh
    what camera JPEGs weigh (a few MB), not what a flat gradient does."""
    rng = np.random.default_rng(12)
    gradient = np.asarray(Image.linear_gradient("L").resize((4000, 3000)), dtype=np.int16)
    exif = Image.Exif()
    exif[0x010F] = "BenchCam"  # Make
    exif[0x0110] = "Drop 12"   # Model
    paths = []
    for i in range(count):
        noise = rng.normal(0, 10, (3000, 4000, 3)).astype(np.int16)
        pixels = np.stack([gradient, (gradient + 5 * i) % 256, gradient[:, ::-1]], axis=2)
        image = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=90, exif=exif)
        path = folder / f"photo_{i:03d}.jpg"
        path.write_bytes(out.getvalue())
        paths.append(path)
    return paths


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    source = Path(tempfile.mkdtemp(prefix="photonix-drop-src-"))
    print(f"making {args.files} 12 MP JPEGs...", flush=True)
    jpegs = await asyncio.to_thread(make_jpegs, source, args.files)
    size_mb = jpegs[0].stat().st_size / 1e6
    async with running_server(workers=args.workers) as live:
        library = UUID(live.library_id)

        async def load_paths() -> list[tuple[UUID, str]]:
            return [(library, str(live.folder))]

        watcher = Watcher(live.services.importer, load_paths,
                          rescan_interval_s=live.services.config.rescan_interval_s)
        await watcher.start(initial_scan=False)
        request = HTTPRequest(live.url.replace("http", "ws", 1) + "/graphql")
        socket = await websocket_connect(request, subprotocols=["graphql-transport-ws"])
        await socket.write_message(json.dumps({"type": "connection_init",
                                               "payload": {"token": live.token}}))
        assert json.loads(await socket.read_message())["type"] == "connection_ack"
        await socket.write_message(json.dumps({"id": "1", "type": "subscribe", "payload": {
            "query": QUERY, "variables": {"l": live.library_id}}}))
        await asyncio.sleep(0.5)
        # Warm the worker pool (process start, imports) outside the measurement.
        warm = live.folder / "warm.jpg"
        await asyncio.to_thread(shutil.copyfile, jpegs[0], source / "w.jpg")
        await asyncio.to_thread(shutil.copyfile, source / "w.jpg", warm)
        while True:
            message = json.loads(await socket.read_message())
            if json.loads(message["payload"]["data"]["events"]["payload"]).get("path") == \
                    str(warm):
                break
        latencies = []
        for path in jpegs[1:] if len(jpegs) > 1 else jpegs:
            target = live.folder / path.name
            start = time.perf_counter()
            await asyncio.to_thread(shutil.copyfile, path, target)
            while True:
                raw = await asyncio.wait_for(socket.read_message(), 60)
                event = json.loads(raw)["payload"]["data"]["events"]
                if event["kind"] == "PHOTO_ADDED" and \
                        json.loads(event["payload"]).get("path") == str(target):
                    break
            latencies.append((time.perf_counter() - start) * 1000)
        socket.close()
        await watcher.close()
    shutil.rmtree(source, ignore_errors=True)
    print(f"drop-to-visible, {len(latencies)} files of {size_mb:.1f} MB (12 MP), "
          f"{args.workers} workers")
    print("  " + summary("copy -> PHOTO_ADDED at the client", latencies))


if __name__ == "__main__":
    asyncio.run(main())
