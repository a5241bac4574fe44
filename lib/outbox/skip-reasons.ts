// Why the dispatcher left an outbox row unsent on purpose, as stored in its last_error (English, for
// logs and exports) and as the console says it (session.skip.* in the catalogs).
import type { MessageKey } from '@/lib/i18n/format';

export const SKIP_REASONS = {
  superseded: 'a newer place-in-line update for this session went instead',
  budget: 'kept the send budget for higher-value messages',
  notWaiting: 'the follower is no longer waiting',
} as const;

const KEYS: Record<(typeof SKIP_REASONS)[keyof typeof SKIP_REASONS], MessageKey> = {
  [SKIP_REASONS.superseded]: 'session.skip.superseded',
  [SKIP_REASONS.budget]: 'session.skip.budget',
  [SKIP_REASONS.notWaiting]: 'session.skip.notWaiting',
};

/** The catalog key for a stored skip reason; undefined for any other text (shown as written). */
export function skipReasonKey(stored: string | null): MessageKey | undefined {
  return stored !== null && Object.hasOwn(KEYS, stored) ? KEYS[stored as keyof typeof KEYS] : undefined;
}
