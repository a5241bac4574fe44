'use client';
// A button that opens a dialog holding a form bound to a server action: the dialog closes when the
// action succeeds and its message appears beside the button; a refusal stays in the dialog, beside
// the field it names. Each opening starts from a fresh form. When the action removes the button's
// own row (closing a session, dropping a follower), the message is announced for the page instead
// and the focus goes to the page's main content, not lost to the document.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { announce } from './announcer';
import { Button, SubmitButton, type ButtonSize, type ButtonVariant } from './button';
import { Dialog } from './dialog';
import { FormResultProvider, useFormAction, type FormAction } from './form';
import { FormNotice } from './notice';
import type { FileLimits } from '@/lib/forms/file-limits';

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
  const [done, setDone] = useState<string | undefined>();
  const succeeded = useRef<{ message: string; at: number } | undefined>(undefined);
  useEffect(
    () => () => {
      // Unmounted soon after succeeding: the page re-rendered without this row.
      const last = succeeded.current;
      if (!last || Date.now() - last.at > 10_000) return;
      announce(last.message);
      if (document.activeElement === null || document.activeElement === document.body) document.getElementById('main')?.focus();
    },
    [],
  );
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button
        variant={triggerVariant}
        size={triggerSize}
        aria-haspopup="dialog"
        onClick={() => {
          setDone(undefined);
          setOpened((n) => n + 1);
          setOpen(true);
        }}
      >
        {triggerLabel}
      </Button>
      <FormNotice compact state={done ? { status: 'success', message: done } : { status: 'idle' }} />
      <Dialog open={open} onClose={() => setOpen(false)} title={title} description={description} closeLabel={closeLabel}>
        <DialogForm
          key={opened}
          {...form}
          onDone={(message) => {
            setDone(message);
            succeeded.current = message ? { message, at: Date.now() } : undefined;
            setOpen(false);
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
  onDone,
  onCancel,
}: Pick<ActionDialogProps, 'action' | 'keep' | 'fileLimits' | 'submitLabel' | 'submitVariant' | 'cancelLabel' | 'focusCancel' | 'children'> & {
  onDone: (message: string | undefined) => void;
  onCancel: () => void;
}) {
  const [result, formAction] = useFormAction(action, { keep, fileLimits, onSuccess: (r) => onDone(r.message) });
  return (
    <form action={formAction} noValidate className="space-y-4">
      <FormResultProvider value={result}>{children}</FormResultProvider>
      <FormNotice state={result.status === 'error' ? result : { status: 'idle' }} />
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="secondary" onClick={onCancel} data-autofocus={focusCancel ? true : undefined}>
          {cancelLabel}
        </Button>
        <SubmitButton variant={submitVariant}>{submitLabel}</SubmitButton>
      </div>
    </form>
  );
}

/** Asks before a drastic action (disable someone, end a session); Cancel has the focus. */
export function ConfirmDialog(props: Omit<ActionDialogProps, 'focusCancel' | 'submitVariant' | 'triggerVariant'> & { triggerVariant?: ButtonVariant }) {
  return <ActionDialog triggerVariant="danger" {...props} submitVariant="danger" focusCancel />;
}
