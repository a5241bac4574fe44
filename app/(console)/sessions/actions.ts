'use server';
// Session history's mutations: pull WeChat's chat records now instead of at the next run, and set
// the follower's remark. Operators may do both. Audited in the use cases.
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { currentDatabase } from '@/db/client';
import { staffAction } from '@/lib/actions';
import { setFollowerRemark } from '@/lib/kf/follower-remarks';
import { pullTranscriptsNow } from '@/lib/kf/transcripts';
import { wechatApiForConsole } from '@/lib/wechat-account/console';
import { remarkSchema } from './schemas';

export const pullTranscriptsAction = staffAction(z.object({}), async (_input, { user, t }) => {
  const result = await pullTranscriptsNow(currentDatabase(), wechatApiForConsole(), user.id);
  revalidatePath('/sessions', 'layout');
  return result.busy ? t('session.pullBusy') : t('session.pulled', { added: result.added });
});

export const setRemarkAction = staffAction(remarkSchema, async (input, { user, t }) => {
  await setFollowerRemark(currentDatabase().db, wechatApiForConsole(), user, input);
  revalidatePath('/sessions', 'layout');
  return input.remark ? t('session.remarkSaved', { remark: input.remark }) : t('session.remarkCleared');
});
