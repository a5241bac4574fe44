export function serverNodeFlags(opts: { embedded: boolean }): string[];
