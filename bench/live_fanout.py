"""Fan-out: N WebSocket subscribers on one server process, events at a fixed rate.

Prints the delivery latency (publish -> a client has parsed the frame) at p50/p99, the
server's resident memory, and the CPU share of the server process and of the clients while
events are sent (on a small machine the clients compete with the server for the same cores).
The subscribers are raw graphql-transport-ws clients in one Node process (``ws`` from
tests/e2e/node_modules); each ``next`` frame is checked for its type and operation id and its
publish timestamp read from the text, without building the whole JSON tree, so that the
clients stay light and the server's Python is what is measured.

    PHOTONIX_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        python bench/live_fanout.py [--subscribers 1000] [--rate 100] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_common import ROOT, rss_mb, running_server

from photonix_rt.events.types import EventKind

NODE_CLIENTS = r"""
import WebSocket from 'ws';
import { writeFileSync } from 'fs';
const [url, token, library, count, expected, out] = process.argv.slice(2);
const n = Number(count), want = Number(expected);
const latencies = [];
let ready = 0, received = 0, closed = 0;
const query = 'subscription($l: ID) { events(libraryId: $l) { sequence payload } }';
const NEXT = '{"id":"1","type":"next","payload":{"data":{"events":{';
const T_KEY = '\\"t\\":';
function now() { return performance.timeOrigin + performance.now(); }
function open(i) {
  const ws = new WebSocket(url, 'graphql-transport-ws');
  ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { token } })));
  let acked = false;
  ws.on('message', (data) => {
    const s = data.toString();
    if (s.startsWith(NEXT)) {
      // The event payload is a JSON string inside the frame: {"t":<publish time>,...}.
      const at = s.indexOf(T_KEY);
      if (at < 0) { console.error('no timestamp in', s.slice(0, 200)); return; }
      latencies.push(now() - parseFloat(s.slice(at + T_KEY.length)) * 1000);
      if (++received === n * want) finish();
      return;
    }
    const m = JSON.parse(s);
    if (m.type === 'connection_ack') {
      acked = true;
      ws.send(JSON.stringify({ id: '1', type: 'subscribe',
                               payload: { query, variables: { l: library } } }));
      if (++ready === n) console.log('ready');
    } else { console.error(s.slice(0, 300)); }
  });
  ws.on('close', (code) => {
    if (!acked) { setTimeout(() => open(i), 50); return; }  // refused while connecting: retry
    closed++;
    if (code !== 1000 && code !== 1005) console.error('closed', code);
  });
  ws.on('error', (e) => { if (acked) console.error('error', e.message); });
}
function finish() {
  writeFileSync(out, JSON.stringify({ received, closed, latencies }));
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


def cpu_seconds(pid: int | str = "self") -> float:
    """User + system CPU time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100.0, help="events per second")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    total = int(args.rate * args.seconds)
    node_modules = ROOT / "tests" / "e2e" / "node_modules"
    if not (node_modules / "ws").is_dir():
        await asyncio.to_thread(subprocess.run, ["npm", "install", "--no-audit", "--no-fund"],
                                cwd=node_modules.parent, check=True)
    async with running_server(workers=1) as live:
        url = live.url.replace("http", "ws", 1) + "/graphql"
        rss_before = rss_mb()
        env = {**os.environ, "NODE_PATH": str(node_modules)}
        # ESM ignores NODE_PATH: run from a folder whose node_modules resolves 'ws'.
        script = node_modules.parent / ".bench-clients.mjs"
        script.write_text(NODE_CLIENTS)
        result = live.folder.parent / "fanout.json"
        clients = await asyncio.create_subprocess_exec(
            "node", str(script), url, live.token, live.library_id, str(args.subscribers),
            str(total), str(result), stdout=asyncio.subprocess.PIPE, env=env)
        assert clients.stdout is not None
        line = await asyncio.wait_for(clients.stdout.readline(), 120)
        assert line.strip() == b"ready", line
        await asyncio.sleep(2.0)  # every subscribe registered
        rss_ready = rss_mb()
        events = live.services.events
        library = UUID(live.library_id)
        interval = 1.0 / args.rate
        cpu_start = (cpu_seconds(), cpu_seconds(clients.pid))
        start = time.monotonic()
        peak = rss_ready
        for i in range(total):
            target = start + i * interval
            delay = target - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            async with live.services.db.transaction() as conn:
                message = await events.record(conn, EventKind.PHOTO_UPDATED, library, None,
                                              {"t": time.time(), "i": i})
            await events.publish(message)
            if i % 100 == 0:
                peak = max(peak, rss_mb())
        sent_for = time.monotonic() - start
        cpu_server, cpu_clients = (cpu_seconds() - cpu_start[0],
                                   cpu_seconds(clients.pid) - cpu_start[1])
        try:
            await asyncio.wait_for(clients.communicate(), 120)
        except TimeoutError:
            clients.terminate()
            await clients.communicate()
        script.unlink(missing_ok=True)
        report = json.loads(await asyncio.to_thread(result.read_text))
        latencies = sorted(report["latencies"])
        expected = args.subscribers * total

        def pct(p: float) -> float:
            return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))]

        print(f"fan-out: {args.subscribers} subscribers, {total} events at {args.rate:.0f}/s "
              f"(sent in {sent_for:.1f} s)")
        print(f"  delivered {report['received']}/{expected}, sockets closed {report['closed']}")
        print(f"  latency p50={pct(50):.1f} ms p99={pct(99):.1f} ms max={latencies[-1]:.1f} ms")
        print(f"  CPU while sending: server {100 * cpu_server / sent_for:.0f}%, clients "
              f"{100 * cpu_clients / sent_for:.0f}% of one core ({os.cpu_count()} cores)")
        print(f"  server RSS: {rss_before:.0f} MiB before clients, {rss_ready:.0f} MiB with "
              f"{args.subscribers} subscribed, peak {peak:.0f} MiB while publishing")


if __name__ == "__main__":
    asyncio.run(main())
