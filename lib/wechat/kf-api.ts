import type { z } from 'zod';
import type { CallOptions, WechatClient } from './client';
import { WechatApiError, WechatNetworkError } from './errors';
import {
  kfListResponseSchema,
  kfOnlineListResponseSchema,
  kfSessionListResponseSchema,
  kfSessionSchema,
  kfWaitCaseSchema,
  qrcodeResponseSchema,
  type CustomMessage,
  type KfAccountInfo,
  type KfOnlineInfo,
  type KfSession,
  type KfSessionListItem,
  type KfWaitCase,
  type MsgRecord,
  type QrcodeTicket,
} from './kf-types';
import { getMsgList, getMsgRecordPage, type MsgListRange, type MsgRecordPage } from './msg-records';
import { parseResponse } from './response';
import { batchGetUserInfo, updateRemark, type FollowerInfo } from './user-info';

// Customer-service APIs (PROTOCOL.md §6), and the follower info the console shows beside them
// (§6.9, user-info.ts). Note the path split: list endpoints live under
// /cgi-bin/customservice/…, management, sessions and records under /customservice/… (no cgi-bin).

const DEL_PATH = '/customservice/kfaccount/del';
// kfaccount/del is GET+query in the old doc and POST+body in the new one. Answers meaning "this server
// wants the other style" trigger one GET retry.
const DEL_FALLBACK_ERRCODES = new Set([43001, 44002, 47001, 65416]);
const DEL_FALLBACK_STATUSES = new Set([404, 405]);

export const QR_MAX_EXPIRE_SECONDS = 30 * 24 * 60 * 60;
export const QR_SCENE_STR_MAX = 64;

export interface KfAccountParams {
  kfAccount: string;
  nickname: string;
}

export interface KfHeadImage {
  data: Uint8Array;
  filename?: string;
  contentType?: string;
}

export type TypingCommand = 'Typing' | 'CancelTyping';

export interface TempQrcodeParams {
  /** 1–64 characters; comes back as EventKey (`qrscene_` + scene on subscribe). */
  sceneStr: string;
  /** Up to 30 days; defaults to the maximum. */
  expireSeconds?: number;
}

export function showQrcodeUrl(ticket: string): string {
  return `https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=${encodeURIComponent(ticket)}`;
}

export class KfApi {
  constructor(private readonly client: WechatClient) {}

  async addKfAccount(params: KfAccountParams): Promise<void> {
    await this.client.post('/customservice/kfaccount/add', { kf_account: params.kfAccount, nickname: params.nickname });
  }

  async updateKfAccount(params: KfAccountParams): Promise<void> {
    await this.client.post('/customservice/kfaccount/update', {
      kf_account: params.kfAccount,
      nickname: params.nickname,
    });
  }

  async deleteKfAccount(kfAccount: string): Promise<void> {
    try {
      await this.client.post(DEL_PATH, { kf_account: kfAccount });
    } catch (err) {
      if (!wantsGetStyle(err)) throw err;
      await this.client.get(DEL_PATH, { kf_account: kfAccount });
    }
  }

  /** A new account is unusable until the invited WeChat user accepts (PROTOCOL.md §6.1). */
  async inviteWorker(params: { kfAccount: string; inviteWx: string }): Promise<void> {
    await this.client.post('/customservice/kfaccount/inviteworker', {
      kf_account: params.kfAccount,
      invite_wx: params.inviteWx,
    });
  }

  async uploadKfHeadImg(kfAccount: string, image: KfHeadImage): Promise<void> {
    await this.client.postMultipart(
      '/customservice/kfaccount/uploadheadimg',
      {
        field: 'media',
        filename: image.filename ?? 'headimg.jpg',
        contentType: image.contentType ?? 'image/jpeg',
        data: image.data,
      },
      { kf_account: kfAccount },
    );
  }

  async getKfList(): Promise<KfAccountInfo[]> {
    return this.#get(kfListResponseSchema, '/cgi-bin/customservice/getkflist').then((r) => r.kf_list);
  }

  async getOnlineKfList(): Promise<KfOnlineInfo[]> {
    return this.#get(kfOnlineListResponseSchema, '/cgi-bin/customservice/getonlinekflist').then((r) => r.kf_online_list);
  }

