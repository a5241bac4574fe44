// `node --import tsx --import ./scripts/server-only-register.mjs bench/pglite-bind.ts`: the cost of
// binding one ordinary batch on PGlite (db/engines/pglite-prepared.ts), PGlite's own serializer
// against ours. The batch: 16 ordinary messages, 18 values, 4 of them arrays of reply XML written as
// PGlite's array serializer writes them.
import { protocol } from '@electric-sql/pglite';
import { bindExecuteSync } from '@/db/engines/pglite-prepared';

const MESSAGES = 16;
const CALLS = 5000;

const reply = (kind: string, i: number) =>
  `<xml><ToUserName><![CDATA[o_bench_${i}_abcdefghijklmnopq]]></ToUserName><FromUserName><![CDATA[gh_bench]]></FromUserName><CreateTime>1796623351</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[您好，${kind}：请问有什么可以帮您？回复「客服」联系人工客服。]]></Content></xml>`;
const array = (value: (i: number) => string) =>
  `{${Array.from({ length: MESSAGES }, (_, i) => `"${value(i).replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
const values: (string | null)[] = [
  array((i) => `100000000000${i}`),
  array((i) => `o_bench_${i}`),
  array(() => 'text'),
  array(() => '你好'),
  array((i) => reply('hint', i)),
  array((i) => reply('transfer', i)),
  array((i) => reply('before', i)),
  array((i) => reply('after', i)),
  '2026-12-07T05:00:00.000Z',
  '5',
  '2026-12-09T05:00:00.000Z',
  null,
  null,
  null,
  null,
  array(() => 'NULL'),
  array(() => 'NULL'),
  array(() => 'NULL'),
];

const ways: [string, () => unknown][] = [
  [
    "PGlite's serializer",
    () => {
      const ser = protocol.serialize;
      return [ser.bind({ statement: 'wekf_1', values }), ser.execute({}), ser.sync()];
    },
  ],
  ['bindExecuteSync', () => bindExecuteSync('wekf_1', values)],
];

console.log(`one batch of ${MESSAGES}: ${bindExecuteSync('wekf_1', values).length} bytes`);
for (const round of [1, 2, 3]) {
  for (const [name, bind] of ways) {
    const started = performance.now();
    for (let i = 0; i < CALLS; i++) bind();
    console.log(`round ${round}  ${name.padEnd(20)} ${(((performance.now() - started) / CALLS) * 1000).toFixed(1)} µs a batch`);
  }
}
