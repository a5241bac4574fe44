'use client';
// A button that opens a dialog holding a form bound to a server action: the dialog closes when the
// action succeeds and its message appears beside the button; a refusal stays in the dialog, beside
// the field it names. Each opening starts from a fresh form. When the action removes the button's
// own row (closing a session, dropping a follower), the message is announced for the page instead
// and the focus goes to the same button on the row now in its place (or the row before), so the next
// follower is one key away; with no row left, to the page's main content, never lost to the
// document. While the action runs, the dialog stays open (Esc, the backdrop, × and Cancel wait),
// since an action under way cannot be called back; should the browser close it anyway, a refusal is
// shown beside the button.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { announce } from './announcer';
import { Button, SubmitButton, type ButtonSize, type ButtonVariant } from './button';
import { Dialog } from './dialog';
import { FormResultProvider, useFormAction, type FormAction } from './form';
import { FormNotice } from './notice';
import type { FileLimits } from '@/lib/forms/file-limits';
import type { FormState } from '@/lib/forms/form-state';

export interface ActionDialogProps {
  action: FormAction;
  triggerLabel: string;
  triggerVariant?: ButtonVariant;
  triggerSize?: ButtonSize;
  title: ReactNode;
  description?: ReactNode;
  submitLabel: string;
  submitVariant?: ButtonVariant;
  cancelLabel: string;
  closeLabel: string;
  /** Fields kept after a refused submit (never a password). */
  keep?: readonly string[];
  /** Files refused in the browser above their size (lib/forms/file-limits.ts). */
  fileLimits?: FileLimits;
  /** Focus Cancel on open instead of the first field: for a confirmation of something drastic. */
  focusCancel?: boolean;
  /** The form's fields, hidden ones included. */
  children?: ReactNode;
}

export function ActionDialog({ triggerLabel, triggerVariant = 'secondary', triggerSize = 'sm', title, description, closeLabel, ...form }: ActionDialogProps) {
  const [open, setOpen] = useState(false);
  const [opened, setOpened] = useState(0);
  const [busy, setBusy] = useState(false);
  // What the last action said, beside the button: its success, or a refusal that came back after the dialog was closed anyway.
  const [outcome, setOutcome] = useState<FormState>({ status: 'idle' });
  const isOpen = useRef(false);
  isOpen.current = open;
  const succeeded = useRef<{ message: string; at: number; place: RowPlace | undefined } | undefined>(undefined);
  const trigger = useRef<HTMLButtonElement>(null);
  // Where the trigger's row stood when the dialog opened: the dialog goes with the row if someone
  // else's change (another staff member, the follower unfollowing) takes it off the page.
  const openedAt = useRef<RowPlace | undefined>(undefined);
  useEffect(
    () => () => {
      // Unmounted soon after succeeding (the page re-rendered without this row), or while open.
      const last = succeeded.current;
      const recent = last !== undefined && Date.now() - last.at <= 10_000;
      if (!recent && !isOpen.current) return;
      if (recent) announce(last.message);
      if (document.activeElement !== null && document.activeElement !== document.body) return;
      const place = recent ? last.place : openedAt.current;
      const next = place && sameActionAt(place);
      if (next) next.focus();
      else document.getElementById('main')?.focus();
    },
    [],
  );
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button
        ref={trigger}
        variant={triggerVariant}
        size={triggerSize}
        aria-haspopup="dialog"
        disabled={busy && !open}
        onClick={() => {
          openedAt.current = rowPlaceOf(trigger.current);
          setOutcome({ status: 'idle' });
          setOpened((n) => n + 1);
          setOpen(true);
        }}
      >
        {triggerLabel}
      </Button>
      <FormNotice compact state={outcome} />
      <Dialog open={open} busy={busy} onClose={() => setOpen(false)} title={title} description={description} closeLabel={closeLabel}>
        <DialogForm
          key={opened}
          {...form}
          onBusy={setBusy}
          onDone={(message) => {
            setBusy(false);
            setOutcome(message ? { status: 'success', message } : { status: 'idle' });
            // Noted now, while the row is on the page: its list, its place in it and the button's label.
            succeeded.current = message ? { message, at: Date.now(), place: rowPlaceOf(trigger.current) } : undefined;
            setOpen(false);
          }}
          onRefused={(result) => {
            setBusy(false);
            if (!isOpen.current) setOutcome(result);
          }}
          onCancel={() => setOpen(false)}
        />
      </Dialog>
    </div>
  );
}

function DialogForm({
  action,
  keep,
  fileLimits,
  submitLabel,
  submitVariant = 'primary',
  cancelLabel,
  focusCancel,
  children,
  onBusy,
  onDone,
  onRefused,
  onCancel,
}: Pick<ActionDialogProps, 'action' | 'keep' | 'fileLimits' | 'submitLabel' | 'submitVariant' | 'cancelLabel' | 'focusCancel' | 'children'> & {
  onBusy: (busy: boolean) => void;
  onDone: (message: string | undefined) => void;
  onRefused: (result: FormState) => void;
  onCancel: () => void;
}) {
  // Called from the action itself, so they are heard even when the dialog was closed meanwhile.
  const [result, formAction, pending] = useFormAction(action, { keep, fileLimits, onSuccess: (r) => onDone(r.message), onRefused });
  useEffect(() => onBusy(pending), [pending, onBusy]);
  return (
    <form action={formAction} noValidate className="space-y-4">
      <FormResultProvider value={result}>{children}</FormResultProvider>
      <FormNotice state={result.status === 'error' ? result : { status: 'idle' }} />
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="secondary" onClick={onCancel} disabled={pending} data-autofocus={focusCancel ? true : undefined}>
          {cancelLabel}
        </Button>
        <SubmitButton variant={submitVariant}>{submitLabel}</SubmitButton>
      </div>
    </form>
  );
}

/** A row's place in its list, noted while it is on the page, to find what takes its place after. */
interface RowPlace {
  list: Element;
  index: number;
  label: string | null;
}

function rowPlaceOf(button: HTMLButtonElement | null): RowPlace | undefined {
  const row = button?.closest('tr, li');
  if (!button || !row?.parentElement) return undefined;
  return { list: row.parentElement, index: [...row.parentElement.children].indexOf(row), label: button.textContent };
}

/**
 * Once the page has re-rendered without the row: the button labelled alike on the row now in its
 * place (the next one moved up, the 21st of a list showing 20 included), else on the row before it,
 * else that row's first button; none when the list itself is gone.
 */
function sameActionAt(place: RowPlace): HTMLElement | null {
  if (!place.list.isConnected) return null;
  for (const row of [place.list.children[place.index], place.list.children[place.index - 1]]) {
    const buttons = [...(row?.querySelectorAll<HTMLButtonElement>('button:not([disabled])') ?? [])];
    const same = buttons.find((b) => b.textContent === place.label) ?? buttons[0];
    if (same) return same;
  }
  return null;
}

/** Asks before a drastic action (disable someone, end a session); Cancel has the focus. */
export function ConfirmDialog(props: Omit<ActionDialogProps, 'focusCancel' | 'submitVariant' | 'triggerVariant'> & { triggerVariant?: ButtonVariant }) {
  return <ActionDialog triggerVariant="danger" {...props} submitVariant="danger" focusCancel />;
}
