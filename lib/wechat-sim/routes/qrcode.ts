// POST /cgi-bin/qrcode/create: parametric QR codes. The fake remembers each ticket's scene so a
// follower's scan can carry the matching EventKey and Ticket.
import { randomBytes } from 'node:crypto';
import type { SimClock } from '../clock';
import { SimApiError } from '../errors';
import { integerField, objectBody, objectField, stringField, type JsonObject } from '../body';
import type { Route } from '../http';
import type { SimState } from '../state';

const DEFAULT_EXPIRE_SECONDS = 60;
const MAX_EXPIRE_SECONDS = 2_592_000;
const MAX_PERMANENT_SCENE_ID = 100_000;
const MAX_SCENE_STR_LENGTH = 64;

interface QrDeps {
  state: SimState;
  clock: SimClock;
}

export function qrcodeRoutes(deps: QrDeps): Route[] {
  return [
    {
      path: '/cgi-bin/qrcode/create',
      requirePost: true,
      auth: true,
      body: 'json',
      handle: (req) => createQrCode(deps, objectBody(req.body)),
    },
  ];
}

function createQrCode(deps: QrDeps, body: JsonObject) {
  const actionName = stringField(body, 'action_name');
  const scene = objectField(objectField(body, 'action_info') ?? {}, 'scene') ?? {};
  const permanent = actionName === 'QR_LIMIT_SCENE' || actionName === 'QR_LIMIT_STR_SCENE';
  let sceneValue: string;
  if (actionName === 'QR_SCENE' || actionName === 'QR_LIMIT_SCENE') {
    const id = integerField(scene, 'scene_id');
    const max = permanent ? MAX_PERMANENT_SCENE_ID : 0xffff_ffff;
    if (id === undefined || id < 1 || id > max) throw new SimApiError(40053);
    sceneValue = String(id);
  } else if (actionName === 'QR_STR_SCENE' || actionName === 'QR_LIMIT_STR_SCENE') {
    const str = stringField(scene, 'scene_str');
    if (!str || str.length > MAX_SCENE_STR_LENGTH) throw new SimApiError(40053);
    sceneValue = str;
  } else {
    throw new SimApiError(40053);
  }

  const ticket = randomBytes(48).toString('base64');
  const url = `http://weixin.qq.com/q/${randomBytes(15).toString('base64url')}`;
  if (permanent) {
    deps.state.qrTickets.set(ticket, { ticket, scene: sceneValue, expiresAt: undefined });
    return { ticket, url };
  }
  const requested = integerField(body, 'expire_seconds') ?? DEFAULT_EXPIRE_SECONDS;
  const expireSeconds = Math.min(Math.max(requested, 1), MAX_EXPIRE_SECONDS);
  const expiresAt = deps.clock.now() + expireSeconds * 1000;
  deps.state.qrTickets.set(ticket, { ticket, scene: sceneValue, expiresAt });
  return { ticket, expire_seconds: expireSeconds, url };
}
