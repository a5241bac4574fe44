// Node flags for the wekf server process, shared by `npm start` (start.mjs) and the bench, which
// must run the server exactly as production does.

/**
 * With embedded PGlite, the database lives in the server's own memory. A smaller young generation
 * (V8 defaults to 16 MB semi-spaces under load) keeps the process well under 512 MB at full load, at
 * the price of more frequent, shorter scavenges; on Postgres the default is kept.
 */
export function serverNodeFlags({ embedded }) {
  return embedded ? ['--max-semi-space-size=4'] : [];
}
