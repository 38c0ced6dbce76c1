// Subscribe to `events` with the stock graphql-ws client and print each event as a JSON line.
// Usage: node subscribe.mjs WS_URL TOKEN LIBRARY_ID COUNT [SINCE]
// Exits 0 after COUNT events, 2 on an error, 3 on timeout (60 s).
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, libraryId, count, since] = process.argv.slice(2);
const want = Number(count);
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { token },
  retryAttempts: 0,
  on: { connected: () => console.log(JSON.stringify({ connected: true })) },
});
const query = `subscription($l: ID, $s: String) {
  events(libraryId: $l, since: $s) { sequence kind libraryId photo { id files { path } } }
}`;
let seen = 0;
const timer = setTimeout(() => { console.error('timeout'); process.exit(3); }, 60000);
client.subscribe({ query, variables: { l: libraryId, s: since || null } }, {
  next: (result) => {
    console.log(JSON.stringify(result));
    seen += 1;
    if (seen >= want) { clearTimeout(timer); client.dispose(); process.exit(0); }
  },
  error: (err) => { console.error(JSON.stringify(err?.message ?? err?.reason ?? String(err))); process.exit(2); },
  complete: () => { console.error('complete before all events'); process.exit(2); },
});
