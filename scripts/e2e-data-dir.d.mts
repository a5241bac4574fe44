export const E2E_DATA_DIR_VARIABLE: string;
export function createE2eDataDir(): string;
export function removeE2eDataDir(dir: string): void;
export function withE2eDataDir<T>(run: (dir: string) => T | Promise<T>): Promise<T>;
