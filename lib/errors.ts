// Expected refusals ("that email is taken", "09:60 is not a time") as one shape: a catalog key and
// its parameters, never prose. The console translates the code into the reader's language (see
// lib/forms/form-state.ts); `.message` is the English text from the same catalog, for logs and the
// terminal (lib/env.ts prints a bad SERVICE_HOURS this way).
import { translator, type MessageKey } from '@/lib/i18n/format';

/** Filled into the code's catalog text, e.g. { day: 'mon', start: '09:00' } for {day} and {start}. */
export type ErrorParams = Readonly<Record<string, string | number>>;

const english = translator('en');

/** A refusal a person can act on; its code and params may be shown to them, translated. */
export class DomainError extends Error {
  /**
   * The form field it is about, as a full path (`hours.mon.1.end`, see lib/forms/names.ts): the
   * action wrapper then shows it beside that field instead of above the form.
   */
  field: string | undefined;

  constructor(
    readonly code: MessageKey,
    readonly params: ErrorParams = {},
    options: { field?: string; cause?: unknown } = {},
  ) {
    super(english(code, params), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DomainError';
    this.field = options.field;
  }

  /** The older name for code, kept for callers written before DomainError. */
  get messageKey(): MessageKey {
    return this.code;
  }

  /** Pins the error to a form field, for a use case that knows which field it parsed. */
  at(field: string): this {
    this.field = field;
    return this;
  }
}

/** The older name: every DomainError may be shown to the user. */
export { DomainError as PublicActionError };
