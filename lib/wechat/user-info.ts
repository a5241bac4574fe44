import { z } from 'zod';
import { wechatText } from './kf-types';
import type { WechatClient } from './client';
import { parseResponse } from './response';

// Follower info (PROTOCOL.md §6.9). Since 2021-12-27 WeChat gives no nickname or avatar: the one name
// a console can show is the remark staff set (here, or in WeChat's own admin).

const BATCHGET_PATH = '/cgi-bin/user/info/batchget';
const UPDATEREMARK_PATH = '/cgi-bin/user/info/updateremark';

/** openids per user/info/batchget call; more (or none) is answered 40032. */
export const USER_INFO_BATCH_MAX = 100;

/**
 * updateremark takes a remark "小于30字节" (the current doc; PROTOCOL.md and older pages say 30
 * characters), and WeChat does count bytes: ten Chinese characters (30 bytes of UTF-8) are refused
 * with 40092 "invalid remark name" (reported on WeChat's developer forum). WeChat's own admin lets
 * staff type longer ones, so a remark read back may be longer than one we may write.
 */
export const REMARK_MAX_BYTES = 30;

export function remarkFits(remark: string): boolean {
  return new TextEncoder().encode(remark).length < REMARK_MAX_BYTES;
}

// Loose: the entry carries more (language, subscribe_time, unionid, tagid_list, qr_scene …). An
// openid that unfollowed comes back with subscribe 0 and nothing else worth reading.
const userInfoSchema = z.looseObject({
  subscribe: z.number(),
  openid: z.string(),
  remark: wechatText().optional(),
});

const batchUserInfoSchema = z.looseObject({ user_info_list: z.array(userInfoSchema).default([]) });

export interface FollowerInfo {
  openid: string;
  subscribed: boolean;
  /** '' when staff gave none; undefined for a follower who unfollowed (WeChat does not say). */
  remark: string | undefined;
}

/** Up to USER_INFO_BATCH_MAX followers in one call; WeChat answers 40003 for the whole call if one openid is not a follower of the account. */
export async function batchGetUserInfo(client: WechatClient, openids: string[]): Promise<FollowerInfo[]> {
  if (openids.length < 1 || openids.length > USER_INFO_BATCH_MAX) {
    throw new RangeError(`batchGetUserInfo takes 1–${USER_INFO_BATCH_MAX} openids`);
  }
  const body = { user_list: openids.map((openid) => ({ openid, lang: 'zh_CN' })) };
  const answer = parseResponse(batchUserInfoSchema, await client.post(BATCHGET_PATH, body), BATCHGET_PATH);
  return answer.user_info_list.map((u) => ({
    openid: u.openid,
    subscribed: u.subscribe === 1,
    remark: u.subscribe === 1 ? (u.remark ?? '') : undefined,
  }));
}

/** Sets (or, with '', clears) the remark. Checked here too, so an over-long one never costs a call. */
export async function updateRemark(client: WechatClient, params: { openid: string; remark: string }): Promise<void> {
  if (!remarkFits(params.remark)) throw new RangeError(`a remark must be under ${REMARK_MAX_BYTES} bytes`);
  await client.post(UPDATEREMARK_PATH, { openid: params.openid, remark: params.remark });
}
