import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { WechatProtocolError } from './errors';

// WeChat pushes are a few KB; anything near this is not a real push.
export const DEFAULT_MAX_XML_BYTES = 1024 * 1024;
// The richest push (a news article list, a location-select menu event) has a few dozen elements four
// deep; past these a body is not a push, and refusing it early bounds the parser's work by its size.
export const MAX_XML_ELEMENTS = 1000;
export const MAX_XML_DEPTH = 8;

export type XmlFields = Record<string, unknown>;

// Entity policy: the library never expands anything (processEntities: false) and every DOCTYPE or other
// markup declaration is refused before it runs, so custom entities cannot exist. In plain (non-CDATA)
// text we decode only the five predefined XML entities and numeric character references ourselves;
// any other `&name;` is undeclared, which makes the document malformed. WeChat itself wraps strings in
// CDATA, which is passed through verbatim.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
  parseTagValue: false,
  trimValues: true,
  processEntities: false,
  htmlEntities: false,
  maxNestedTags: MAX_XML_DEPTH,
});

type OrderedNode = Record<string, unknown>;

/**
 * Parses a WeChat XML body. Returns the children of the `<xml>` root: leaf elements as strings (64-bit
 * ids stay strings), elements with children as objects, and repeated elements (e.g. `item`) as arrays.
 */
export function parseXml(body: string | Buffer, opts: { maxBytes?: number } = {}): XmlFields {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  const size = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
  if (size > maxBytes) {
    throw new WechatProtocolError('too_large', `XML body is ${size} bytes; the limit is ${maxBytes}`);
  }
  const text = (typeof body === 'string' ? body : decodeUtf8(body)).replace(/^\uFEFF/, '');
  return parseFlatPush(text) ?? parseXmlGeneral(text);
}

/** Every document, with every check (parseXml after the flat fast path; exported for the comparison test). */
export function parseXmlGeneral(text: string): XmlFields {
  refuseDeclarations(text);
  refuseTooManyElements(text);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new WechatProtocolError('bad_xml', `Malformed XML at line ${valid.err.line}: ${valid.err.msg}`);
  }
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch (cause) {
    throw new WechatProtocolError('bad_xml', 'Malformed XML', { cause });
  }
  const roots = Array.isArray(doc) ? (doc as OrderedNode[]) : [];
  const root = roots[0];
  if (roots.length !== 1 || !root || !Array.isArray(root.xml)) {
    throw new WechatProtocolError('bad_xml', 'The root element must be <xml>');
  }
  const fields = convertChildren(root.xml as OrderedNode[], 'xml');
  if (typeof fields === 'string') {
    if (fields.trim() === '') return {};
    throw new WechatProtocolError('bad_xml', 'The <xml> root holds text instead of elements');
  }
  return fields;
}

// Almost every push is flat: <xml> holding leaf elements whose text is one CDATA section or a bare
// token (a number, an id). This reads exactly that shape in one pass, several times faster than
// validating and parsing in general, and returns undefined for anything else (whitespace inside a
// value, entities, nesting, repeated names, declarations, comments…), which parseXmlGeneral then reads
// with every check. It accepts only documents parseXmlGeneral accepts, with the same result
// (xml.test.ts compares the two on generated documents).
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const BARE_VALUE = /[ \t\r\n]*([^\s<>&]*)[ \t\r\n]*</y;
const SPACE = /[ \t\r\n]*/y;

export function parseFlatPush(text: string): XmlFields | undefined {
  let i = skipSpace(text, 0);
  if (!text.startsWith('<xml>', i)) return undefined;
  i += 5;
  const fields: XmlFields = {};
  for (;;) {
    i = skipSpace(text, i);
    if (text.startsWith('</xml>', i)) {
      return skipSpace(text, i + 6) === text.length ? fields : undefined;
    }
    if (text[i] !== '<') return undefined;
    NAME.lastIndex = i + 1;
    const name = NAME.exec(text)?.[0];
    if (name === undefined || name === '__proto__' || text[i + 1 + name.length] !== '>' || Object.hasOwn(fields, name)) {
      return undefined;
    }
    i += name.length + 2;
    let value: string;
    if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      if (end === -1) return undefined;
      value = text.slice(i + 9, end);
      i = end + 3;
    } else {
      BARE_VALUE.lastIndex = i;
      const bare = BARE_VALUE.exec(text);
      if (!bare) return undefined;
      value = bare[1]!;
      i = BARE_VALUE.lastIndex - 1;
    }
    const close = `</${name}>`;
    if (!text.startsWith(close, i)) return undefined;
    i += close.length;
    fields[name] = value;
  }
}

