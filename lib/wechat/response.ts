import type { z } from 'zod';
import { WechatProtocolError } from './errors';

/** Checks an API response against its documented shape; a mismatch is WeChat breaking the protocol. */
export function parseResponse<S extends z.ZodType>(schema: S, json: unknown, path: string): z.output<S> {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.join('.') || 'response';
  throw new WechatProtocolError('bad_response', `${path}: unexpected ${where} (${issue?.message ?? 'invalid'})`, {
    field: where,
  });
}
