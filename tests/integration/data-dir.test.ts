import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tightenDataDir, withPrivateDataDir } from '@/lib/server/data-dir';

/** Every folder and file under dir (dir included), with its permission bits. */
function modes(dir: string): { entry: string; kind: 'folder' | 'file' | 'link'; mode: number }[] {
  const out: { entry: string; kind: 'folder' | 'file' | 'link'; mode: number }[] = [];
  const walk = (entry: string) => {
    const stat = fs.lstatSync(entry);
    const kind = stat.isSymbolicLink() ? 'link' : stat.isDirectory() ? 'folder' : 'file';
    out.push({ entry: path.relative(dir, entry) || '.', kind, mode: stat.mode & 0o777 });
    if (kind === 'folder') for (const name of fs.readdirSync(entry)) walk(path.join(entry, name));
  };
  walk(dir);
  return out;
}

let scratch: string;
let umask: number;

beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-data-dir-'));
  // The code under test sets the process umask; put back the one the test started with.
  umask = process.umask();
});

afterEach(() => {
  process.umask(umask);
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('tightenDataDir', () => {
  it('makes every folder 0700 and every file 0600 in a folder left 0755/0644', () => {
    const dir = path.join(scratch, 'data');
    fs.mkdirSync(path.join(dir, 'pglite', 'base', '5'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'auth-secret'), 'x');
    fs.writeFileSync(path.join(dir, 'pglite', 'PG_VERSION'), '17');
    fs.writeFileSync(path.join(dir, 'pglite', 'base', '5', '1259'), '');
    for (const { entry, kind } of modes(dir)) fs.chmodSync(path.join(dir, entry), kind === 'folder' ? 0o755 : 0o644);
    fs.chmodSync(path.join(dir, 'pglite', 'PG_VERSION'), 0o666);

    expect(tightenDataDir(dir)).toEqual({ folders: 4, files: 3, failed: [] });

    const after = modes(dir);
    expect(after).toHaveLength(7);
    for (const { entry, kind, mode } of after) {
      expect({ entry, mode: mode.toString(8) }).toEqual({ entry, mode: kind === 'folder' ? '700' : '600' });
    }
    expect(tightenDataDir(dir)).toEqual({ folders: 0, files: 0, failed: [] });
  });

  it('creates a missing folder 0700', () => {
    const dir = path.join(scratch, 'new', 'data');
    tightenDataDir(dir);
    expect((fs.statSync(dir).mode & 0o777).toString(8)).toBe('700');
  });

  it('leaves what a link inside points to alone', () => {
    const dir = path.join(scratch, 'data');
    const outside = path.join(scratch, 'outside.txt');
    fs.mkdirSync(dir, { mode: 0o700 });
    fs.writeFileSync(outside, 'shared');
    fs.chmodSync(outside, 0o644);
    fs.symlinkSync(outside, path.join(dir, 'link'));

    tightenDataDir(dir);
    expect((fs.statSync(outside).mode & 0o777).toString(8)).toBe('644');
  });
});

describe('withPrivateDataDir', () => {
  // A fresh PGlite runs initdb: 5–7 s alone, several times that on a busy 2-core machine.
  it('leaves a database PGlite creates, and writes to later, with no group or other permissions', { timeout: 90_000 }, async () => {
    process.umask(0o022);
    const dir = path.join(scratch, 'data');
    const pg = await withPrivateDataDir(dir, async () => {
      const db = new PGlite(path.join(dir, 'pglite'));
      await db.waitReady;
      return db;
    });
    try {
      // Files made after start-up (a new table, its WAL) come from the umask, not the walk.
      await pg.query('create table later (x int)');
      await pg.query('insert into later select generate_series(1, 1000)');
      await pg.query('checkpoint');
    } finally {
      await pg.close();
    }
    fs.writeFileSync(path.join(dir, 'auth-secret'), 'x');

    const all = modes(dir);
    expect(all.length).toBeGreaterThan(100);
    const open = all.filter(({ mode }) => (mode & 0o077) !== 0).map(({ entry, mode }) => `${entry} ${mode.toString(8)}`);
    expect(open).toEqual([]);
    expect(all.filter(({ kind, mode }) => kind === 'folder' && mode !== 0o700)).toEqual([]);
  });

  it('tightens an existing folder before the database opens', async () => {
    const dir = path.join(scratch, 'data');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    fs.writeFileSync(path.join(dir, 'auth-secret'), 'x', { mode: 0o644 });
    fs.chmodSync(path.join(dir, 'auth-secret'), 0o644);

    const seen = await withPrivateDataDir(dir, async () => modes(dir));
    expect(seen.map(({ entry, mode }) => [entry, mode.toString(8)])).toEqual([
      ['.', '700'],
      ['auth-secret', '600'],
    ]);
  });
});
