import { z } from 'zod';
import { plainName } from '@/lib/forms/text';

const kfAccount = z.string({ error: 'form.required' }).trim().min(1, { error: 'form.required' }).max(64, { error: 'form.tooLong' });
const openid = z.string({ error: 'form.required' }).trim().min(1, { error: 'form.required' }).max(128, { error: 'form.tooLong' });
const text = z.string({ error: 'form.required' }).trim().min(1, { error: 'form.required' }).max(600, { error: 'form.tooLong' });

export const addFollowerSchema = z.object({ name: plainName({ max: 16 }) });
export const followerSendSchema = z.object({ openid, text });
export const agentOnlineSchema = z.object({ kfAccount, online: z.stringbool() });
export const agentAcceptSchema = z.object({ kfAccount });
export const agentAcceptInviteSchema = z.object({ kfAccount });
export const followerScanSchema = z.object({ openid });
export const agentSwitchSchema = z.object({ kfAccount, openid, to: kfAccount });
export const agentReplySchema = z.object({ kfAccount, openid, text });
export const agentCloseSchema = z.object({ kfAccount, openid });
