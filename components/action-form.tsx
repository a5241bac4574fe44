'use client';

import { useId, type ReactNode } from 'react';
import { SubmitButton, type ButtonSize, type ButtonVariant } from '@/components/ui/button';
import { FormResultProvider, useFormAction, type FormAction } from '@/components/ui/form';
import { FormNotice } from '@/components/ui/notice';
import { cx } from '@/components/ui/styles';

/**
 * A form bound to a server action (lib/actions.ts). Fields inside (Field, Input, Select…) show
 * their errors and, for the names in `keep`, what was typed after a refused submit.
 * `inline`: fields, button and result in one row, for a small form in a table row.
 * `stacked`: the fields (laid out by fieldsClassName), then the button with the result beside it.
 */
export function ActionForm({
  action,
  submitLabel,
  submitVariant = 'secondary',
  submitSize,
  keep,
  layout = 'inline',
  className,
  fieldsClassName,
  noValidate,
  children,
}: {
  action: FormAction;
  submitLabel: string;
  submitVariant?: ButtonVariant;
  submitSize?: ButtonSize;
  keep?: readonly string[];
  layout?: 'inline' | 'stacked';
  className?: string;
  fieldsClassName?: string;
  /** Leave every check to the server, whose messages are in the console's language. */
  noValidate?: boolean;
  children?: ReactNode;
}) {
  const [result, formAction] = useFormAction(action, { keep });
  const noticeId = useId();
  const fields = <FormResultProvider value={result}>{children}</FormResultProvider>;
  if (layout === 'inline') {
    return (
      <form action={formAction} noValidate={noValidate} aria-describedby={noticeId} className={cx('flex flex-wrap items-center gap-2', className)}>
        {fields}
        <SubmitButton variant={submitVariant} size={submitSize ?? 'sm'}>
          {submitLabel}
        </SubmitButton>
        <FormNotice id={noticeId} state={result} compact />
      </form>
    );
  }
  return (
    <form action={formAction} noValidate={noValidate} aria-describedby={noticeId} className={cx('space-y-4', className)}>
      <div className={fieldsClassName}>{fields}</div>
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton variant={submitVariant} size={submitSize ?? 'md'}>
          {submitLabel}
        </SubmitButton>
        <FormNotice id={noticeId} state={result} className="min-w-0" />
      </div>
    </form>
  );
}
