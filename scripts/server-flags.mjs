// Node flags and environment for the wekf server process, shared by `npm start` (start.mjs) and the
// bench, which must run the server exactly as production does.

/**
 * With embedded PGlite, the database lives in the server's own memory. A smaller young generation
 * (V8 defaults to 16 MB semi-spaces under load) keeps the process well under 512 MB at full load, at
 * the price of more frequent, shorter scavenges; on Postgres the default is kept.
 */
export function serverNodeFlags({ embedded }) {
  return embedded ? ['--max-semi-space-size=4'] : [];
}

/**
 * With embedded PGlite, also two of glibc's malloc arenas instead of up to eight a core: PGlite's
 * thread and V8's helper threads each took an arena of their own, and the process's RSS was 40–90 MB
 * larger for it (`npm run bench -- --db pglite`: peaks 470 and 484 MB against 427 and 418 with two,
 * throughput the same). An operator's own MALLOC_ARENA_MAX is kept.
 */
export function serverEnv({ embedded }, env = process.env) {
  return embedded && !env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: '2' } : {};
}
