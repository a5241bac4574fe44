// The switch of `npm run bench -- --ab` (bench/ab.ts), read inside the server. An experiment puts
// `if (abSwitch.on)` where its two versions differ — in its own working tree, never committed —
// and the bench flips the switch between rounds of one run, so both versions meet the same machine,
// the same database and the same warmed-up server. Without WEKF_AB_FILE (every other run) it is off.
import fs from 'node:fs';

const file = process.env.WEKF_AB_FILE;
let on = false;

if (file) {
  const read = () => {
    try {
      on = fs.readFileSync(file, 'utf8').trim() === 'b';
    } catch {
      // Not written yet: version a.
    }
  };
  read();
  // Each thread that imports this reads the file itself (the outbox's thread too).
  setInterval(read, 100).unref();
}

export const abSwitch = {
  /** True while the bench runs version b. */
  get on(): boolean {
    return on;
  },
};
