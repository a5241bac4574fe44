// GET /cgi-bin/token and POST /cgi-bin/stable_token, and the access_token check every other
// endpoint runs. The two kinds live in separate namespaces: neither invalidates the other.
import { randomBytes } from 'node:crypto';
import type { SimClock } from '../clock';
import { SimApiError } from '../errors';
import { integerField, objectBody, stringField, type JsonObject } from '../body';
import type { ApiRequest, Route } from '../http';
import type { AccessTokenRecord, SimState } from '../state';

const TOKEN_LIFETIME_MS = 7200_000;
/** A replaced token keeps working this long, so callers mid-refresh don't fail. */
const OVERLAP_MS = 5 * 60_000;
const CLASSIC_DAILY_LIMIT = 2000;
const FORCED_REFRESH_DAILY_LIMIT = 20;
const FORCED_REFRESH_MIN_GAP_MS = 30_000;
const DAY_MS = 86_400_000;
/** WeChat's daily quotas roll over at midnight Beijing time (UTC+8). */
const BEIJING_OFFSET_MS = 8 * 3600_000;

interface TokenDeps {
  state: SimState;
  clock: SimClock;
}

export function tokenRoutes(deps: TokenDeps): Route[] {
  return [
    {
      path: '/cgi-bin/token',
      requirePost: false,
      auth: false,
      body: 'json',
      handle: (req) => fetchClassicToken(deps, req),
    },
    {
      path: '/cgi-bin/stable_token',
      requirePost: true,
      auth: false,
      body: 'json',
      handle: (req) => fetchStableToken(deps, req),
    },
  ];
}

export function authenticate(deps: TokenDeps, accessToken: string | undefined): void {
  if (!accessToken) throw new SimApiError(41001);
  const record = deps.state.tokens.find((t) => t.token === accessToken);
  if (!record) throw new SimApiError(40001);
  const now = deps.clock.now();
  const revokedAt = record.revokedAt ?? Infinity;
  if (now >= record.expiresAt && record.expiresAt <= revokedAt) throw new SimApiError(42001);
  if (now >= revokedAt) throw new SimApiError(40001);
}

function fetchClassicToken(deps: TokenDeps, req: ApiRequest) {
  const { grant_type: grantType, appid, secret } = req.query;
  // A wrong secret on the classic endpoint has long answered 40001 ("invalid credential").
  checkCredentials(deps, req, { grantType, appid, secret }, 40001);
  const usage = usageToday(deps);
  if (usage.classicFetches >= CLASSIC_DAILY_LIMIT) throw new SimApiError(45009);
  usage.classicFetches += 1;

  const now = deps.clock.now();
  for (const old of liveTokens(deps, 'classic')) old.revokedAt = Math.min(old.revokedAt ?? Infinity, now + OVERLAP_MS);
  return tokenResponse(deps, issue(deps, 'classic'));
}

function fetchStableToken(deps: TokenDeps, req: ApiRequest) {
  const body: JsonObject = objectBody(req.body);
  const credentials = {
    grantType: stringField(body, 'grant_type'),
    appid: stringField(body, 'appid'),
    secret: stringField(body, 'secret'),
  };
  checkCredentials(deps, req, credentials, 40125);
  const forceRefresh = body.force_refresh === true || integerField(body, 'force_refresh') === 1;
  const now = deps.clock.now();
  const current = liveTokens(deps, 'stable').at(-1);

  if (forceRefresh) {
    const usage = usageToday(deps);
    const tooSoon = usage.lastForcedAt !== undefined && now - usage.lastForcedAt < FORCED_REFRESH_MIN_GAP_MS;
    if (!(tooSoon && current)) {
      if (usage.forcedRefreshes >= FORCED_REFRESH_DAILY_LIMIT) throw new SimApiError(45009);
      usage.forcedRefreshes += 1;
      usage.lastForcedAt = now;
      // Only the token just replaced keeps its overlap; anything older dies now, which is how two
      // forced refreshes 30 s apart kill a leaked token.
      for (const old of liveTokens(deps, 'stable')) old.revokedAt = old === current ? now + OVERLAP_MS : now;
      return tokenResponse(deps, issue(deps, 'stable'));
    }
  }
  // Normal mode hands out the same token until 5 minutes before expiry, then rotates; the old one
  // lives out its last minutes beside the new one.
  if (current && current.expiresAt - now > OVERLAP_MS) return tokenResponse(deps, current);
  return tokenResponse(deps, issue(deps, 'stable'));
}

function checkCredentials(
  deps: TokenDeps,
  req: ApiRequest,
  given: { grantType: string | undefined; appid: string | undefined; secret: string | undefined },
  wrongSecretCode: number,
): void {
  const { config } = deps.state;
  if (given.grantType !== 'client_credential') throw new SimApiError(40002);
  if (!given.appid) throw new SimApiError(41002);
  if (given.appid !== config.appId) throw new SimApiError(40013);
  if (!given.secret) throw new SimApiError(41004);
  if (given.secret !== config.appSecret) throw new SimApiError(wrongSecretCode);
  const allowList = config.ipAllowList;
  if (allowList && !allowList.includes(req.remoteIp)) {
    throw new SimApiError(40164, `invalid ip ${req.remoteIp} ipv6 ::ffff:${req.remoteIp}, not in whitelist`);
  }
}

function liveTokens(deps: TokenDeps, kind: AccessTokenRecord['kind']): AccessTokenRecord[] {
  const now = deps.clock.now();
  return deps.state.tokens.filter((t) => t.kind === kind && now < t.expiresAt && now < (t.revokedAt ?? Infinity));
}

function issue(deps: TokenDeps, kind: AccessTokenRecord['kind']): AccessTokenRecord {
  // Real tokens are long opaque strings; clients must store at least 512 characters.
  const record: AccessTokenRecord = {
    token: randomBytes(96).toString('base64url'),
    kind,
    expiresAt: deps.clock.now() + TOKEN_LIFETIME_MS,
  };
  // Tokens dead for a day are forgotten (a call with one then gets 40001, as for any unknown token).
  const now = deps.clock.now();
  deps.state.tokens = deps.state.tokens.filter((t) => Math.min(t.expiresAt, t.revokedAt ?? Infinity) > now - DAY_MS);
  deps.state.tokens.push(record);
  return record;
}

function tokenResponse(deps: TokenDeps, record: AccessTokenRecord) {
  const remaining = Math.min(record.expiresAt, record.revokedAt ?? Infinity) - deps.clock.now();
  // Rounded up: a token issued a millisecond ago still reports WeChat's full 7200.
  return { access_token: record.token, expires_in: Math.ceil(remaining / 1000) };
}

function usageToday(deps: TokenDeps): SimState['tokenUsage'] {
  const usage = deps.state.tokenUsage;
  const day = Math.floor((deps.clock.now() + BEIJING_OFFSET_MS) / DAY_MS);
  if (usage.day !== day) Object.assign(usage, { day, classicFetches: 0, forcedRefreshes: 0 });
  return usage;
}
