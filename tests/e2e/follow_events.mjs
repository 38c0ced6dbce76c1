// Follow `events` with the stock graphql-ws client and print each result as one JSON line.
// Usage: node follow_events.mjs WS_URL TOKEN LIBRARY_ID [SINCE]
// Prints {"connected":true} once the server acknowledged, then one line per event, until
// killed. Exits 2 on an error or an early complete, 3 after 10 minutes (an orphan guard).
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, libraryId, since] = process.argv.slice(2);
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { token },
  retryAttempts: 0,
  on: { connected: () => console.log(JSON.stringify({ connected: true })) },
});
const query = `subscription($l: ID, $s: String) {
  events(libraryId: $l, since: $s) { sequence kind libraryId photoId payload }
}`;
setTimeout(() => { console.error('still running after 10 minutes'); process.exit(3); }, 600000);
client.subscribe({ query, variables: { l: libraryId, s: since || null } }, {
  next: (result) => console.log(JSON.stringify(result)),
  error: (err) => {
    console.error(JSON.stringify(err?.message ?? err?.reason ?? String(err)));
    process.exit(2);
  },
  complete: () => { console.error('complete before being killed'); process.exit(2); },
});
