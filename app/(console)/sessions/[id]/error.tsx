'use client';
import { PageError } from '../_components/page-error';

export default function SessionsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError messageKey="sessions.error" digest={error.digest} reset={reset} />;
}
