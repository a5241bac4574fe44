export const serverBundleFile: string;
export const outboxWorkerFile: string;
export const pgliteWorkerFile: string;
export function bundleServer(outdir?: string, opts?: { only?: 'server' | 'outbox-worker' | 'pglite-worker' }): Promise<void>;
