'use client';
// Times that tick in the browser (waiting for, wait expires in) from one shared one-second clock,
// so a long queue does not start a timer per row. The server renders the same text first.
import { useSyncExternalStore } from 'react';

let now = Date.now();
const subscribers = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(callback: () => void) {
  subscribers.add(callback);
  timer ??= setInterval(() => {
    now = Date.now();
    for (const s of subscribers) s();
  }, 1000);
  return () => {
    subscribers.delete(callback);
    if (subscribers.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

function useNow(serverNow: number): number {
  return useSyncExternalStore(subscribe, () => Math.max(now, serverNow), () => serverNow);
}

export function formatDuration(ms: number, locale: 'zh' | 'en'): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (locale === 'zh') return h > 0 ? `${h}小时${m}分` : m > 0 ? `${m}分${s}秒` : `${s}秒`;
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m ${String(s).padStart(2, '0')}s` : `${s}s`;
}

/** How long since `from` (ISO), ticking. */
export function Elapsed({ from, serverNow, locale }: { from: string; serverNow: number; locale: 'zh' | 'en' }) {
  const current = useNow(serverNow);
  return <time dateTime={from}>{formatDuration(current - Date.parse(from), locale)}</time>;
}

/** How long until `until` (ISO), ticking down to zero. */
export function Countdown({ until, serverNow, locale }: { until: string; serverNow: number; locale: 'zh' | 'en' }) {
  const current = useNow(serverNow);
  return <time dateTime={until}>{formatDuration(Date.parse(until) - current, locale)}</time>;
}
