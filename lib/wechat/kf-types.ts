import { z } from 'zod';

// Response shapes of the customer-service APIs (PROTOCOL.md §6). Objects are loose: WeChat adds fields
// (e.g. kf_openid, auto_accept) and a new field must not break a working console.

/**
 * Text WeChat gives us, as stored: without NUL characters, which Postgres's text cannot hold (one
 * odd nickname would otherwise fail the whole list's write).
 */
export const wechatText = () => z.string().transform((text) => text.replaceAll('\u0000', ''));

// The list doc shows kf_id as "1001", the newer online-list doc as a number; both become a string.
const kfId = z.union([z.string(), z.number()]).transform(String);

export const kfAccountInfoSchema = z.looseObject({
  kf_account: wechatText(),
  kf_nick: wechatText(),
  kf_id: kfId,
  kf_headimgurl: wechatText().optional(),
  /** Present only once a WeChat user is bound. */
  kf_wx: wechatText().optional(),
  /** The invite_* fields are present only while unbound with an invitation. */
  invite_wx: wechatText().optional(),
  invite_expire_time: z.number().optional(),
  /** waiting | rejected | expired (kept a string so a new state does not fail the whole list). */
  invite_status: wechatText().optional(),
});

export const kfOnlineInfoSchema = z.looseObject({
  kf_account: wechatText(),
  /** 0 offline, 1 web online. */
  status: z.number(),
  // Not read by wekf: an entry without them must not fail the whole list.
  kf_id: kfId.optional(),
  accepted_case: z.number().optional(),
});

export const kfListResponseSchema = z.looseObject({ kf_list: z.array(kfAccountInfoSchema).default([]) });
export const kfOnlineListResponseSchema = z.looseObject({ kf_online_list: z.array(kfOnlineInfoSchema).default([]) });

/** `kf_account` is '' when the user has no session. */
export const kfSessionSchema = z.looseObject({ createtime: z.number().default(0), kf_account: z.string().default('') });

export const kfSessionListResponseSchema = z.looseObject({
  sessionlist: z.array(z.looseObject({ createtime: z.number(), openid: z.string() })).default([]),
});

/** `count` is the whole queue; `waitcaselist` holds at most 100, oldest first. */
export const kfWaitCaseSchema = z.looseObject({
  count: z.number().default(0),
  waitcaselist: z.array(z.looseObject({ latest_time: z.number(), openid: z.string() })).default([]),
});

/** opercode 2002 = agent sent, 2003 = agent received; media appear as "[image]" etc. */
export const msgRecordSchema = z.looseObject({
  openid: z.string(),
  opercode: z.number(),
  text: wechatText(),
  time: z.number(),
  worker: wechatText(),
});

export const msgRecordPageSchema = z.looseObject({
  recordlist: z.array(msgRecordSchema).default([]),
  number: z.number().optional(),
  msgid: z.number().optional(),
});

export const qrcodeResponseSchema = z.looseObject({
  ticket: z.string().min(1),
  expire_seconds: z.number().optional(),
  url: z.string().optional(),
});

export type KfAccountInfo = z.infer<typeof kfAccountInfoSchema>;
export type KfOnlineInfo = z.infer<typeof kfOnlineInfoSchema>;
export type KfSession = z.infer<typeof kfSessionSchema>;
export type KfSessionListItem = z.infer<typeof kfSessionListResponseSchema>['sessionlist'][number];
export type KfWaitCase = z.infer<typeof kfWaitCaseSchema>;
export type MsgRecord = z.infer<typeof msgRecordSchema>;
export type QrcodeTicket = z.infer<typeof qrcodeResponseSchema>;

// message/custom/send bodies (PROTOCOL.md §6.7), in WeChat's own field names.
export interface CustomNewsArticle {
  title: string;
  description?: string;
  url: string;
  picurl?: string;
}

export type CustomMessageBody =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'image'; image: { media_id: string } }
  | { msgtype: 'voice'; voice: { media_id: string } }
  | { msgtype: 'video'; video: { media_id: string; thumb_media_id?: string; title?: string; description?: string } }
  | {
      msgtype: 'music';
      music: { title?: string; description?: string; musicurl: string; hqmusicurl: string; thumb_media_id: string };
    }
  // Exactly one article: more is rejected with 45008.
  | { msgtype: 'news'; news: { articles: [CustomNewsArticle] } }
  | { msgtype: 'mpnews'; mpnews: { media_id: string } }
  | { msgtype: 'mpnewsarticle'; mpnewsarticle: { article_id: string } }
  | {
      msgtype: 'msgmenu';
      msgmenu: { head_content?: string; list: { id: string; content: string }[]; tail_content?: string };
    }
  | { msgtype: 'wxcard'; wxcard: { card_id: string } }
  | {
      msgtype: 'miniprogrampage';
      miniprogrampage: { title: string; appid: string; pagepath: string; thumb_media_id: string };
    };

export type CustomMessage = CustomMessageBody & {
  touser: string;
  /** Show the message as sent by this agent (`customservice.kf_account`). */
  kfAccount?: string;
};

export type CustomMessageType = CustomMessageBody['msgtype'];
