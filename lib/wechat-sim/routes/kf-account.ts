// Customer-service account endpoints: /customservice/kfaccount/* and the two list endpoints under
// /cgi-bin/customservice/ (WeChat really does split them across two prefixes).
import { randomBytes } from 'node:crypto';
import {
  addAccount,
  checkNickname,
  deleteAccount,
  existingAccount,
  inviteWorker,
} from '../accounts';
import { objectBody, stringField } from '../body';
import type { SimClock } from '../clock';
import type { CustomerServiceMachine } from '../cs-machine';
import { SimApiError } from '../errors';
import type { ApiRequest, Route } from '../http';
import { multipartFile } from '../multipart';
import { inviteStatus, type KfAccount, type SimState } from '../state';

const MAX_HEADIMG_BYTES = 5 * 1024 * 1024;
const OK = { errcode: 0, errmsg: 'ok' };

interface KfAccountDeps {
  state: SimState;
  clock: SimClock;
  cs: CustomerServiceMachine;
}

export function kfAccountRoutes(deps: KfAccountDeps): Route[] {
  const post = (path: string, handle: (req: ApiRequest) => unknown): Route => ({
    path,
    requirePost: true,
    auth: true,
    body: 'json',
    handle,
  });
  return [
    post('/customservice/kfaccount/add', (req) => {
      const body = objectBody(req.body);
      addAccount(deps, stringField(body, 'kf_account'), stringField(body, 'nickname'));
      return OK;
    }),
    post('/customservice/kfaccount/update', (req) => {
      const body = objectBody(req.body);
      const account = existingAccount(deps, stringField(body, 'kf_account'));
      account.nickname = checkNickname(stringField(body, 'nickname'));
      return OK;
    }),
    post('/customservice/kfaccount/inviteworker', (req) => {
      const body = objectBody(req.body);
      inviteWorker(deps, stringField(body, 'kf_account'), stringField(body, 'invite_wx'));
      return OK;
    }),
    {
      // Old docs and most SDKs call del as GET ?kf_account=; the new doc POSTs JSON. Both work.
      path: '/customservice/kfaccount/del',
      requirePost: false,
      auth: true,
      body: 'json',
      handle: (req) => {
        const fromBody = req.method === 'POST' ? stringField(objectBody(req.body), 'kf_account') : undefined;
        deleteAccount(deps, fromBody ?? req.query.kf_account);
        return OK;
      },
    },
    {
      path: '/customservice/kfaccount/uploadheadimg',
      requirePost: true,
      auth: true,
      body: 'raw',
      handle: (req) => uploadHeadImage(deps, req),
    },
    {
      path: '/cgi-bin/customservice/getkflist',
      requirePost: false,
      auth: true,
      body: 'json',
      handle: () => ({ kf_list: [...deps.state.accounts.values()].map((a) => listEntry(deps, a)) }),
    },
    {
      path: '/cgi-bin/customservice/getonlinekflist',
      requirePost: false,
      auth: true,
      body: 'json',
      handle: () => ({
        kf_online_list: [...deps.state.accounts.values()]
          .filter((a) => a.boundWx && a.online)
          .map((a) => ({
            kf_account: a.kfAccount,
            status: 1,
            kf_id: a.kfId,
            accepted_case: deps.cs.sessionsOf(a.kfAccount).length,
          })),
      }),
    },
  ];
}

function listEntry(deps: KfAccountDeps, account: KfAccount) {
  const base = {
    kf_account: account.kfAccount,
    kf_headimgurl: account.headImgUrl,
    kf_id: account.kfId,
    kf_nick: account.nickname,
  };
  if (account.boundWx) return { ...base, kf_wx: account.boundWx };
  if (!account.invite) return base;
  return {
    ...base,
    invite_wx: account.invite.wx,
    invite_expire_time: Math.floor(account.invite.expiresAt / 1000),
    invite_status: inviteStatus(account.invite, deps.clock.now()),
  };
}

function uploadHeadImage(deps: KfAccountDeps, req: ApiRequest) {
  const account = existingAccount(deps, req.query.kf_account);
  const file = multipartFile(req.contentType, req.rawBody, 'media');
  if (!file || file.data.length === 0) throw new SimApiError(41005);
  if (file.data.length > MAX_HEADIMG_BYTES) throw new SimApiError(40009);
  // The doc accepts JPEG only; check the magic bytes rather than trusting the declared type.
  const isJpeg = file.data[0] === 0xff && file.data[1] === 0xd8 && file.data[2] === 0xff;
  if (!isJpeg) throw new SimApiError(40005);
  account.headImgUrl = `http://mmbiz.qpic.cn/mmbiz/sim-${account.kfId}-${randomBytes(6).toString('hex')}/0`;
  return OK;
}
