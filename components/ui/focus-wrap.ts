// Tab and Shift+Tab wrap around inside a modal dialog (WAI-ARIA dialog pattern). The native <dialog>
// makes the page behind inert, but Tab from its last control leaves for the browser's own UI and the
// document before coming back, so a keyboard user passes through nothing they can use. Kept apart
// from the component so the rule can be tested.

/** What a Tab press can reach: enabled controls and links not taken out of the order, and shown. */
const TABBABLE = 'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]';

export function tabbables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(TABBABLE)).filter(
    (el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && !el.closest('[inert], [hidden]') && el.getClientRects().length > 0,
  );
}

/**
 * The index to move focus to instead of the browser's next stop, or undefined to let the browser
 * move it. `current` is the focused control's index among `count`, or -1 when focus is on none of
 * them (the dialog itself).
 */
export function wrappedFocus(current: number, count: number, shift: boolean): number | undefined {
  if (count === 0) return undefined;
  if (current === -1) return shift ? count - 1 : 0;
  if (shift && current === 0) return count - 1;
  if (!shift && current === count - 1) return 0;
  return undefined;
}
