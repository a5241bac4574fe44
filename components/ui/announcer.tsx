'use client';
// Says what an action did when the place that would have said it is gone: a dialog's success message
// sits beside its button, and when the action removes the row holding both (a session closed, a
// follower dropped, an agent removed) the message would vanish with it. The console layout holds one
// Announcer; announce() shows a message there for a few seconds, read out by screen readers.
import { useEffect, useState } from 'react';

const EVENT = 'wekf:announce';
const SHOWN_MS = 6000;

export function announce(message: string): void {
  window.dispatchEvent(new CustomEvent<string>(EVENT, { detail: message }));
}

export function Announcer() {
  const [message, setMessage] = useState<string | undefined>();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const show = (event: Event) => {
      setMessage((event as CustomEvent<string>).detail);
      clearTimeout(timer);
      timer = setTimeout(() => setMessage(undefined), SHOWN_MS);
    };
    window.addEventListener(EVENT, show);
    return () => {
      window.removeEventListener(EVENT, show);
      clearTimeout(timer);
    };
  }, []);
  return (
    <div role="status" data-testid="announcer" className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex justify-center px-4">
      {message && <p className="rounded-lg bg-slate-900 px-4 py-2 text-sm text-white shadow-lg">{message}</p>}
    </div>
  );
}
