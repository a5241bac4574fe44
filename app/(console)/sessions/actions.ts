'use server';
// Session history's mutations: pull WeChat's chat records now instead of at the next run, and set
// the follower's remark. Operators may do both. Audited in the use cases.
import { revalidatePath } from 'next/cache';
import { currentDatabase } from '@/db/client';
import { staffAction } from '@/lib/actions';
import { setFollowerRemark } from '@/lib/kf/follower-remarks';
import { pullTranscriptsNow } from '@/lib/kf/transcripts';
import { wechatApiForConsole } from '@/lib/wechat-account/console';
import { pullSchema, remarkSchema } from './schemas';

export const pullTranscriptsAction = staffAction(pullSchema, async (input, { user, t }) => {
  const result = await pullTranscriptsNow(currentDatabase(), wechatApiForConsole(), { userId: user.id, sessionId: input.sessionId });
  revalidatePath('/sessions', 'layout');
  // Every chat's new lines, and this session's: the page shows only the latter.
  return result.busy ? t('session.pullBusy') : t('session.pulled', { added: result.added, here: result.here });
});

export const setRemarkAction = staffAction(remarkSchema, async (input, { user, t }) => {
  await setFollowerRemark(currentDatabase().db, wechatApiForConsole(), user, input);
  revalidatePath('/sessions', 'layout');
  return input.remark ? t('session.remarkSaved', { remark: input.remark }) : t('session.remarkCleared');
});
