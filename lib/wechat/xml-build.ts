// Reply XML in the shape WeChat documents: strings in CDATA, numbers bare, no declaration, no
// whitespace between elements.

// Control characters (except TAB/LF/CR), lone surrogates and U+FFFE/U+FFFF: most cannot appear in
// XML 1.0 at all, and WeChat answers a reply containing them with "该公众号暂时无法提供服务".
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ELEMENT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

// The same class without the global flag, to test without the lastIndex state a global regex keeps.
const HAS_INVALID_XML_CHAR = new RegExp(INVALID_XML_CHARS.source);

export function sanitizeXmlText(s: string): string {
  // Nearly every string is clean: a test allocates nothing where a replace would build a copy.
  return HAS_INVALID_XML_CHAR.test(s) ? s.replace(INVALID_XML_CHARS, '') : s;
}

/** What ends a CDATA section, and how cdata() writes it inside one: split across two sections. */
export const CDATA_END = ']]>';
export const CDATA_END_SPLIT = ']]]]><![CDATA[>';

/** Wraps text in CDATA; a `]]>` inside is split across two sections so it cannot end the first early. */
export function cdata(s: string): string {
  const clean = sanitizeXmlText(s);
  return `<![CDATA[${clean.includes(CDATA_END) ? clean.replaceAll(CDATA_END, CDATA_END_SPLIT) : clean}]]>`;
}

/**
 * Builds `<xml>…</xml>` from the root's children, in key order. Strings become CDATA, numbers and
 * bigints are written bare, objects nest, arrays repeat the element (e.g. `{ item: [a, b] }`), and
 * `undefined`/`null` values are left out.
 */
export function buildXml(rootChildren: Record<string, unknown>): string {
  return `<xml>${buildChildren(rootChildren)}</xml>`;
}

// Element names already checked: replies use a handful, and every webhook answer builds one.
const checkedNames = new Set<string>();

function checkName(name: string): void {
  if (checkedNames.has(name)) return;
  if (!ELEMENT_NAME.test(name)) throw new TypeError(`Invalid XML element name: ${JSON.stringify(name)}`);
  if (checkedNames.size < 256) checkedNames.add(name);
}

function buildChildren(children: Record<string, unknown>): string {
  let out = '';
  for (const name of Object.keys(children)) {
    checkName(name);
    const value = children[name];
    if (Array.isArray(value)) for (const item of value as unknown[]) out += buildElement(name, item);
    else out += buildElement(name, value);
  }
  return out;
}

function buildElement(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return `<${name}>${cdata(value)}</${name}>`;
  if (typeof value === 'bigint') return `<${name}>${value.toString()}</${name}>`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`<${name}> must be a finite number`);
    return `<${name}>${String(value)}</${name}>`;
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    return `<${name}>${buildChildren(value as Record<string, unknown>)}</${name}>`;
  }
  throw new TypeError(`<${name}> has an unsupported value of type ${typeof value}`);
}
