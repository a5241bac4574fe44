// WeChat errcode meanings (PROTOCOL.md §5.1, §5.3, §6.4, §6.6, §6.7, §6.9).
// `errmsg` is the English text WeChat puts on the wire (before its ` rid: …` / ` hint: […]` trace
// suffix); it is only filled in where PROTOCOL.md quotes it, so the simulator never invents one.

export interface ErrcodeMeaning {
  zh: string;
  en: string;
}

interface ErrcodeEntry extends ErrcodeMeaning {
  errmsg?: string;
}

export const WECHAT_ERRCODES: Readonly<Record<number, ErrcodeEntry>> = {
  [-1]: { errmsg: 'system error', zh: '系统繁忙，请稍后再试', en: 'WeChat is busy; retry later' },
  0: { errmsg: 'ok', zh: '成功', en: 'OK' },

  // access_token and call-level errors (§5.1, §5.3)
  40001: {
    // Newer servers append ", could get access_token by getStableAccessToken, more details at …".
    errmsg: 'invalid credential, access_token is invalid or not latest',
    zh: 'access_token 无效或不是最新的（或 AppSecret 错误）',
    en: 'Access token invalid or not the latest (or wrong AppSecret)',
  },
  40002: { errmsg: 'invalid grant_type', zh: 'grant_type 不是 client_credential', en: 'grant_type must be client_credential' },
  40013: { errmsg: 'invalid appid', zh: 'AppID 无效', en: 'Invalid AppID' },
  40014: { errmsg: 'invalid access_token', zh: 'access_token 格式错误或不属于本账号', en: 'Malformed or foreign access token' },
  40125: { errmsg: 'invalid appsecret', zh: 'AppSecret 无效', en: 'Invalid AppSecret' },
  40164: {
    // The real message names the caller's address: "invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist".
    errmsg: 'invalid ip, not in whitelist',
    zh: '调用方 IP 不在白名单中',
    en: 'Caller IP is not in the IP whitelist',
  },
  41001: { errmsg: 'access_token missing', zh: '缺少 access_token', en: 'access_token missing' },
  41002: { errmsg: 'appid missing', zh: '缺少 AppID', en: 'AppID missing' },
  41004: { errmsg: 'appsecret missing', zh: '缺少 AppSecret', en: 'AppSecret missing' },
  42001: { errmsg: 'access_token expired', zh: 'access_token 已过期', en: 'Access token expired' },
  43001: { errmsg: 'require GET method', zh: '需要 GET 请求', en: 'This API requires GET' },
  43002: { errmsg: 'require POST method', zh: '需要 POST 请求', en: 'This API requires POST' },
  44002: { errmsg: 'empty post data', zh: 'POST 数据为空', en: 'Empty POST body' },
  45009: { errmsg: 'reach max api daily quota limit', zh: '接口调用超过每日限额', en: 'Daily API quota reached' },
  45011: {
    errmsg: 'api minute-quota reach limit, must slower, retry next minute',
    zh: '接口调用过于频繁，请下一分钟再试',
    en: 'Per-minute API limit reached; retry next minute',
  },
  47001: { errmsg: 'data format error', zh: '请求数据格式错误', en: 'Malformed request body' },
  48001: { errmsg: 'api unauthorized', zh: '公众号没有该接口权限', en: 'The account lacks permission for this API' },

  // Customer-service accounts, sessions and records (§6.4)
  40003: { errmsg: 'invalid openid', zh: 'openid 无效', en: 'Invalid openid' },
  40005: { errmsg: 'invalid file type', zh: '文件类型无效', en: 'Invalid file type' },
  40009: { errmsg: 'invalid image size', zh: '图片大小无效', en: 'Invalid image size' },
  65400: {
    errmsg: 'please enable new custom service, or wait for a while if you have enabled',
    zh: '未开通新版客服功能，或刚开通尚未生效',
    en: 'Customer service is not enabled yet (or just enabled; wait a while)',
  },
  65401: { errmsg: 'invalid custom service account', zh: '客服账号无效', en: 'Invalid customer-service account' },
  65402: {
    errmsg: 'the custom service account need to bind a wechat user',
    zh: '客服账号尚未绑定微信号，不能使用',
    en: 'The agent account must be bound to a WeChat user first',
  },
  65403: { errmsg: 'illegal nickname', zh: '客服昵称不合法', en: 'Illegal agent nickname' },
  65404: { errmsg: 'illegal custom service account', zh: '客服账号格式不合法', en: 'Illegal agent account format' },
  65405: {
    errmsg: 'custom service account number reach limit',
    zh: '客服账号数已达上限',
    en: 'Maximum number of agent accounts reached',
  },
  65406: { errmsg: 'custom service account exists', zh: '客服账号已存在', en: 'Agent account already exists' },
  65407: {
    errmsg: 'the wechat user have been one of your workers',
    zh: '该微信号已是本公众号的客服',
    en: 'That WeChat user is already one of your agents',
  },
  65408: { errmsg: 'you have already invited the wechat user', zh: '已邀请过该微信号', en: 'That WeChat user was already invited' },
  65409: { errmsg: 'wechat account invalid', zh: '微信号无效', en: 'Invalid WeChat ID' },
  65410: {
    errmsg: 'too many custom service accounts bound by the worker',
    zh: '该微信号绑定的客服账号过多',
    en: 'That WeChat user is bound to too many agent accounts',
  },
  65411: {
    errmsg: 'a effective invitation to bind the custom service account exists',
    zh: '该客服账号已有一个有效的绑定邀请',
    en: 'A pending invitation for this agent account already exists',
  },
  65412: {
    errmsg: 'the custom service account have been bound by a wechat user',
    zh: '该客服账号已绑定微信号',
    en: 'This agent account is already bound to a WeChat user',
  },
  65413: { errmsg: 'no effective session for the customer', zh: '该用户没有有效的客服会话', en: 'The customer has no active session' },
  65414: { errmsg: 'another worker is serving the customer', zh: '该用户正在被其他客服接待', en: 'Another agent is serving this customer' },
  65415: { errmsg: 'the worker is not online', zh: '客服不在线', en: 'The agent is offline' },
  65416: { errmsg: 'param invalid, please check', zh: '查询参数无效', en: 'Invalid query parameters' },
  65417: {
    errmsg: 'it is too long from the starttime to endtime',
    zh: '查询时间跨度超过 24 小时',
    en: 'Query range longer than 24 hours',
  },

  // Legacy 多客服 codes still found in global tables (§6.4); 61454's typo is WeChat's own.
  61450: { errmsg: 'system error', zh: '系统错误（旧版多客服）', en: 'System error (legacy customer service)' },
  61451: { errmsg: 'invalid parameter', zh: '参数错误（旧版多客服）', en: 'Invalid parameter (legacy customer service)' },
  61452: { errmsg: 'invalid kf_account', zh: '客服账号无效（旧版多客服）', en: 'Invalid kf_account (legacy)' },
  61453: { errmsg: 'kf_account exsited', zh: '客服账号已存在（旧版多客服）', en: 'kf_account already exists (legacy)' },
  61454: { errmsg: 'invalid kf_acount length', zh: '客服账号名长度超过限制（前缀最多 10 个字符）', en: 'kf_account prefix too long (max 10 chars, legacy)' },
  61455: { errmsg: 'illegal character in kf_account', zh: '客服账号名包含非法字符（仅限字母和数字）', en: 'kf_account has illegal characters (legacy)' },
  61456: { errmsg: 'kf_account count exceeded', zh: '客服账号个数超过限制（10 个）', en: 'Too many kf_accounts (max 10, legacy)' },
  61457: { errmsg: 'invalid file type', zh: '无效头像文件类型（旧版多客服）', en: 'Invalid avatar file type (legacy)' },

  // Typing (§6.6) — errmsg strings are not quoted in PROTOCOL.md.
  40200: { zh: '账号类型无效', en: 'Invalid account type' },
  45072: { zh: 'command 字段取值不对', en: 'Invalid typing command' },
  45080: { zh: '30 秒内未与用户有过消息交互，不能下发输入状态', en: 'No message exchange with the user in the last 30 s' },
  45081: { zh: '已在输入状态，不可重复下发', en: 'Already showing typing' },

  // Sending customer-service messages (§6.7)
  40007: { errmsg: 'invalid media_id', zh: 'media_id 无效', en: 'Invalid media_id' },
  43004: { errmsg: 'require subscribe', zh: '用户未关注公众号', en: 'The user does not follow the account' },
  43019: { errmsg: 'require remove blacklist', zh: '用户在黑名单中', en: 'The user is on the blacklist' },
  45002: { errmsg: 'content size out of limit', zh: '消息内容超过长度限制', en: 'Message content too long' },
  45008: { errmsg: 'article size out of limit', zh: '图文消息文章数超过限制（客服消息最多 1 篇）', en: 'Too many articles (1 allowed)' },
  45015: {
    errmsg: 'response out of time limit or subscription is canceled',
    zh: '超出可回复时间窗口，或用户已取消关注',
    en: 'Outside the reply window, or the user unfollowed',
  },
  45047: { errmsg: 'out of response count limit', zh: '可回复的消息条数已用完', en: 'Reply quota for this window used up' },
  48002: { errmsg: 'user block receive message', zh: '用户已拒收公众号消息', en: 'The user turned off messages from this account' },
  70000: { zh: '因未成年人保护等原因被限制下发', en: 'Blocked (e.g. minor protection)' },

  // Follower info and remarks (§6.9) — errmsg strings are not quoted in PROTOCOL.md.
  40032: { zh: 'openid 列表长度不合法（每次 1–100 个）', en: 'Invalid openid list size (1–100 per call)' },
  40092: { zh: '备注名不合法（须少于 30 字节，约 9 个汉字）', en: 'Invalid remark (must be under 30 bytes, about 9 Chinese characters)' },
};

export function describeErrcode(code: number): ErrcodeMeaning | undefined {
  const entry = WECHAT_ERRCODES[code];
  return entry ? { zh: entry.zh, en: entry.en } : undefined;
}

/** The English errmsg WeChat returns for each code, where known (the simulator replays these). */
export const WECHAT_ERRMSG: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(WECHAT_ERRCODES).flatMap(([code, entry]) => (entry.errmsg ? [[Number(code), entry.errmsg]] : [])),
);
