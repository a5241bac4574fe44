// node --expose-gc --import tsx --import ./scripts/server-only-register.mjs bench/replay-store-memory.ts [entries]
// The memory PGlite's in-memory replay store (db/queries/memory-replay-store.ts) keeps per push:
// V8's heap, which the garbage collector marks, and typed arrays' memory outside it. Each
// entry is made as the server makes it — the query parsed from a request URL, the body hashed — so
// what the store keeps of those strings is counted too. Prints bytes per entry after a full GC, and
// the longest single push: the server's one thread waits for it (a Map copies itself as it grows).
import { createHash } from 'node:crypto';
import { MemoryReplayStore } from '@/db/queries/memory-replay-store';
import { pushQueryOf } from '@/lib/kf/webhook-query';

const entries = Number(process.argv[2] ?? 300_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const token = 'benchtoken';

/** Push i as the bench sends it: 1,600 a second, a nonce of its own, 5,000 followers. */
function push(i: number) {
  const timestamp = String(1_780_000_000 + Math.floor(i / 1600));
  const nonce = `12345${String(i).padStart(13, '0')}`;
  const signature = createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
  const openid = `o_bench_${i % 5000}`;
  const url = new URL(`/api/wechat?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}&openid=${openid}`, 'http://127.0.0.1');
  const body = Buffer.from(
    `<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName>` +
      `<CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello]]></Content><MsgId>8${i}</MsgId></xml>`,
  );
  return pushQueryOf(url.searchParams, body);
}

gc();
gc();
const usage = () => {
  const m = process.memoryUsage();
  return { heap: m.heapUsed, outside: m.arrayBuffers };
};
const before = usage();
const store = new MemoryReplayStore();
let ms = 0;
let longestMs = 0;
for (let i = 0; i < entries; i++) {
  const query = push(i);
  const started = performance.now();
  store.admit(query);
  const took = performance.now() - started;
  ms += took;
  if (took > longestMs) longestMs = took;
}
gc();
gc();
const after = usage();
const heap = after.heap - before.heap;
const outside = after.outside - before.outside;
// Asked once more, so the store is still in use when the heap is read.
const seven = push(7);
if (store.bodyHashOf(seven.signature) !== seven.bodyHash || store.size !== entries) throw new Error('the store lost an entry');
console.log(
  `${entries} entries: ${(heap / entries).toFixed(0)} bytes of heap each (${(heap / 1e6).toFixed(1)} MB) and ` +
    `${(outside / entries).toFixed(0)} outside it (${(outside / 1e6).toFixed(1)} MB), ` +
    `${((1000 * ms) / entries).toFixed(2)} µs per push, the longest ${longestMs.toFixed(1)} ms`,
);
