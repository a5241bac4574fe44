// Files too large to send are refused in the browser, beside their field. The server refuses them
// too (lib/kf/agents.ts), but a body over the server actions' limit (next.config.mjs) never reaches
// the action: Next throws instead, and the page would turn into its error screen.

export interface FileLimit {
  maxBytes: number;
  /** The refusal, already in the page's language. */
  message: string;
}

export type FileLimits = Readonly<Record<string, FileLimit>>;

/** Field errors for the files in `formData` over their field's limit; undefined when all fit. */
export function oversizedFiles(formData: FormData, limits: FileLimits): Record<string, string> | undefined {
  let errors: Record<string, string> | undefined;
  for (const [name, limit] of Object.entries(limits)) {
    for (const value of formData.getAll(name)) {
      if (typeof value !== 'string' && value.size > limit.maxBytes) (errors ??= {})[name] = limit.message;
    }
  }
  return errors;
}
