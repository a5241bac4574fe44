// Structured logging. Use a child per module: log.child({ module: 'outbox' }).
import { DrizzleQueryError } from 'drizzle-orm/errors';
import pino from 'pino';
import { env } from './env';

function configuredLevel(): string {
  try {
    const { LOG_LEVEL, NODE_ENV } = env();
    return LOG_LEVEL ?? (NODE_ENV === 'test' ? 'silent' : 'info');
  } catch {
    // A bad environment is reported once, in one line, by server.ts; loading this module must not
    // throw first (that printed a stack trace around the message).
    return 'info';
  }
}

export const log = pino({
  level: configuredLevel(),
  base: undefined,
  // Secrets must never reach a log line, even when someone logs a whole object by mistake.
  redact: {
    paths: [
      'password',
      '*.password',
      'passwordHash',
      '*.passwordHash',
      'accessToken',
      '*.accessToken',
      'access_token',
      '*.access_token',
      'secret',
      '*.secret',
      'appSecret',
      '*.appSecret',
      'encodingAESKey',
      '*.encodingAESKey',
      'headers.cookie',
      'headers.authorization',
    ],
    censor: '[redacted]',
  },
});

/**
 * What to log of a caught error: its name and message, capped. Never the error itself: pino would
 * write its stack, and a driver error can carry the query and its parameters.
 */
export function errorText(error: unknown): string {
  return describe(error).slice(0, 300);
}

function describe(error: unknown): string {
  // Drizzle's message is the query and then its parameters (a password hash, a token): only the
  // statement's first words and the database's own reason, which the cap would otherwise cut off.
  if (isQueryError(error)) return `query failed (${statementStart(error.query)}): ${error.cause === undefined ? 'no reason given' : describe(error.cause)}`;
  return error instanceof Error ? (error.name === 'Error' ? error.message : `${error.name}: ${error.message}`) : String(error);
}

/** By its shape too: the server's bundle and the outbox's worker may each hold a copy of Drizzle. */
function isQueryError(error: unknown): error is DrizzleQueryError {
  return error instanceof DrizzleQueryError || (error instanceof Error && typeof (error as { query?: unknown }).query === 'string' && error.message.startsWith('Failed query:'));
}

/** `insert into "agents"`: what the statement was, without the rest of it. */
function statementStart(query: string): string {
  return query.trim().split(/\s+/).slice(0, 3).join(' ').slice(0, 60);
}

/** An openid as logs may carry it: enough to tell followers apart in one incident, not to look one up. */
export function maskOpenid(openid: string): string {
  return openid.length <= 8 ? '***' : `${openid.slice(0, 4)}…${openid.slice(-3)}`;
}
