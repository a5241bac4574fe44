'use client';
// Asks before leaving a page with unsaved edits: a reload, a closed tab or another site get the
// browser's own question (beforeunload), and a link inside the console gets `message`. Next's links
// navigate from their click handler, so the question is asked on the click's way down (a capturing
// listener on the document), before React sees it. The browser's back button within the console is
// not asked about: the app router gives no way to hold it.
import { useEffect } from 'react';

const dirtyForms = new Set<symbol>();
let question = '';

function onBeforeUnload(event: BeforeUnloadEvent) {
  if (dirtyForms.size === 0) return;
  event.preventDefault();
  // Older Chromium asks only when returnValue is set.
  event.returnValue = '';
}

function onClick(event: MouseEvent) {
  if (dirtyForms.size === 0 || event.defaultPrevented || event.button !== 0) return;
  // A new tab or window leaves this page as it is.
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target instanceof Element ? event.target.closest<HTMLAnchorElement>('a[href]') : null;
  if (!link || link.hasAttribute('download') || (link.target !== '' && link.target !== '_self')) return;
  const to = new URL(link.href, window.location.href);
  // Another site unloads this page: beforeunload asks. A link to a place on this page leaves nothing.
  if (to.origin !== window.location.origin) return;
  if (to.pathname === window.location.pathname && to.search === window.location.search) return;
  if (window.confirm(question)) return;
  event.preventDefault();
  event.stopPropagation();
}

/** While `dirty`, leaving the page asks first; `message` is the question for a link inside the console. */
export function useLeaveGuard(dirty: boolean, message: string): void {
  useEffect(() => {
    if (!dirty) return;
    const form = Symbol('dirty form');
    question = message;
    if (dirtyForms.size === 0) {
      window.addEventListener('beforeunload', onBeforeUnload);
      document.addEventListener('click', onClick, true);
    }
    dirtyForms.add(form);
    return () => {
      dirtyForms.delete(form);
      if (dirtyForms.size > 0) return;
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [dirty, message]);
}
