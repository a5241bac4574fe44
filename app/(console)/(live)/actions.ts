'use server';
// The live page's actions: operators and admins both work the queue. Each re-checks the session on
// the server and is audited by its use case (lib/kf/live-actions.ts).
import { currentDatabase } from '@/db/client';
import { staffAction } from '@/lib/actions';
import { assignWaitingFollower, closeLiveSession, dropWaitingFollower } from '@/lib/kf/live-actions';
import { wechatApiForConsole } from '@/lib/wechat-account/console';
import { assignSchema, sessionActionSchema } from './schemas';

// No revalidatePath: the change reaches every open live page, this one included, through /api/live.
export const assignAction = staffAction(assignSchema, async (input, { user, t }) => {
  await assignWaitingFollower(currentDatabase().db, wechatApiForConsole(), user, input);
  return t('live.assigned');
});

export const closeSessionAction = staffAction(sessionActionSchema, async (input, { user, t }) => {
  await closeLiveSession(currentDatabase().db, wechatApiForConsole(), user, input);
  return t('live.closed');
});

export const dropAction = staffAction(sessionActionSchema, async (input, { user, t }) => {
  await dropWaitingFollower(currentDatabase().db, user, input);
  return t('live.dropped');
});
