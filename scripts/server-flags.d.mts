export function serverNodeFlags(opts: { embedded: boolean }): string[];
export function serverEnv(opts: { embedded: boolean }, env?: Record<string, string | undefined>): Record<string, string>;
