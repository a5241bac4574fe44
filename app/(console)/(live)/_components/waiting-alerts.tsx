'use client';
// Desktop notifications when someone starts waiting, for staff with the Live page open in a tab they
// are not looking at (as Chatwoot and Zendesk offer). Off until asked for; the choice is kept in this
// browser. Browsers give notifications only to https pages (and localhost): elsewhere the switch is
// not shown.
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';

const STORAGE_KEY = 'wekf.waitingAlerts';

export interface WaitingAlertLabels {
  on: string;
  off: string;
  denied: string;
  title: string;
  /** With {count}. */
  body: string;
}

const noSubscribe = () => () => {};
/** Whether this page may show notifications at all (false in the server's HTML). */
function useNotificationsAvailable(): boolean {
  return useSyncExternalStore(
    noSubscribe,
    () => 'Notification' in window && window.isSecureContext,
    () => false,
  );
}

export function WaitingAlerts({ waiting, labels }: { waiting: number; labels: WaitingAlertLabels }) {
  const available = useNotificationsAvailable();
  const [enabled, setEnabled] = useState(false);
  const [denied, setDenied] = useState(false);
  const before = useRef(waiting);

  useEffect(() => {
    if (available) setEnabled(window.localStorage.getItem(STORAGE_KEY) === 'on' && Notification.permission === 'granted');
  }, [available]);

  // One notification when the line grows while the page is out of sight; the tag replaces the last.
  useEffect(() => {
    const grew = waiting > before.current;
    before.current = waiting;
    if (!grew || !enabled || document.visibilityState === 'visible') return;
    new Notification(labels.title, { body: labels.body.replace('{count}', String(waiting)), tag: 'wekf-waiting' });
  }, [waiting, enabled, labels]);

  if (!available) return null;
  const toggle = async () => {
    if (enabled) {
      window.localStorage.removeItem(STORAGE_KEY);
      setEnabled(false);
      return;
    }
    const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
    setDenied(permission === 'denied');
    if (permission !== 'granted') return;
    window.localStorage.setItem(STORAGE_KEY, 'on');
    setEnabled(true);
  };
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <button
        type="button"
        aria-pressed={enabled}
        onClick={() => void toggle()}
        className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700"
      >
        {enabled ? labels.on : labels.off}
      </button>
      {denied && <span className="text-amber-800">{labels.denied}</span>}
    </div>
  );
}
