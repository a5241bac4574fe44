// The Agents page's forms, checked on the server (and shared with the forms for their names).
import { z } from 'zod';
import { KF_PREFIX, NICKNAME_MAX, WECHAT_ID } from '@/lib/kf/agents';
import { plainName } from '@/lib/forms/text';

export const agentId = z.coerce.number().int().positive();
const wechatId = (error: 'agents.accountWxInvalid' | 'agents.inviteWxInvalid') =>
  z.string({ error: 'form.required' }).trim().min(1, { error: 'form.required' }).regex(WECHAT_ID, { error });

// The account's original ID (gh_ and 12 hex digits, in its settings beside the WeChat ID) has a
// WeChat ID's shape, but kf accounts are named after the WeChat ID: WeChat refuses the other.
const ORIGINAL_ID = /^gh_[0-9a-f]{12}$/i;

export const inviteSchema = z.object({
  prefix: z.string({ error: 'form.required' }).trim().min(1, { error: 'form.required' }).regex(KF_PREFIX, { error: 'agents.prefixInvalid' }),
  accountWx: wechatId('agents.accountWxInvalid').refine((v) => !ORIGINAL_ID.test(v), { error: 'agents.accountWxOriginalId' }),
  nickname: plainName({ max: NICKNAME_MAX }),
  inviteWx: wechatId('agents.inviteWxInvalid'),
});

export const reinviteSchema = z.object({ agentId, inviteWx: wechatId('agents.inviteWxInvalid') });
export const renameSchema = z.object({ agentId, nickname: plainName({ max: NICKNAME_MAX }) });
export const avatarSchema = z.object({ agentId, avatar: z.instanceof(File, { error: 'agents.avatarEmpty' }) });
export const agentOnlySchema = z.object({ agentId });
export const openidSchema = z.object({
  agentId,
  openid: z.string({ error: 'form.required' }).trim().min(1, { error: 'form.required' }).max(64, { error: 'agents.openidShape' }),
  confirmUnseen: z.stringbool().optional().default(false),
});
