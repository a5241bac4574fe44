import { DomainError, type ErrorParams } from '@/lib/errors';
import type { MessageKey } from '@/lib/i18n/format';

export type ServiceHoursCode = Extract<MessageKey, `error.hours.${string}`>;

/** A schedule text or time zone that cannot be read; `.message` is English for the terminal. */
export class ServiceHoursError extends DomainError {
  declare readonly code: ServiceHoursCode;

  constructor(code: ServiceHoursCode, params: ErrorParams = {}) {
    super(code, params);
    this.name = 'ServiceHoursError';
  }
}
