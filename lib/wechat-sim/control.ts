// The control API under /__sim/: the in-process WechatSim methods over HTTP, for a standalone
// simulator (npm run sim) driven by another process such as Playwright or a shell.
import { SimUsageError } from './errors';
import type { FaultSpec } from './faults';
import type { ApiRequest, ControlResponse } from './http';
import type { PushMode, WechatSim } from './index';

type Body = Record<string, unknown>;
type Action = (sim: WechatSim, body: Body, req: ApiRequest, subject: string) => unknown;

const str = (body: Body, name: string): string => {
  const value = body[name];
  if (typeof value !== 'string') throw new SimUsageError('invalid_argument', `"${name}" must be a string`);
  return value;
};
const optionalStr = (body: Body, name: string): string | undefined =>
  body[name] === undefined ? undefined : str(body, name);
const MODES = new Set<unknown>(['plain', 'compat', 'safe']);

const SIM_ACTIONS: Record<string, Action> = {
  'GET state': (sim) => sim.snapshot(),
  'GET calls': (sim, _b, req) => sim.calls({ path: req.query.path }),
  'GET deliveries': (sim, _b, req) => sim.deliveries(req.query.openid),
  'GET pushes': (sim, _b, req) => sim.pushes(req.query.openid),
  'GET queue': (sim) => sim.queue(),
  'GET faults': (sim) => sim.faults.list(),
  'POST faults': (sim, body) => {
    str(body, 'path');
    sim.faults.inject(body as unknown as FaultSpec);
  },
  'POST faults/clear': (sim) => sim.faults.clear(),
  'GET clock': (sim) => ({ now: sim.clock.now() }),
  'POST clock/advance': (sim, body) => {
    sim.clock.advance(Number(body.ms));
    return { now: sim.clock.now() };
  },
  'POST webhook': (sim, body) => {
    if (body.mode !== undefined && !MODES.has(body.mode)) {
      throw new SimUsageError('invalid_argument', 'mode must be plain, compat or safe');
    }
    sim.setWebhook(optionalStr(body, 'url'), body.mode as PushMode | undefined);
  },
  'POST webhook/verify': async (sim) => ({ ok: await sim.verifyWebhook() }),
  'POST ip-allow-list': (sim, body) => {
    const ips = body.ips;
    if (ips !== undefined && ips !== null && !(Array.isArray(ips) && ips.every((ip) => typeof ip === 'string'))) {
      throw new SimUsageError('invalid_argument', 'ips must be a list of strings or null');
    }
    sim.setIpAllowList(ips ?? undefined);
  },
  'POST settled': (sim) => sim.settled(),
};

/** /__sim/followers/:openid/<action> */
const FOLLOWER_ACTIONS: Record<string, Action> = {
  'POST text': (sim, body, _r, openid) => sim.follower(openid).sendText(str(body, 'text')),
  'POST event': (sim, body, _r, openid) =>
    sim.follower(openid).sendEvent(str(body, 'event'), (body.extra ?? {}) as Record<string, string>),
  'POST subscribe': (sim, body, _r, openid) => sim.follower(openid).subscribe(optionalStr(body, 'scene')),
  'POST unsubscribe': (sim, _b, _r, openid) => sim.follower(openid).unsubscribe(),
  'POST scan': (sim, body, _r, openid) => sim.follower(openid).scan(str(body, 'scene')),
  'POST click': (sim, body, _r, openid) => sim.follower(openid).click(str(body, 'key')),
  'POST remark': (sim, body, _r, openid) => sim.follower(openid).setRemark(str(body, 'remark')),
  'GET inbox': (sim, _b, _r, openid) => sim.follower(openid).inbox(),
};

/** /__sim/agents/:kf_account/<action> */
const AGENT_ACTIONS: Record<string, Action> = {
  'POST accept-invite': (sim, _b, _r, kf) => sim.agents.acceptInvite(kf),
  'POST reject-invite': (sim, _b, _r, kf) => sim.agents.rejectInvite(kf),
  'POST online': (sim, body, _r, kf) => sim.agents.setOnline(kf, body.online !== false),
  'POST accept': (sim, body, _r, kf) => sim.agents.accept(kf, optionalStr(body, 'openid')),
  'POST switch': (sim, body, _r, kf) => sim.agents.switchTo(kf, str(body, 'openid'), str(body, 'to')),
  'POST close': (sim, body, _r, kf) => sim.agents.close(kf, str(body, 'openid')),
  'POST send': (sim, body, _r, kf) => sim.agents.send(kf, str(body, 'openid'), str(body, 'text')),
};

export function createControlHandler(sim: WechatSim) {
  return async (req: ApiRequest): Promise<ControlResponse> => {
    const segments = req.path.slice('/__sim/'.length).split('/').map(decodeURIComponent);
    const found = findAction(req.method, segments);
    if (!found) return { status: 404, json: { error: 'not_found', message: `no control route ${req.method} ${req.path}` } };
    try {
      const body = parseBody(req.rawBody);
      const result = await found.action(sim, body, req, found.subject);
      return { status: 200, json: result ?? { ok: true } };
    } catch (error) {
      if (error instanceof SimUsageError) return { status: 400, json: { error: error.code, message: error.message } };
      if (error instanceof RangeError) return { status: 400, json: { error: 'invalid_argument', message: error.message } };
      throw error;
    }
  };
}

function findAction(method: string, segments: string[]): { action: Action; subject: string } | undefined {
  const [group, subject, ...rest] = segments;
  if ((group === 'followers' || group === 'agents') && subject && rest.length === 1) {
    const table = group === 'followers' ? FOLLOWER_ACTIONS : AGENT_ACTIONS;
    const action = table[`${method} ${rest[0]}`];
    return action && { action, subject };
  }
  const action = SIM_ACTIONS[`${method} ${segments.join('/')}`];
  return action && { action, subject: '' };
}

function parseBody(raw: Buffer): Body {
  if (raw.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new SimUsageError('invalid_argument', 'the body must be JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SimUsageError('invalid_argument', 'the body must be a JSON object');
  }
  return parsed as Body;
}
