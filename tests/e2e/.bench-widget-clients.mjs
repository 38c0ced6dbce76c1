
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
