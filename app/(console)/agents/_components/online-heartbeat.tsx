'use client';
// While this page is open and visible, ask for fresh online status every 30 s (the server refreshes
// from WeChat at most once per 25 s for everyone) and show it when it changed.
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { refreshOnlineAction } from '../actions';

const EVERY_MS = 30_000;

export function OnlineHeartbeat() {
  const router = useRouter();
  useEffect(() => {
    const tick = () => {
      if (document.visibilityState !== 'visible') return;
      void refreshOnlineAction().then((result) => {
        if (result.ok && result.value) router.refresh();
      });
    };
    const timer = setInterval(tick, EVERY_MS);
    return () => clearInterval(timer);
  }, [router]);
  return null;
}
