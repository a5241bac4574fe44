// Structured logging. Use a child per module: log.child({ module: 'outbox' }).
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
  const text = error instanceof Error ? (error.name === 'Error' ? error.message : `${error.name}: ${error.message}`) : String(error);
  return text.slice(0, 300);
}

/** An openid as logs may carry it: enough to tell followers apart in one incident, not to look one up. */
export function maskOpenid(openid: string): string {
  return openid.length <= 8 ? '***' : `${openid.slice(0, 4)}…${openid.slice(-3)}`;
}
