import type { MessageKey } from '@/lib/i18n/format';

/** An expected refusal whose message (a catalog key) may be shown to the user. */
export class PublicActionError extends Error {
  constructor(readonly messageKey: MessageKey) {
    super(messageKey);
    this.name = 'PublicActionError';
  }
}
