// The data folder (WEKF_DATA_DIR) holds the embedded database, with every password hash, and the
// generated auth secret: only the account wekf runs as may read it. Folders 0700, files 0600.
//
// Two things make files wider than that, so both are handled here:
// - the process umask (commonly 022) lets new files and folders be read by everyone; it is set to
//   077 for the whole process, so whatever PGlite (or authSecret) creates later is private;
// - PGlite's initdb writes a fresh database's ~1,000 files with an explicit chmod to 0666, which no
//   umask prevents; so the folder is walked again once the database is open.
import fs from 'node:fs';
import path from 'node:path';
import { log } from '@/lib/log';

const dataDirLog = log.child({ module: 'data-dir' });

const FOLDER_MODE = 0o700;
const FILE_MODE = 0o600;

export interface TightenResult {
  folders: number;
  files: number;
  /** Entries whose mode could not be changed (owned by another account, say). */
  failed: string[];
}

/**
 * Makes `dir` (created if missing) and everything below it private: folders 0700, files 0600,
 * changing only entries that grant anything to group or others. Symbolic links below `dir` are
 * neither followed nor changed (chmod would act on their target, which may be anywhere).
 */
export function tightenDataDir(dir: string): TightenResult {
  fs.mkdirSync(dir, { recursive: true, mode: FOLDER_MODE });
  const result: TightenResult = { folders: 0, files: 0, failed: [] };
  // The folder itself is stat'ed, not lstat'ed: a data folder that is a link to a mounted volume
  // is the operator's choice, and its target is what holds the data.
  visit(dir, fs.statSync(dir), result);
  return result;
}

function visit(entry: string, stat: fs.Stats, result: TightenResult): void {
  if (stat.isDirectory()) {
    tighten(entry, stat, FOLDER_MODE, 'folders', result);
    for (const name of fs.readdirSync(entry)) {
      const child = path.join(entry, name);
      visit(child, fs.lstatSync(child), result);
    }
  } else if (stat.isFile()) {
    tighten(entry, stat, FILE_MODE, 'files', result);
  }
}

function tighten(entry: string, stat: fs.Stats, mode: number, kind: 'folders' | 'files', result: TightenResult): void {
  if ((stat.mode & 0o077) === 0) return;
  try {
    fs.chmodSync(entry, mode);
    result[kind]++;
  } catch {
    result.failed.push(entry);
  }
}

/**
 * Runs `open` (which may create the embedded database) with the data folder private before and
 * after it; call it before anything writes to the folder. Logs one line when an existing folder
 * was readable by others and is no longer.
 */
export async function withPrivateDataDir<T>(dir: string, open: () => Promise<T>): Promise<T> {
  process.umask(0o077);
  const before = tightenDataDir(dir);
  if (before.folders + before.files > 0) {
    dataDirLog.warn(
      { dir, folders: before.folders, files: before.files },
      `the data folder was open to other accounts: set ${before.folders} folders to 0700 and ${before.files} files to 0600`,
    );
  }
  const opened = await open();
  // Only a database created just now has wide files here (PGlite's initdb); nothing was exposed.
  const after = tightenDataDir(dir);
  if (after.folders + after.files > 0) {
    dataDirLog.debug({ dir, folders: after.folders, files: after.files }, 'made the new embedded database private');
  }
  const failed = [...new Set([...before.failed, ...after.failed])];
  if (failed.length > 0) {
    dataDirLog.warn(
      { dir, count: failed.length, first: failed[0] },
      'some entries in the data folder could not be made private; check their owner',
    );
  }
  return opened;
}
