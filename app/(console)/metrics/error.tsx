'use client';
import { PageError } from '../sessions/_components/page-error';

export default function MetricsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError messageKey="metrics.error" digest={error.digest} reset={reset} />;
}
