// npx tsx bench/xml.ts — what parsing costs for a real push and for bodies built to be expensive
// (repeated elements, deep nesting). parseXml must answer any body of the webhook's size quickly:
// a request's work may not grow faster than its size. Prints the median of repeated runs.
import { parseXml } from '../lib/wechat/xml';

function time(name: string, body: string, runs = 50): void {
  const samples: number[] = [];
  let outcome = 'parsed';
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    try {
      parseXml(body);
    } catch (error) {
      outcome = `refused (${(error as Error).message})`;
    }
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const kib = (Buffer.byteLength(body) / 1024).toFixed(1);
  console.log(`${name.padEnd(44)} ${kib.padStart(7)} KiB  median ${samples[runs >> 1]!.toFixed(3).padStart(8)} ms  max ${samples.at(-1)!.toFixed(3).padStart(8)} ms  ${outcome}`);
}

const push =
  '<xml><ToUserName><![CDATA[gh_oa]]></ToUserName><FromUserName><![CDATA[o_fan]]></FromUserName>' +
  '<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[客服]]></Content><MsgId>24000000000000001</MsgId></xml>';
time('a text push (flat fast path)', push);
time('a news-like push with 8 items', `<xml><Articles>${'<item><Title><![CDATA[t]]></Title><Url><![CDATA[u]]></Url></item>'.repeat(8)}</Articles></xml>`);
time('990 repeated elements (under the cap)', `<xml><List>${'<item>1</item>'.repeat(990)}</List></xml>`);
time('100 KiB of repeated elements', `<xml>${'<a>1</a>'.repeat((100 * 1024) / 8)}</xml>`);
time('1 MiB of repeated elements', `<xml>${'<a>1</a>'.repeat((1024 * 1024) / 8)}</xml>`, 10);
time('100 KiB of nesting', `<xml>${'<a>'.repeat(100 * 1024 / 7)}x${'</a>'.repeat(100 * 1024 / 7)}</xml>`);
