"""Widget fan-out: N share-link sockets on one server process, photos added to the album live.

What an embedded gallery costs the server: N ``/embed/v1/<token>/live`` sockets on one album
share (as N visitors of pages embedding it), then ``--rate`` photos a second put into the
album through the real edit path (``addToAlbum``: transaction, event, bus, the share's scope
check, one frame for all sockets). Prints the delivery latency (the add is called -> a client
has read the ``added`` message) at p50/p99, the server's resident memory and CPU, and the same
latency with a single socket measured in the same run as the baseline (ratio p99 N / p99 1).
Goal (issue 9): p99 <= 100 ms at 1,000 sockets and 10 photos/s.

To tell the server's part from the machine's: the fan-out loop's wall time and its thread CPU
time per message, and the CPU of a bare ``socket.send`` of a frame of the same size to every
socket (the floor: the kernel's loopback work, paid by the sender). Loop CPU close to the
floor means the Python around the sends is not what costs; wall far above CPU means the
process waited for a core (a loaded machine).

    PHOTONIX_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        python bench/widget_fanout.py [--sockets 1000] [--rate 10] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_common import ROOT, Live, percentile, rss_mb, running_server
from live_fanout import cpu_seconds

from photonix_rt.auth.identity import Viewer
from photonix_rt.http.wire import text_frame
from photonix_rt.services import share_live
from photonix_rt.services.share_limits import ShareLimitConfig, ShareLimits
from photonix_rt.store import photos as photos_store
from photonix_rt.store.photos import NewPhoto

# Server-side time of each fan-out (the loop that hands one message to every socket), to
# tell the server's share of the latency from the pipeline's and the clients'.
# Wall time says how long the last socket waited; the thread's CPU time is what the loop
# itself costs, which a loaded machine (the process waiting for a core) does not inflate.
_broadcast_ms: list[float] = []
_broadcast_cpu_ms: list[float] = []
_plain_broadcast = share_live._Group.broadcast


def _timed_broadcast(self: Any, *bodies: dict[str, Any]) -> None:
    start, cpu = time.perf_counter(), time.thread_time()
    _plain_broadcast(self, *bodies)
    if any(body.get("type") == "added" for body in bodies):
        _broadcast_ms.append((time.perf_counter() - start) * 1000)
        _broadcast_cpu_ms.append((time.thread_time() - cpu) * 1000)


def send_floor(live: Live, frame: bytes, rounds: int = 20) -> tuple[float, float]:
    """The floor under the fan-out loop: CPU ms of one bare ``socket.send`` of a frame the
    clients ignore to every share socket (no Python around it), median of ``rounds``."""
    socks = []
    for group in live.services.shares.live._groups.values():
        for member in group.members:
            stream = member.send.__self__.ws_connection.stream  # the handler's IOStream
            socks.append(stream.socket)
    cpus, walls = [], []
    for _ in range(rounds):
        start, cpu = time.perf_counter(), time.thread_time()
        for sock in socks:
            with contextlib.suppress(OSError):
                sock.send(frame)
        cpus.append((time.thread_time() - cpu) * 1000)
        walls.append((time.perf_counter() - start) * 1000)
        time.sleep(0.05)  # as far apart as the photos: the clients read in between
    return percentile(cpus, 50), percentile(walls, 50)


share_live._Group.broadcast = _timed_broadcast  # type: ignore[method-assign]

NODE_CLIENTS = r"""
import WebSocket from 'ws';
import { writeFileSync } from 'fs';
const [url, count, expected, out] = process.argv.slice(2);
const n = Number(count), want = Number(expected);
const seen = [];   // [photo id, received at (ms since epoch)]
let ready = 0, received = 0, closed = 0;
const ADDED = '{"type":"added","photos":{"id":["';
function now() { return performance.timeOrigin + performance.now(); }
function open(i) {
  const ws = new WebSocket(url);
  let live = false;
  ws.on('message', (data) => {
    const s = data.toString();
    if (s.startsWith(ADDED)) {
      // The ids (a burst may come as one message), without parsing the whole message.
      const at = now(), from = ADDED.length;
      for (const id of s.slice(from, s.indexOf('"]', from)).split('","')) {
        seen.push([id, at]);
        received++;
      }
      if (received === n * want) finish();
    } else if (s === '{"type":"ready"}') {
      live = true;
      if (++ready === n) console.log('ready');
    }
  });
  ws.on('close', (code) => {
    if (!live) { setTimeout(() => open(i), 50); return; }  // refused while connecting: retry
    closed++;
    if (code !== 1000 && code !== 1005) console.error('closed', code);
  });
  ws.on('error', () => undefined);
}
function finish() {
  writeFileSync(out, JSON.stringify({ received, closed, seen }));
  process.exit(0);
}
process.on('SIGTERM', finish);
(async () => {
  for (let i = 0; i < n; i++) {
    open(i);
    if (i % 50 === 49) await new Promise(r => setTimeout(r, 20));
  }
})();
"""


async def new_photo(live: Live, i: int) -> UUID:
    content = secrets.token_bytes(16)
    photo_id, _ = await photos_store.insert_photo(live.services.db, NewPhoto(
        library_id=UUID(live.library_id), content_hash=hashlib.sha256(content).digest(),
        taken_at=None, taken_at_local=None, taken_at_offset=None, taken_at_zone=None,
        taken_at_source=None, camera_id=None, lens_id=None, exposure_time=None, aperture=None,
        iso=None, focal_length=None, flash=None, metering_mode=None, latitude=None,
        longitude=None, altitude=None, orientation=1, width=4000, height=3000, rating=0,
        artist=None, description=None, keywords=[], placeholder=None,
        thumbnail_key=f"bench{i:06d}", metadata={}))
    return photo_id


async def run_phase(live: Live, viewer: Viewer, album_id: UUID, url: str, sockets: int,
                    photos: list[UUID], rate: float, settle_s: float) -> dict[str, Any]:
    """``sockets`` clients, then ``photos`` added to the album at ``rate`` a second."""
    node_modules = ROOT / "tests" / "e2e" / "node_modules"
    script = node_modules.parent / ".bench-widget-clients.mjs"
    script.write_text(NODE_CLIENTS)
    result = live.folder.parent / f"widget-{sockets}.json"
    clients = await asyncio.create_subprocess_exec(
        "node", str(script), url, str(sockets), str(len(photos)), str(result),
        stdout=asyncio.subprocess.PIPE)
    assert clients.stdout is not None
    line = await asyncio.wait_for(clients.stdout.readline(), 180)
    assert line.strip() == b"ready", line
    await asyncio.sleep(settle_s)  # every socket's join (and its one re-check) is done
    # Same size as an ``added`` message of one photo; the clients skip it.
    floor = send_floor(live, text_frame('{"type":"bench","pad":"' + "x" * 280 + '"}'))
    await asyncio.sleep(1)
    rss_ready = peak = rss_mb()
    _broadcast_ms.clear()
    _broadcast_cpu_ms.clear()
    added_at: dict[str, float] = {}
    cpu_start = (cpu_seconds(), cpu_seconds(clients.pid))
    start = time.monotonic()
    for i, photo_id in enumerate(photos):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        added_at[str(photo_id)] = time.time() * 1000
        await live.services.photos.add_to_album(viewer, album_id, [photo_id])
        peak = max(peak, rss_mb())
    sent_for = time.monotonic() - start
    cpu = (cpu_seconds() - cpu_start[0], cpu_seconds(clients.pid) - cpu_start[1])
    try:
        await asyncio.wait_for(clients.communicate(), 120)
    except TimeoutError:
        clients.terminate()
        await clients.communicate()
    script.unlink(missing_ok=True)
    report = json.loads(await asyncio.to_thread(result.read_text))
    latencies = [at - added_at[pid] for pid, at in report["seen"] if pid in added_at]
    return {"latencies": latencies, "received": report["received"],
            "expected": sockets * len(photos), "closed": report["closed"],
            "broadcast": list(_broadcast_ms), "broadcast_cpu": list(_broadcast_cpu_ms),
            "floor": floor, "rss_ready": rss_ready, "peak": peak, "cpu_server": cpu[0] / sent_for,
            "cpu_clients": cpu[1] / sent_for}


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=10.0, help="photos added per second")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--settle", type=float, default=5.0,
                        help="seconds between the last socket opening and the first photo")
    args = parser.parse_args()
    count = int(args.rate * args.seconds)
    node_modules = ROOT / "tests" / "e2e" / "node_modules"
    if not (node_modules / "ws").is_dir():
        await asyncio.to_thread(subprocess.run, ["npm", "install", "--no-audit", "--no-fund"],
                                cwd=node_modules.parent, check=True)
    async with running_server(workers=1) as live:
        services = live.services
        # Every bench client comes from 127.0.0.1: lift the per-address socket limit.
        services.shares.limits = ShareLimits(ShareLimitConfig(
            sockets_per_address=args.sockets + 10, requests_per_address=10**9))
        user = await services.users.create("sharer", "sharer-pass-phrase")
        await live.gql("mutation($l: ID!) { addLibraryMember(libraryId: $l, "
                       'username: "sharer", role: EDITOR) { role } }', {"l": live.library_id})
        viewer = Viewer(user_id=user.id, username=user.username)
        album = await services.photos.create_album(viewer, live.library_id, "Fan-out")
        link, token = await services.shares.create(viewer, live.library_id, album_id=album.id)
        url = live.url.replace("http", "ws", 1) + f"/embed/v1/{token}/live"
        photos = [await new_photo(live, i) for i in range(count * 2)]
        rss_before = rss_mb()
        baseline = await run_phase(live, viewer, album.id, url, 1, photos[:count], args.rate,
                                   args.settle)
        loaded = await run_phase(live, viewer, album.id, url, args.sockets, photos[count:],
                                 args.rate, args.settle)
        print(f"widget fan-out: one album share, {count} photos added at {args.rate:g}/s")
        for label, phase, n in (("baseline", baseline, 1), ("loaded", loaded, args.sockets)):
            lat = phase["latencies"]
            print(f"  {label}: {n} socket(s): delivered {phase['received']}/{phase['expected']}"
                  f", closed {phase['closed']}; latency p50={percentile(lat, 50):.1f} ms "
                  f"p99={percentile(lat, 99):.1f} ms max={max(lat):.1f} ms; fan-out loop "
                  f"p50={percentile(phase['broadcast'], 50):.1f} ms "
                  f"p99={percentile(phase['broadcast'], 99):.1f} ms (its CPU p50="
                  f"{percentile(phase['broadcast_cpu'], 50):.1f} ms; bare socket.send floor "
                  f"{phase['floor'][0]:.1f} ms CPU); CPU server "
                  f"{100 * phase['cpu_server']:.0f}%, clients {100 * phase['cpu_clients']:.0f}%")
        p99 = percentile(loaded["latencies"], 99)
        ratio = p99 / max(percentile(baseline["latencies"], 99), 0.001)
        print(f"  p99 ratio {args.sockets} sockets / 1 socket: {ratio:.1f}x "
              f"(goal p99 <= 100 ms: {'met' if p99 <= 100 else 'NOT met'})")
        print(f"  server RSS: {rss_before:.0f} MiB before, {loaded['rss_ready']:.0f} MiB with "
              f"{args.sockets} sockets, peak {loaded['peak']:.0f} MiB while adding "
              f"({os.cpu_count()} cores, shared machine)")
        _ = link


if __name__ == "__main__":
    asyncio.run(main())