function skipSpace(text: string, from: number): number {
  SPACE.lastIndex = from;
  SPACE.exec(text);
  return SPACE.lastIndex;
}

function decodeUtf8(body: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch (cause) {
    throw new WechatProtocolError('bad_xml', 'XML body is not valid UTF-8', { cause });
  }
}

// Refuses `<!DOCTYPE`, `<!ENTITY` and every other `<!` declaration outside CDATA and comments, in one
// linear pass, before any parser sees the document (billion-laughs and XXE bodies stop here).
function refuseDeclarations(text: string): void {
  let i = text.indexOf('<!');
  while (i !== -1) {
    let end: number;
    if (text.startsWith('<![CDATA[', i)) end = text.indexOf(']]>', i + 9);
    else if (text.startsWith('<!--', i)) end = text.indexOf('-->', i + 4);
    else throw new WechatProtocolError('doctype', 'DOCTYPE and entity declarations are not allowed');
    if (end === -1) throw new WechatProtocolError('bad_xml', 'Unterminated CDATA section or comment');
    i = text.indexOf('<!', end + 3);
  }
}

// Counts start tags ('<' not followed by '/', '!' or '?') in one pass, before the validator and the
// parser walk the document; a '<' inside CDATA may count too, which only errs towards refusing.
function refuseTooManyElements(text: string): void {
  let count = 0;
  for (let i = text.indexOf('<'); i !== -1; i = text.indexOf('<', i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (next === 0x2f /* / */ || next === 0x21 /* ! */ || next === 0x3f /* ? */) continue;
    if (++count > MAX_XML_ELEMENTS + 1) throw new WechatProtocolError('bad_xml', `More than ${MAX_XML_ELEMENTS} XML elements`);
  }
}

function convertChildren(nodes: OrderedNode[], parent: string): XmlFields | string {
  const fields = new Map<string, unknown>();
  // Arrays made here for repeated names, grown in place: copying on each repeat was quadratic
  // (20,000 repeats took 9 s of CPU).
  const repeated = new Set<string>();
  let text = '';
  let hasText = false;
  for (const node of nodes) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '#text') {
        text += decodeEntities(String(value), parent);
        hasText = true;
      } else if (key === '#cdata') {
        text += cdataText(value);
        hasText = true;
      } else if (Array.isArray(value)) {
        addField(fields, repeated, key, convertChildren(value as OrderedNode[], key));
      }
    }
  }
  if (fields.size === 0) return text;
  if (hasText && text.trim() !== '') {
    throw new WechatProtocolError('bad_xml', `<${parent}> mixes text with child elements`, { field: parent });
  }
  return Object.fromEntries(fields);
}

function addField(fields: Map<string, unknown>, repeated: Set<string>, key: string, value: unknown): void {
  if (!fields.has(key)) {
    fields.set(key, value);
  } else if (repeated.has(key)) {
    (fields.get(key) as unknown[]).push(value);
  } else {
    fields.set(key, [fields.get(key), value]);
    repeated.add(key);
  }
}

function cdataText(value: unknown): string {
  const parts = Array.isArray(value) ? (value as OrderedNode[]) : [];
  return parts.map((part) => String(part['#text'] ?? '')).join('');
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(raw: string, element: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[^\s&;]+);/g, (_match, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!isXmlChar(code)) {
        throw new WechatProtocolError('bad_xml', `Invalid character reference &${ref}; in <${element}>`, { field: element });
      }
      return String.fromCodePoint(code);
    }
    const decoded = PREDEFINED[ref];
    if (decoded === undefined) {
      throw new WechatProtocolError('bad_xml', `Undeclared entity &${ref}; in <${element}>`, { field: element });
    }
    return decoded;
  });
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 || code === 0xa || code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

export { buildXml, cdata, sanitizeXmlText } from './xml-build';
