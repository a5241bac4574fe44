// Why the dispatcher left an outbox row unsent on purpose, or stopped trying one, as stored in its
// last_error (English, for logs and exports) and as the console says it (session.skip.* and
// session.fail.* in the catalogs).
import type { MessageKey } from '@/lib/i18n/format';

export const SKIP_REASONS = {
  superseded: 'a newer place-in-line update for this session went instead',
  budget: 'kept the send budget for higher-value messages',
  notWaiting: 'the follower is no longer waiting',
  spent: 'no sends left in WeChat\'s window for this follower',
  windowClosed: 'WeChat\'s window for messaging this person is closed: no message to the account within 48 hours',
} as const;

/** A failed row's reason, when it is not an errcode from WeChat. */
export const FAILURE_REASONS = {
  unconfirmed: 'WeChat did not answer in time; not sent again, as it may have arrived',
  dropped: 'the connection to WeChat dropped after it had the message; not sent again, as it may have arrived',
  unreadable: 'WeChat\'s answer broke off; not sent again, as it may have arrived',
} as const;

type StoredReason = (typeof SKIP_REASONS)[keyof typeof SKIP_REASONS] | (typeof FAILURE_REASONS)[keyof typeof FAILURE_REASONS];

const KEYS: Record<StoredReason, MessageKey> = {
  [SKIP_REASONS.superseded]: 'session.skip.superseded',
  [SKIP_REASONS.budget]: 'session.skip.budget',
  [SKIP_REASONS.notWaiting]: 'session.skip.notWaiting',
  [SKIP_REASONS.spent]: 'session.skip.spent',
  [SKIP_REASONS.windowClosed]: 'session.skip.windowClosed',
  [FAILURE_REASONS.unconfirmed]: 'session.fail.unconfirmed',
  [FAILURE_REASONS.dropped]: 'session.fail.dropped',
  [FAILURE_REASONS.unreadable]: 'session.fail.unreadable',
};

/** The catalog key for a stored skip or failure reason; undefined for any other text (shown as written). */
export function skipReasonKey(stored: string | null): MessageKey | undefined {
  return stored !== null && Object.hasOwn(KEYS, stored) ? KEYS[stored as keyof typeof KEYS] : undefined;
}
