// The project's folder, for what the server loads at run time (the console's build, the outbox
// worker). This module runs from lib/server/ in source and from .next/wekf/ once bundled into the
// production server (scripts/bundle-server.mjs): two levels below the project either way.
import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function projectRoot(): string {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  if (!fs.existsSync(path.join(root, 'next.config.mjs'))) throw new Error(`${root} is not the wekf folder (no next.config.mjs)`);
  return root;
}
