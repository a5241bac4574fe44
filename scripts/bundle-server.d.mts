export const serverBundleFile: string;
export const outboxWorkerFile: string;
