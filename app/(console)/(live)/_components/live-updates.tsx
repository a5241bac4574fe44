'use client';
// Keeps the page current: one EventSource on /api/live; each event (ids and kinds only) refetches
// the server component, at most every 250 ms however busy the queue. EventSource reconnects by
// itself with Last-Event-ID; the server then replays what was missed or says "refresh". The tab's
// title carries the number waiting.
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { cx } from '@/components/ui/styles';

const MIN_REFRESH_GAP_MS = 250;
const EVENT_KINDS = ['sessions', 'agents', 'refresh'] as const;

type LiveState = 'connecting' | 'open' | 'lost';

/** "(3) " before a title: the waiting count, readable from another tab, as mail and chat tools show unread counts. */
const COUNT_PREFIX = /^\(\d+\) /;

export function LiveUpdates({ labels, waiting }: { labels: Record<LiveState, string>; waiting: number }) {
  const router = useRouter();
  const [state, setState] = useState<LiveState>('connecting');
  const lastRefresh = useRef(0);

  // Each refetch writes the page's own title back, in its own time: the count is put in again
  // whenever the title changes, not only when the number does.
  useEffect(() => {
    const apply = () => {
      const base = document.title.replace(COUNT_PREFIX, '');
      const wanted = waiting > 0 ? `(${waiting}) ${base}` : base;
      if (document.title !== wanted) document.title = wanted;
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => {
      observer.disconnect();
      document.title = document.title.replace(COUNT_PREFIX, '');
    };
  }, [waiting]);

  useEffect(() => {
    const source = new EventSource('/api/live');
    let timer: ReturnType<typeof setTimeout> | undefined;
    let wasLost = false;
    const refresh = () => {
      if (timer !== undefined) return;
      const wait = Math.max(0, lastRefresh.current + MIN_REFRESH_GAP_MS - Date.now());
      timer = setTimeout(() => {
        timer = undefined;
        lastRefresh.current = Date.now();
        router.refresh();
      }, wait);
    };
    for (const kind of EVENT_KINDS) source.addEventListener(kind, refresh);
    source.onopen = () => {
      setState('open');
      // Back after a drop: whatever happened meanwhile arrives as events or a "refresh", but a
      // refetch now costs one read and leaves nothing to chance.
      if (wasLost) refresh();
      wasLost = false;
    };
    source.onerror = () => {
      wasLost = true;
      setState('lost');
      // Refused (signed out): EventSource gives up; a reload lands on the sign-in page.
      if (source.readyState === EventSource.CLOSED) timer = setTimeout(() => window.location.reload(), 5000);
    };
    return () => {
      source.close();
      clearTimeout(timer);
    };
  }, [router]);

  return (
    <p role="status" data-live-state={state} className="flex items-center gap-2 text-sm text-slate-600">
      <span
        aria-hidden
        className={cx('inline-block size-2 rounded-full', state === 'open' ? 'bg-brand-600' : state === 'lost' ? 'bg-amber-500' : 'bg-slate-400')}
      />
      {labels[state]}
    </p>
  );
}
