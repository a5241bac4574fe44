// `node --import ./scripts/server-only-register.mjs` (or `tsx --import …`): lets code run outside Next
// (server.ts under tsx, scripts, benchmarks) load modules marked `import 'server-only'`, which
// otherwise throw. The production bundle and vitest do the same in their own configs.
import { register } from 'node:module';

register('./server-only-hooks.mjs', import.meta.url);
