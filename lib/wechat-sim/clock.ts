// The simulator's clock: real time (or an injected source) plus an offset tests can move forward.
// Every WeChat rule (token expiry, send windows, invite expiry, idle sessions) reads this clock
// lazily, so advancing it needs no timers.

export interface SimClock {
  /** Milliseconds since the epoch, as the fake WeChat sees them. */
  now(): number;
  /** Unix seconds, the unit WeChat uses on the wire. */
  nowSeconds(): number;
  /** Move the fake time forward; never backwards, because WeChat's rules assume time only grows. */
  advance(ms: number): void;
}

export function createClock(source: () => number = Date.now): SimClock {
  let offset = 0;
  const now = () => source() + offset;
  return {
    now,
    nowSeconds: () => Math.floor(now() / 1000),
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock.advance needs a non-negative number, got ${ms}`);
      offset += ms;
    },
  };
}
