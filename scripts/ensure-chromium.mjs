// pretest: make sure a Chromium exists for the end-to-end tests, or stop with a clear message.
import { spawnSync } from 'node:child_process';
import { findChromium } from './chromium-path.mjs';

if (!findChromium()) {
  process.stdout.write('wekf: no Chromium found (CHROMIUM_PATH, /usr/bin/chromium); trying `playwright install chromium`…\n');
  const install = spawnSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit' });
  if (install.status !== 0 || !findChromium()) {
    process.stderr.write(
      'wekf: the end-to-end tests need Chromium and none could be found or installed.\n' +
        '      Install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH, then run npm test again.\n',
    );
    process.exit(1);
  }
}
