// Run graphql-http's GraphQL-over-HTTP audits against a server and print the results as JSON.
// Usage: node graphql_http_audit.mjs URL [TOKEN]   (URL is the /graphql endpoint; with a
// TOKEN every request is sent as that signed-in user)
// Prints [{ id, name, status: "ok" | "warn" | "error", reason? }, ...]; exits 0.
import { serverAudits } from 'graphql-http';

const [url, token] = process.argv.slice(2);
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};
const results = [];
for (const audit of serverAudits({ url, fetchFn })) {
  const result = await audit.fn();
  results.push({
    id: audit.id,
    name: audit.name,
    status: result.status,
    ...(result.status === 'ok' ? {} : { reason: result.reason }),
  });
}
console.log(JSON.stringify(results));
