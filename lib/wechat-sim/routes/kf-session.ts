// Session endpoints /customservice/kfsession/*: the API side of the customer-service state machine.
import { existingAccount } from '../accounts';
import { objectBody, stringField } from '../body';
import type { SimClock } from '../clock';
import type { CustomerServiceMachine } from '../cs-machine';
import { SimApiError } from '../errors';
import type { Route } from '../http';
import { knownFollower, type SimState } from '../state';

const MAX_WAIT_CASES_LISTED = 100;
const OK = { errcode: 0, errmsg: 'ok' };

interface SessionDeps {
  state: SimState;
  clock: SimClock;
  cs: CustomerServiceMachine;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

export function kfSessionRoutes(deps: SessionDeps): Route[] {
  return [
    {
      path: '/customservice/kfsession/create',
      requirePost: true,
      auth: true,
      body: 'json',
      handle: (req) => {
        const body = objectBody(req.body);
        const account = existingAccount(deps, stringField(body, 'kf_account'));
        // create ignores the agent's auto-accept switch and limits, but needs a bound, online agent.
        if (!account.boundWx) throw new SimApiError(65402);
        if (!account.online) throw new SimApiError(65415);
        const follower = knownFollower(deps.state, stringField(body, 'openid'));
        deps.cs.createByApi(account.kfAccount, follower.openid);
        return OK;
      },
    },
    {
      path: '/customservice/kfsession/close',
      requirePost: true,
      auth: true,
      body: 'json',
      handle: (req) => {
        const body = objectBody(req.body);
        const account = existingAccount(deps, stringField(body, 'kf_account'));
        const follower = knownFollower(deps.state, stringField(body, 'openid'));
        deps.cs.closeByApi(account.kfAccount, follower.openid);
        return OK;
      },
    },
    {
      path: '/customservice/kfsession/getsession',
      requirePost: false,
      auth: true,
      body: 'json',
      handle: (req) => {
        const follower = knownFollower(deps.state, req.query.openid);
        const session = deps.cs.session(follower.openid);
        return { createtime: session ? seconds(session.createdAt) : 0, kf_account: session?.kfAccount ?? '' };
      },
    },
    {
      path: '/customservice/kfsession/getsessionlist',
      requirePost: false,
      auth: true,
      body: 'json',
      handle: (req) => {
        const account = existingAccount(deps, req.query.kf_account);
        const sessionlist = deps.cs
          .sessionsOf(account.kfAccount)
          .map((s) => ({ createtime: seconds(s.createdAt), openid: s.openid }));
        return { sessionlist };
      },
    },
    {
      path: '/customservice/kfsession/getwaitcase',
      requirePost: false,
      auth: true,
      body: 'json',
      handle: () => {
        const queue = deps.state.queue;
        const waitcaselist = queue
          .slice(0, MAX_WAIT_CASES_LISTED)
          .map((w) => ({ latest_time: seconds(w.latestAt), openid: w.openid }));
        return { count: queue.length, waitcaselist };
      },
    },
  ];
}
