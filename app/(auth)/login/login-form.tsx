'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

interface Labels {
  email: string;
  password: string;
  submit: string;
  submitting: string;
  invalid: string;
  missing: string;
  throttled: string;
  unavailable: string;
  failed: string;
}

/** Maps next-auth's error (our code from authorize) to a sentence; see SignInErrorCode. */
function describeError(code: string, labels: Labels): string {
  const throttled = /^throttled:(\d+)$/.exec(code);
  if (throttled) return labels.throttled.replace('{minutes}', throttled[1]!);
  if (code === 'invalid' || code === 'CredentialsSignin') return labels.invalid;
  if (code === 'unavailable') return labels.unavailable;
  return labels.failed;
}

export function LoginForm({
  labels,
  next,
  ended,
}: {
  labels: Labels;
  /** Where to go once signed in (a checked path). */
  next: string;
  /** Why this browser is here: its sign-in ended elsewhere. Said until the first attempt, whose own answer then stands alone. */
  ended?: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [attempted, setAttempted] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setAttempted(true);
    const form = new FormData(event.currentTarget);
    // Said here, not sent: an empty attempt is no failed sign-in (nor one toward the throttle).
    if (String(form.get('email') ?? '').trim() === '' || String(form.get('password') ?? '') === '') {
      setError(labels.missing);
      return;
    }
    setPending(true);
    setError(null);
    try {
      const result = await signIn('credentials', {
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
        redirect: false,
      });
      if (!result || result.error) {
        setError(describeError(result?.error ?? '', labels));
        return;
      }
      router.replace(next);
      router.refresh();
    } catch {
      setError(labels.failed);
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} method="post" className="space-y-4" noValidate>
      {ended && !attempted && (
        <p role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {ended}
        </p>
      )}
      <div>
        <label htmlFor="email" className="mb-1 block text-sm font-medium text-slate-700">
          {labels.email}
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          className="w-full rounded-md border border-slate-300 px-3 py-2 text-base focus:border-brand-600 focus:ring-2 focus:ring-brand-100 focus:outline-none"
        />
      </div>
      <div>
        <label htmlFor="password" className="mb-1 block text-sm font-medium text-slate-700">
          {labels.password}
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-describedby={error ? 'login-error' : undefined}
          className="w-full rounded-md border border-slate-300 px-3 py-2 text-base focus:border-brand-600 focus:ring-2 focus:ring-brand-100 focus:outline-none"
        />
      </div>
      {error && (
        <p id="login-error" role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:brightness-90 disabled:opacity-60"
      >
        {pending ? labels.submitting : labels.submit}
      </button>
    </form>
  );
}
