'use client';
// One settings section's form: the version it was loaded at (the server refuses the save when
// someone saved since), where the values came from, read-only for operators, a question before a
// link leaves it with unsaved edits, and Ctrl+Enter to save from any field.
import { useId, useState, useSyncExternalStore, type ReactNode } from 'react';
import { SubmitButton } from '@/components/ui/button';
import { FormResultProvider, useFormAction, type FormAction, type FormResult } from '@/components/ui/form';
import { useLeaveGuard } from '@/components/ui/leave-guard';
import { FormNotice } from '@/components/ui/notice';

export function SectionForm({
  id,
  title,
  source,
  action,
  version,
  readOnly,
  submitLabel,
  children,
  aside,
  leaveWarning,
  shortcutHint,
}: {
  id: string;
  title: string;
  /** Where the values in force came from: saved by whom and when, or the env seed. */
  source: string;
  action: FormAction;
  version: number;
  readOnly: boolean;
  submitLabel: string;
  children: (result: FormResult) => ReactNode;
  /**
   * Shown beside the form (below it on a phone), outside it: what it holds stays usable when the
   * form is read-only (the hours preview's "what if someone writes at…" for operators).
   */
  aside?: ReactNode;
  /** Asked before a link leaves the page while the form holds unsaved edits. */
  leaveWarning: string;
  /** Said beside the Save button: Ctrl+Enter saves from any field. */
  shortcutHint: string;
}) {
  // Edited since loaded or last saved: typing in a field, or a button that adds or removes rows.
  const [dirty, setDirty] = useState(false);
  const [result, formAction] = useFormAction(action, { onSuccess: () => setDirty(false) });
  useLeaveGuard(dirty && !readOnly, leaveWarning);
  const noticeId = useId();
  const hydrated = useHydrated();
  return (
    <section aria-labelledby={`${id}-heading`} className="mb-8 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
      <div className="mb-4">
        <h2 id={`${id}-heading`} className="text-base font-semibold">
          {title}
        </h2>
        <p className="mt-0.5 text-xs text-slate-500" data-testid={`${id}-source`}>
          {source}
        </p>
      </div>
      <div className={aside ? 'grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,22rem)]' : undefined}>
        <form
          action={formAction}
          noValidate
          aria-describedby={noticeId}
          aria-keyshortcuts={readOnly ? undefined : 'Control+Enter Meta+Enter'}
          className="space-y-4"
          data-testid={`${id}-form`}
          data-hydrated={hydrated || undefined}
          // Ctrl+Enter (⌘+Enter) saves from any field, a text area included: the Save button can be
          // dozens of Tabs away in a long section such as the reply texts.
          onKeyDown={(event) => {
            if (readOnly || event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
            event.preventDefault();
            event.currentTarget.requestSubmit();
          }}
        >
          <input type="hidden" name="version" value={version} />
          <fieldset
            disabled={readOnly}
            className="min-w-0 space-y-4"
            onInput={() => setDirty(true)}
            onClick={(event) => {
              if (event.target instanceof HTMLButtonElement && event.target.type === 'button') setDirty(true);
            }}
          >
            <FormResultProvider value={result}>{children(result)}</FormResultProvider>
          </fieldset>
          {!readOnly && (
            <div className="flex flex-wrap items-center gap-3 border-t border-slate-100 pt-4">
              <SubmitButton variant="primary">{submitLabel}</SubmitButton>
              {/* Not on a phone, which has no Ctrl key. */}
              <span className="hidden text-xs text-slate-500 sm:inline">{shortcutHint}</span>
              {/* "Saved" stops being true at the next edit. */}
              <FormNotice id={noticeId} state={dirty && result.status === 'success' ? { status: 'idle' } : result} className="min-w-0" />
            </div>
          )}
        </form>
        {aside && <div className="min-w-0 space-y-4">{aside}</div>}
      </div>
    </section>
  );
}

const noChange = () => () => {};
/**
 * False in the server's HTML and while React hydrates, true once this form is live. The form shows
 * it as data-hydrated, so a test knows when typing reaches React's state (typed earlier, it is lost).
 */
function useHydrated(): boolean {
  return useSyncExternalStore(
    noChange,
    () => true,
    () => false,
  );
}
