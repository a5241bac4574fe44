'use client';

import type { ButtonHTMLAttributes, Ref } from 'react';
import { useFormStatus } from 'react-dom';
import { cx, focusRing } from './styles';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost';
export type ButtonSize = 'sm' | 'md';

const variants: Record<ButtonVariant, string> = {
  // brightness, not a lighter shade, on hover: white text keeps its contrast.
  primary: 'border-transparent bg-brand-700 text-white shadow-xs hover:brightness-90 active:brightness-85',
  secondary: 'border-slate-300 bg-white text-slate-800 shadow-xs hover:bg-slate-50 active:bg-slate-100',
  danger: 'border-transparent bg-red-700 text-white shadow-xs hover:brightness-90 active:brightness-85',
  ghost: 'border-transparent bg-transparent text-slate-700 hover:bg-slate-100 active:bg-slate-200',
};

const sizes: Record<ButtonSize, string> = {
  sm: 'gap-1.5 px-2.5 py-1 text-sm',
  md: 'gap-2 px-4 py-2 text-sm',
};

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Busy: disabled, with a spinner; the label stays, so the button keeps its name. */
  pending?: boolean;
  ref?: Ref<HTMLButtonElement>;
}

export function Button({ variant = 'secondary', size = 'md', pending = false, disabled, className, children, type, ...rest }: ButtonProps) {
  return (
    <button
      type={type ?? 'button'}
      disabled={disabled || pending}
      aria-busy={pending || undefined}
      className={cx(
        'inline-flex shrink-0 items-center justify-center rounded-md border font-medium whitespace-nowrap transition',
        'disabled:cursor-not-allowed disabled:opacity-60 disabled:hover:brightness-100',
        focusRing,
        variants[variant],
        sizes[size],
        className,
      )}
      {...rest}
    >
      {pending && <Spinner />}
      {children}
    </button>
  );
}

/** A form's submit button: pending while its form's action runs. */
export function SubmitButton({ pending, ...props }: Omit<ButtonProps, 'type'>) {
  const status = useFormStatus();
  return <Button type="submit" pending={pending ?? status.pending} {...props} />;
}

function Spinner() {
  return (
    <svg className="size-4 animate-spin" viewBox="0 0 24 24" fill="none" aria-hidden="true">
      <circle cx="12" cy="12" r="9" stroke="currentColor" strokeOpacity="0.3" strokeWidth="3" />
      <path d="M21 12a9 9 0 0 0-9-9" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
}
