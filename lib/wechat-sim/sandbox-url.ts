// The sandbox's fake WeChat address, for the console. server.ts starts the fake and Next's bundle
// renders the banner; each loads its own copy of this module, so the address lives on globalThis.
// Importing this file brings none of the fake itself into the console's bundle.
const KEY = Symbol.for('wekf.sandboxWechatUrl');
const holder = globalThis as { [KEY]?: string };

export function setSandboxWechatUrl(url: string | undefined): void {
  if (url === undefined) delete holder[KEY];
  else holder[KEY] = url;
}

/** The fake WeChat's origin in sandbox mode, once it is listening; undefined otherwise. */
export function sandboxWechatUrl(): string | undefined {
  return holder[KEY];
}
