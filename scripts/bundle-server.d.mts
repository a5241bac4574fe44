export const serverBundleFile: string;
export const outboxWorkerFile: string;
export function bundleServer(outdir?: string): Promise<void>;
