import { describe, expect, it } from 'vitest';
import { WechatProtocolError } from './errors';
import { buildXml, cdata, MAX_XML_DEPTH, MAX_XML_ELEMENTS, parseFlatPush, parseXml, parseXmlGeneral } from './xml';

function refusal(fn: () => unknown): WechatProtocolError {
  try {
    fn();
  } catch (err) {
    if (err instanceof WechatProtocolError) return err;
    throw err;
  }
  throw new Error('expected a WechatProtocolError');
}

const TEXT_PUSH =
  '<xml><ToUserName><![CDATA[toUser]]></ToUserName>\n<FromUserName><![CDATA[fromUser]]></FromUserName>\n' +
  '<CreateTime>1348831860</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n' +
  '<Content><![CDATA[this is a test]]></Content>\n<MsgId>6054768590064713728</MsgId>\n</xml>';

describe('parseXml', () => {
  it('reads a real plaintext push into strings, keeping the 64-bit MsgId exact', () => {
    expect(parseXml(TEXT_PUSH)).toEqual({
      ToUserName: 'toUser',
      FromUserName: 'fromUser',
      CreateTime: '1348831860',
      MsgType: 'text',
      Content: 'this is a test',
      MsgId: '6054768590064713728',
    });
  });

  it('ignores indentation, newlines, element order and an XML declaration', () => {
    const pretty = `<?xml version="1.0" encoding="utf-8"?>\n<xml>\n    <MsgId>6054768590064713728</MsgId>\n    <Content><![CDATA[this is a test]]></Content>\n    <MsgType><![CDATA[text]]></MsgType>\n\t<CreateTime>\n1348831860\n</CreateTime>\r\n    <FromUserName><![CDATA[fromUser]]></FromUserName>\n    <ToUserName><![CDATA[toUser]]></ToUserName>\n</xml>\n`;
    expect(parseXml(pretty)).toEqual(parseXml(TEXT_PUSH));
  });

  it('keeps CDATA verbatim: spaces, newlines, markup and Chinese', () => {
    const fields = parseXml('<xml><Content><![CDATA[  你好\n<b>&amp;</b>  ]]></Content></xml>');
    expect(fields.Content).toBe('  你好\n<b>&amp;</b>  ');
  });

  it('reads a Buffer as UTF-8 and drops a byte-order mark', () => {
    expect(parseXml(Buffer.from('\uFEFF<xml><Label><![CDATA[位置信息]]></Label></xml>')).Label).toBe('位置信息');
  });

  it('decodes predefined entities and character references in plain text, never inside CDATA', () => {
    const fields = parseXml('<xml><A>a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#20013;&#x6587;</A><B><![CDATA[&lt;]]></B></xml>');
    expect(fields.A).toBe('a <b> & "c" \'d\' 中文');
    expect(fields.B).toBe('&lt;');
  });

  it('refuses an undeclared entity reference instead of expanding or keeping it', () => {
    const err = refusal(() => parseXml('<xml><Content>&lol9;</Content></xml>'));
    expect(err.code).toBe('bad_xml');
    expect(err.field).toBe('Content');
  });

  it('refuses a character reference to a forbidden character', () => {
    expect(refusal(() => parseXml('<xml><A>&#0;</A></xml>')).code).toBe('bad_xml');
  });

  it('nests child elements and turns repeated elements into arrays', () => {
    const fields = parseXml(
      '<xml><SendPicsInfo><Count>2</Count><PicList><item><PicMd5Sum><![CDATA[a]]></PicMd5Sum></item>' +
        '<item><PicMd5Sum><![CDATA[b]]></PicMd5Sum></item></PicList></SendPicsInfo></xml>',
    );
    expect(fields).toEqual({
      SendPicsInfo: { Count: '2', PicList: { item: [{ PicMd5Sum: 'a' }, { PicMd5Sum: 'b' }] } },
    });
  });

  it('reads empty, self-closing and empty-CDATA elements as empty strings', () => {
    expect(parseXml('<xml><A></A><B/><C><![CDATA[]]></C></xml>')).toEqual({ A: '', B: '', C: '' });
  });

  it('joins several CDATA sections (how a split "]]>" comes back)', () => {
    expect(parseXml(`<xml><A>${cdata('x]]>y')}</A></xml>`).A).toBe('x]]>y');
  });

  it('reads an empty root as no fields', () => {
    expect(parseXml('<xml></xml>')).toEqual({});
  });

  it('refuses a __proto__ element instead of letting it reach the prototype', () => {
    expect(refusal(() => parseXml('<xml><__proto__><polluted>1</polluted></__proto__></xml>')).code).toBe('bad_xml');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['unclosed root', '<xml><A>1</A>'],
    ['mismatched tags', '<xml><A>1</B></xml>'],
    ['plain text', 'hello'],
    ['an empty body', ''],
    ['two roots', '<xml></xml><xml></xml>'],
    ['a bare ampersand', '<xml><A>a & b</A></xml>'],
    ['text mixed with elements', '<xml>junk<A>1</A></xml>'],
    ['JSON', '{"ToUserName":"x"}'],
    ['an unterminated CDATA', '<xml><A><![CDATA[abc</A></xml>'],
  ])('refuses %s with bad_xml', (_label, body) => {
    expect(refusal(() => parseXml(body)).code).toBe('bad_xml');
  });

  it('refuses absurdly deep nesting with bad_xml', () => {
    const deep = `<xml>${'<a>'.repeat(50)}x${'</a>'.repeat(50)}</xml>`;
    expect(refusal(() => parseXml(deep)).code).toBe('bad_xml');
  });

  it('refuses nesting past MAX_XML_DEPTH and accepts it up to there', () => {
    const nested = (n: number) => `<xml>${'<a>'.repeat(n)}x${'</a>'.repeat(n)}</xml>`;
    expect(() => parseXml(nested(MAX_XML_DEPTH - 1))).not.toThrow();
    expect(refusal(() => parseXml(nested(MAX_XML_DEPTH + 1))).code).toBe('bad_xml');
  });

  it('reads MAX_XML_ELEMENTS repeated elements into one array, and refuses more', () => {
    const repeats = (n: number) => `<xml><List>${'<item><![CDATA[x]]></item>'.repeat(n)}</List></xml>`;
    const list = (parseXml(repeats(MAX_XML_ELEMENTS - 2)).List as { item: string[] }).item;
    expect(list).toHaveLength(MAX_XML_ELEMENTS - 2);
    expect(list.every((v) => v === 'x')).toBe(true);
    expect(refusal(() => parseXml(repeats(MAX_XML_ELEMENTS + 1))).code).toBe('bad_xml');
    // 100 KiB of repeats, the size at which copying the array on each repeat took seconds.
    const big = `<xml>${'<a>1</a>'.repeat(100 * 1024 / 8)}</xml>`;
    expect(refusal(() => parseXml(big)).message).toMatch(/elements/);
  });

  it('refuses a root other than <xml>', () => {
    expect(refusal(() => parseXml('<root><A>1</A></root>')).code).toBe('bad_xml');
  });

  it('refuses invalid UTF-8 bytes', () => {
    expect(refusal(() => parseXml(Buffer.from([0x3c, 0x78, 0x6d, 0x6c, 0x3e, 0xff, 0x3c, 0x2f, 0x78, 0x6d, 0x6c, 0x3e]))).code).toBe('bad_xml');
  });

  it('refuses a body over maxBytes with too_large, counting bytes not characters', () => {
    const body = `<xml><Content><![CDATA[${'中'.repeat(400)}]]></Content></xml>`;
    expect(refusal(() => parseXml(body, { maxBytes: 1000 })).code).toBe('too_large');
    expect(parseXml(body, { maxBytes: 2000 }).Content).toHaveLength(400);
    expect(refusal(() => parseXml(Buffer.alloc(2 * 1024 * 1024, 32))).code).toBe('too_large');
  });

  it('refuses a billion-laughs body quickly with doctype and expands nothing', () => {
    const lols = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('\n');
    const body = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 "lol">\n${lols}\n]>\n<xml><Content>&lol9;</Content></xml>`;
    const started = performance.now();
    const err = refusal(() => parseXml(body));
    expect(err.code).toBe('doctype');
    expect(err.message).not.toContain('lollol');
    expect(performance.now() - started).toBeLessThan(50);
  });

  it.each([
    ['an external entity (XXE)', '<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><A>&xxe;</A></xml>'],
    ['a lowercase doctype', '<!doctype xml><xml></xml>'],
    ['a DOCTYPE after a comment', '<!-- hi --><!DOCTYPE xml><xml></xml>'],
    ['a declaration inside the root', '<xml><!ENTITY a "b"><A>1</A></xml>'],
  ])('refuses %s with doctype', (_label, body) => {
    expect(refusal(() => parseXml(body)).code).toBe('doctype');
  });

  it('accepts "<!DOCTYPE" and "&lol;" typed by a user inside CDATA', () => {
    expect(parseXml('<xml><Content><![CDATA[<!DOCTYPE html> &lol;]]></Content></xml>').Content).toBe('<!DOCTYPE html> &lol;');
  });
});

describe('parseFlatPush (the fast path)', () => {
  it('reads a typical push', () => {
    const push =
      '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o_1]]></FromUserName>' +
      '<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[ 你好 ]]></Content>' +
      '<MsgId>9223372036854775807</MsgId></xml>';
    expect(parseFlatPush(push)).toEqual({
      ToUserName: 'gh_1',
      FromUserName: 'o_1',
      CreateTime: '1700000000',
      MsgType: 'text',
      Content: ' 你好 ',
      MsgId: '9223372036854775807',
    });
  });

  it('leaves to the general parser whatever is not flat', () => {
    for (const doc of [
      '<?xml version="1.0"?><xml><A>1</A></xml>',
      '<xml><A><B>1</B></A></xml>',
      '<xml><A>1</A><A>2</A></xml>',
      '<xml><A>a b</A></xml>',
      '<xml><A>&amp;</A></xml>',
      '<xml><A> <![CDATA[x]]></A></xml>',
      '<xml><!-- c --><A>1</A></xml>',
      '<xml><A/></xml>',
      '<xml><__proto__>1</__proto__></xml>',
      '<!DOCTYPE x><xml></xml>',
      '<xml><A>1</A></xml>junk',
    ]) {
      expect(parseFlatPush(doc), doc).toBeUndefined();
    }
  });

  // Differential check: on generated documents the fast path either declines or agrees with the
  // general parser, and never accepts a document the general parser refuses.
  it('agrees with the general parser on thousands of generated documents', () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;
    const names = ['ToUserName', 'Content', 'MsgId', 'A', 'x_1', 'Event', 'xml', '__proto__', '1bad', 'a-b'];
    const cdatas = ['', 'hello', ' spaced ', '中文 😀', ']]', ']>', '<b>', '&amp;', '&bogus;', '\n', '<!DOCTYPE x>', ']]]'];
    const bares = ['', '123', ' 123 ', '\n123\n', '1 2', '&amp;', '&lt;x', 'a>b', '\u3000x', 'x\u00a0', '\t7\t', '&#0;'];
    const value = () => {
      switch (rand(8)) {
        case 0:
        case 1:
        case 2:
          return `<![CDATA[${pick(cdatas)}]]>`;
        case 3:
        case 4:
          return pick(bares);
        case 5:
          return `<Inner><![CDATA[${pick(cdatas)}]]></Inner>`;
        case 6:
          return ` <![CDATA[${pick(cdatas)}]]>${pick(['', ' ', 'x'])}`;
        default:
          return pick(['<!-- c -->', '<A/>', '<![CDATA[a]]><![CDATA[b]]>', '<']);
      }
    };
    const space = () => pick(['', '', ' ', '\n', '\r\n  ', '\t']);
    let accepted = 0;
    for (let n = 0; n < 5000; n++) {
      const children = Array.from({ length: rand(6) }, () => {
        const name = pick(names);
        const closing = rand(20) === 0 ? pick(names) : name;
        return `${space()}<${name}>${value()}</${closing}>`;
      }).join('');
      const doc = `${pick(['', ' ', '\n', '<?xml version="1.0"?>'])}<xml>${children}${space()}</xml>${pick(['', '', ' ', '\n', 'x', '<!-- c -->'])}`;
      const fast = parseFlatPush(doc);
      if (fast === undefined) continue;
      accepted++;
      expect(parseXmlGeneral(doc), doc).toEqual(fast);
    }
    expect(accepted).toBeGreaterThan(500); // the comparison covered many accepted documents
  });
});

describe('cdata', () => {
  it('wraps text and splits "]]>" so it cannot close the section early', () => {
    expect(cdata('a]]>b')).toBe('<![CDATA[a]]]]><![CDATA[>b]]>');
  });

  it('strips control characters and lone surrogates but keeps tabs, newlines and emoji', () => {
    expect(cdata('a\u0000b\u0007c\u001Fd\u007Fe\tf\ng\r😀\uD800h')).toBe('<![CDATA[abcde\tf\ng\r😀h]]>');
  });

  it('judges every string afresh: clean and dirty ones alternating, each as if alone', () => {
    for (let i = 0; i < 3; i++) {
      expect(cdata('clean 你好')).toBe('<![CDATA[clean 你好]]>');
      expect(cdata('x\u0001y]]>z')).toBe('<![CDATA[xy]]]]><![CDATA[>z]]>');
    }
  });
});

describe('buildXml', () => {
  it('writes strings in CDATA and numbers bare, in key order', () => {
    expect(buildXml({ ToUserName: 'u', CreateTime: 1, Count: 10n })).toBe(
      '<xml><ToUserName><![CDATA[u]]></ToUserName><CreateTime>1</CreateTime><Count>10</Count></xml>',
    );
  });

  it('nests objects, repeats arrays and leaves out undefined and null', () => {
    expect(buildXml({ Articles: { item: [{ Title: 'a' }, { Title: 'b', Url: undefined }] }, Skip: null })).toBe(
      '<xml><Articles><item><Title><![CDATA[a]]></Title></item><item><Title><![CDATA[b]]></Title></item></Articles></xml>',
    );
  });

  it('round-trips through parseXml, including "]]>" and Chinese', () => {
    const xml = buildXml({ Content: '你好]]><xml>', Nested: { Count: 3 } });
    expect(parseXml(xml)).toEqual({ Content: '你好]]><xml>', Nested: { Count: '3' } });
  });

  it('refuses invalid element names and unsupported values', () => {
    expect(() => buildXml({ 'bad name': 'x' })).toThrow(TypeError);
    // A refused name is refused every time; names are remembered only once they passed.
    expect(() => buildXml({ ok: 'x', 'bad name': 'x' })).toThrow(TypeError);
    expect(() => buildXml({ '<x>': 'x' })).toThrow(TypeError);
    expect(() => buildXml({ A: true })).toThrow(TypeError);
    expect(() => buildXml({ A: Number.NaN })).toThrow(TypeError);
  });
});
