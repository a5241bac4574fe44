import { protocol } from '@electric-sql/pglite';
import { bindExecuteSync } from '@/db/engines/pglite-prepared';
// `node --import tsx --import ./scripts/server-only-register.mjs bench/pglite-bind.ts`: the cost of binding
// one ordinary batch on PGlite (db/engines/pglite-prepared.ts), PGlite's own serializer against ours.
// A batch of 16 ordinary messages: 15 values, 4 of them arrays of reply XML, serialized as PGlite's array serializer would
const reply = (kind: string, i: number) => `<xml><ToUserName><![CDATA[o_bench_${i}_abcdefghijklmnopq]]></ToUserName><FromUserName><![CDATA[gh_bench]]></FromUserName><CreateTime>1796623351</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[您好，${kind}：请问有什么可以帮您？回复「客服」联系人工客服。]]></Content></xml>`;
const arr = (f: (i: number) => string) => '{' + Array.from({ length: 16 }, (_, i) => `"${f(i).replace(/[\\"]/g, '\\$&')}"`).join(',') + '}';
const values = [arr((i) => `100000000000${i}`), arr((i) => `o_bench_${i}`), arr(() => 'text'), arr(() => '你好'), arr((i) => reply('hint', i)), arr((i) => reply('transfer', i)), arr((i) => reply('before', i)), arr((i) => reply('after', i)), '2026-12-07T05:00:00.000Z', '5', '2026-12-09T05:00:00.000Z', null, null, null, null, arr(() => 'NULL'), arr(() => 'NULL'), arr(() => 'NULL')] as (string | null)[];
console.log('bytes', bindExecuteSync('wekf_1', values).length);
for (const round of [1, 2, 3]) {
  for (const [name, fn] of [
    ['pglite serialize', () => { const s = protocol.serialize; const b = s.bind({ statement: 'wekf_1', values }); s.execute({}); s.sync(); return b; }],
    ['bindExecuteSync', () => bindExecuteSync('wekf_1', values)],
  ] as const) {
    const n = 5000; const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    console.log(round, name, ((performance.now() - t0) / n * 1000).toFixed(1), 'µs per batch');
  }
}
