// Follower info /cgi-bin/user/info/batchget and /cgi-bin/user/info/updateremark (PROTOCOL.md §6.9):
// no nickname or avatar, as since 2021-12-27; the remark staff gave, kept in the fake's follower.
import { remarkFits, USER_INFO_BATCH_MAX } from '../../wechat/user-info';
import { objectBody, stringField, type JsonObject } from '../body';
import { SimApiError } from '../errors';
import type { Route } from '../http';
import { knownFollower, type Follower, type SimState } from '../state';

const OK = { errcode: 0, errmsg: 'ok' };

interface UserInfoDeps {
  state: SimState;
}

/** One user_info_list entry: an unfollowed openid says only that (subscribe 0). */
function userInfo(follower: Follower): JsonObject {
  if (!follower.subscribed) return { subscribe: 0, openid: follower.openid };
  return {
    subscribe: 1,
    openid: follower.openid,
    language: 'zh_CN',
    subscribe_time: Math.floor((follower.subscribedAt ?? 0) / 1000),
    remark: follower.remark,
    groupid: 0,
    tagid_list: [],
    subscribe_scene: 'ADD_SCENE_OTHERS',
    qr_scene: 0,
    qr_scene_str: '',
  };
}

export function userInfoRoutes(deps: UserInfoDeps): Route[] {
  return [
    {
      path: '/cgi-bin/user/info/batchget',
      requirePost: true,
      auth: true,
      body: 'json',
      handle: (req) => {
        const list = objectBody(req.body).user_list;
        if (!Array.isArray(list)) throw new SimApiError(47001);
        if (list.length < 1 || list.length > USER_INFO_BATCH_MAX) throw new SimApiError(40032);
        // One openid that is not a follower fails the whole call, as WeChat does.
        const found = list.map((item) => knownFollower(deps.state, typeof item === 'object' && item ? stringField(item as JsonObject, 'openid') : undefined));
        return { user_info_list: found.map(userInfo) };
      },
    },
    {
      path: '/cgi-bin/user/info/updateremark',
      requirePost: true,
      auth: true,
      body: 'json',
      handle: (req) => {
        const body = objectBody(req.body);
        const follower = knownFollower(deps.state, stringField(body, 'openid'));
        const remark = body.remark;
        if (typeof remark !== 'string') throw new SimApiError(47001);
        if (!follower.subscribed) throw new SimApiError(43004);
        if (!remarkFits(remark)) throw new SimApiError(40092);
        follower.remark = remark;
        return OK;
      },
    },
  ];
}
