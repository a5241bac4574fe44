'use server';
// Session history's one mutation: pull WeChat's chat records now instead of at the next run.
// Operators may: it changes nothing but brings the transcripts up to date. Audited in the use case.
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { currentDatabase } from '@/db/client';
import { staffAction } from '@/lib/actions';
import { pullTranscriptsNow } from '@/lib/kf/transcripts';
import { wechatApiForConsole } from '@/lib/wechat-account/console';

export const pullTranscriptsAction = staffAction(z.object({}), async (_input, { user, t }) => {
  const result = await pullTranscriptsNow(currentDatabase(), wechatApiForConsole(), user.id);
  revalidatePath('/sessions', 'layout');
  return result.busy ? t('session.pullBusy') : t('session.pulled', { added: result.added });
});
