'use client';
// The follower's phone fills in after the action returns (queue position and greeting come through
// the outbox a moment later), so the sandbox re-reads the fake WeChat while the tab is visible. It
// reads the fake, never the database on a timer; the Live page itself is pushed (/api/live).
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

export function SandboxRefresher({ everyMs = 1500 }: { everyMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') router.refresh();
    }, everyMs);
    return () => clearInterval(timer);
  }, [router, everyMs]);
  return null;
}
