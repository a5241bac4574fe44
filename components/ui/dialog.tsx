'use client';
// A modal on the native <dialog>: the browser keeps focus inside, makes the page behind inert and
// closes on Esc. We add what it leaves out: focus goes to [data-autofocus] (or the first field, not
// the close button) on open and back to what had it on close, Tab wraps around inside (focus-wrap.ts),
// and a click on the backdrop closes.
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { Button } from './button';
import { tabbables, wrappedFocus } from './focus-wrap';
import { cx } from './styles';

export interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  /** The close button's label (in the page's language). */
  closeLabel: string;
  /**
   * Something sent from the dialog is under way: Esc, the backdrop and × leave it open, so its result
   * is seen. (Chromium lets a second Esc in a row close it anyway; the caller shows the result then.)
   */
  busy?: boolean;
  className?: string;
  children?: ReactNode;
}

export function Dialog({ open, onClose, title, description, closeLabel, busy = false, className, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      const first = dialog.querySelector<HTMLElement>('[data-autofocus], input:not([type=hidden]), select, textarea');
      first?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  // Esc, the close button and dialog.close() all end in the close event.
  function handleClose() {
    const target = returnFocus.current;
    returnFocus.current = null;
    if (target?.isConnected) target.focus();
    onClose();
  }

  function keepTabInside(event: KeyboardEvent<HTMLDialogElement>) {
    if (event.key !== 'Tab' || !ref.current) return;
    const controls = tabbables(ref.current);
    const current = controls.indexOf(document.activeElement as HTMLElement);
    // Focus on something inside that Tab does not stop at (text focused by a script): the browser knows the next stop.
    if (current === -1 && document.activeElement !== ref.current && ref.current.contains(document.activeElement)) return;
    const target = wrappedFocus(current, controls.length, event.shiftKey);
    if (target === undefined) return;
    event.preventDefault();
    controls[target]!.focus();
  }

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onClose={handleClose}
      onCancel={(event) => {
        if (busy) event.preventDefault();
      }}
      onKeyDown={keepTabInside}
      onClick={(event) => {
        // The dialog element itself is hit only outside its content box: the backdrop.
        if (event.target === ref.current && !busy) ref.current.close();
      }}
      className={cx(
        'm-auto w-[calc(100%-2rem)] max-w-md rounded-xl border border-slate-200 bg-white p-0 text-slate-900 shadow-xl',
        'backdrop:bg-slate-900/40',
        className,
      )}
    >
      <div className="p-5">
        <div className="mb-3 flex items-start justify-between gap-4">
          <h2 id={titleId} className="text-base font-semibold">
            {title}
          </h2>
          <Button variant="ghost" size="sm" aria-label={closeLabel} disabled={busy} onClick={() => ref.current?.close()} className="-mt-1 -mr-2">
            <span aria-hidden="true" className="text-lg leading-none">
              ×
            </span>
          </Button>
        </div>
        {description && (
          <div id={descriptionId} className="mb-4 text-sm text-slate-600">
            {description}
          </div>
        )}
        {open && children}
      </div>
    </dialog>
  );
}