  /** Succeeds (errcode 0) if the session already exists; the agent must be bound and online. */
  async createSession(params: { kfAccount: string; openid: string }): Promise<void> {
    await this.client.post('/customservice/kfsession/create', { kf_account: params.kfAccount, openid: params.openid });
  }

  async closeSession(params: { kfAccount: string; openid: string }): Promise<void> {
    await this.client.post('/customservice/kfsession/close', { kf_account: params.kfAccount, openid: params.openid });
  }

  /** The user's current session; `kf_account` is '' when there is none. */
  async getSession(openid: string): Promise<KfSession> {
    return this.#get(kfSessionSchema, '/customservice/kfsession/getsession', { openid });
  }

  async getSessionList(kfAccount: string): Promise<KfSessionListItem[]> {
    return this.#get(kfSessionListResponseSchema, '/customservice/kfsession/getsessionlist', {
      kf_account: kfAccount,
    }).then((r) => r.sessionlist);
  }

  async getWaitCase(): Promise<KfWaitCase> {
    return this.#get(kfWaitCaseSchema, '/customservice/kfsession/getwaitcase');
  }

  /** Every record in the range, however long: split into 24-hour windows and walked page by page. */
  getMsgList(range: MsgListRange, opts?: { pageSize?: number }): Promise<MsgRecord[]> {
    return getMsgList(this.client, range, opts);
  }

  /** One page of one ≤24-hour window from `msgid`, for a pull that keeps its own cursor. */
  getMsgRecordPage(params: MsgListRange & { msgid: number; number?: number }): Promise<MsgRecordPage> {
    return getMsgRecordPage(this.client, params);
  }

  async sendCustomMessage(msg: CustomMessage, opts?: CallOptions): Promise<void> {
    const { kfAccount, ...body } = msg;
    const customservice = kfAccount === undefined ? undefined : { kf_account: kfAccount };
    await this.client.post('/cgi-bin/message/custom/send', { ...body, customservice }, undefined, opts);
  }

  /** Needs a message exchange in the last 30 s; typing lasts 15 s and cannot be re-sent meanwhile. */
  async sendTyping(openid: string, command: TypingCommand): Promise<void> {
    await this.client.post('/cgi-bin/message/custom/typing', { touser: openid, command });
  }

  async createTempQrcode(params: TempQrcodeParams): Promise<QrcodeTicket> {
    const expireSeconds = params.expireSeconds ?? QR_MAX_EXPIRE_SECONDS;
    if (params.sceneStr.length < 1 || params.sceneStr.length > QR_SCENE_STR_MAX) {
      throw new RangeError(`sceneStr must be 1–${QR_SCENE_STR_MAX} characters`);
    }
    if (!Number.isInteger(expireSeconds) || expireSeconds < 1 || expireSeconds > QR_MAX_EXPIRE_SECONDS) {
      throw new RangeError(`expireSeconds must be an integer from 1 to ${QR_MAX_EXPIRE_SECONDS}`);
    }
    const path = '/cgi-bin/qrcode/create';
    const json = await this.client.post(path, {
      expire_seconds: expireSeconds,
      action_name: 'QR_STR_SCENE',
      action_info: { scene: { scene_str: params.sceneStr } },
    });
    return parseResponse(qrcodeResponseSchema, json, path);
  }

  /** Followers' remarks, up to 100 openids a call (user/info/batchget). */
  batchGetUserInfo(openids: string[]): Promise<FollowerInfo[]> {
    return batchGetUserInfo(this.client, openids);
  }

  /** Sets a follower's remark in WeChat (user/info/updateremark); '' clears it. */
  updateRemark(params: { openid: string; remark: string }): Promise<void> {
    return updateRemark(this.client, params);
  }

  showQrcodeUrl(ticket: string): string {
    return showQrcodeUrl(ticket);
  }

  async #get<S extends z.ZodType>(schema: S, path: string, query?: Record<string, string>): Promise<z.output<S>> {
    return parseResponse(schema, await this.client.get(path, query), path);
  }
}

function wantsGetStyle(err: unknown): boolean {
  if (err instanceof WechatApiError) return DEL_FALLBACK_ERRCODES.has(err.errcode);
  return err instanceof WechatNetworkError && err.status !== undefined && DEL_FALLBACK_STATUSES.has(err.status);
}
