'use client';
// The page could not be read (the database is down, say): say so and offer to try again; the
// details stay in the server's log.
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';

export default function AgentsError({ reset }: { reset: () => void }) {
  const zh = typeof document !== 'undefined' && document.documentElement.lang.startsWith('zh');
  return (
    <EmptyState
      title={zh ? '客服人员暂时无法显示' : 'The agents cannot be shown right now'}
      action={<Button onClick={reset}>{zh ? '重试' : 'Try again'}</Button>}
    >
      {zh ? '读取数据时出错，请稍后重试。' : 'Reading them failed; try again shortly.'}
    </EmptyState>
  );
}
