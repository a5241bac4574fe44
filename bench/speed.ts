// How fast this machine is right now. This VM's speed drifts by 2× and more over a day (noisy
// neighbours), which moves every number in a report, so each report states the time of one fixed
// piece of JavaScript, run while the machine is idle. Runs are comparable when these times are close.

/** Milliseconds for a fixed 300-million-step integer loop: the best of three, on one core. */
export function referenceLoopMs(): number {
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    let x = 0;
    for (let i = 0; i < 300e6; i++) x = (x + i * 7) % 1000003;
    // Used, so the loop cannot be optimised away.
    if (x < 0) throw new Error('unreachable');
    best = Math.min(best, performance.now() - started);
  }
  return Math.round(best);
}
