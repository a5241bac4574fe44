'use client';
// While any console page is open and visible, ask for fresh online status on opening and every 30 s (the server
// refreshes from WeChat at most once per 25 s for every instance and page: app/api/online). The live
// page hears the change through its event stream; the Agents page, which has none, is refreshed here.
import { usePathname, useRouter } from 'next/navigation';
import { useEffect } from 'react';

const EVERY_MS = 30_000;

export function OnlineHeartbeat() {
  const router = useRouter();
  const pathname = usePathname();
  useEffect(() => {
    const tick = () => {
      if (document.visibilityState !== 'visible') return;
      void fetch('/api/online', { method: 'POST' })
        .then((response) => (response.ok ? (response.json() as Promise<{ refreshed: boolean }>) : undefined))
        .then((result) => {
          if (result?.refreshed && pathname === '/agents') router.refresh();
        })
        // Offline for a moment: the next tick asks again.
        .catch(() => {});
    };
    // At once too, and on coming back to the tab: a page just opened would otherwise show status
    // as old as the last agent sync (5 minutes) until the first tick.
    tick();
    const timer = setInterval(tick, EVERY_MS);
    document.addEventListener('visibilitychange', tick);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', tick);
    };
  }, [router, pathname]);
  return null;
}
