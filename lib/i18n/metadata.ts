// Each page's <title>: its own name before the console's (app/layout.tsx's template), so browser
// tabs, history and screen readers tell the pages apart.
import type { Metadata } from 'next';
import type { MessageKey } from './format';
import { getT } from './server';

/** A page's generateMetadata: its title from the catalog, in the reader's language. */
export function titled(key: MessageKey, vars?: Record<string, string | number>): () => Promise<Metadata> {
  return async () => ({ title: (await getT()).t(key, vars) });
}
