// Starting and stopping the production server as a user does: the built bundle and `npm start`.
// Each spawn costs a few seconds, so this file keeps them few.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const root = process.cwd();
const serverBundle = path.join(root, '.next', 'wekf', 'server.mjs');
const dataDirs: string[] = [];
const spawned: number[] = [];

function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekf-start-test-'));
  dataDirs.push(dir);
  return dir;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function isFree(port: number): Promise<boolean> {
  const server = net.createServer();
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  return listening;
}

function serverEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    HOST: '127.0.0.1',
    // Set even when empty: an empty value is "unset" to wekf, and a .env file cannot fill it in.
    DATABASE_URL: '',
    LOG_LEVEL: 'warn',
    ...overrides,
  };
}

/** Runs the built server to its exit; for starts that must stop by themselves. */
function runServer(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [serverBundle], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid) spawned.push(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every process below `pid`, from ps. */
function descendants(pid: number): number[] {
  const table = spawnSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' }).stdout;
  const children = new Map<number, number[]>();
  for (const line of table.trim().split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const visit = (p: number) => {
    for (const c of children.get(p) ?? []) {
      found.push(c);
      visit(c);
    }
  };
  visit(pid);
  return found;
}

async function waitForHealth(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited during start-up (${child.exitCode})`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(2000) })
      .then((res) => res.status === 200)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the server did not become healthy');
}

describe('starting and stopping the production server', () => {
  beforeAll(() => {
    // What `npm start` does first; a no-op when the build is current (as after npm run build).
    const build = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "import { ensureBuild } from './scripts/build-if-needed.mjs'; ensureBuild();"],
      { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
    );
    expect(build.status, build.stderr).toBe(0);
  }, 300_000);

  afterEach(() => {
    // Nothing a failed test started may outlive it.
    for (const pid of spawned.splice(0)) {
      for (const p of [...descendants(pid), pid]) if (isRunning(p)) process.kill(p, 'SIGKILL');
    }
  });

  afterAll(() => {
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('with its port taken, says so in one line, exits non-zero and creates nothing', async () => {
    const port = await freePort();
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const dataDir = tempDataDir();
      const result = await runServer(serverEnv({ PORT: String(port), WEKF_DATA_DIR: dataDir, SANDBOX_WECHAT_PORT: '0' }));
      expect(result.stderr).toBe(`wekf: port ${port} is in use (set PORT)\n`);
      expect(result.code).not.toBe(0);
      expect(result.code).not.toBeNull();
      // No database, no generated secret, no first admin and no password printed.
      expect(fs.readdirSync(dataDir)).toEqual([]);
      expect(result.stdout).not.toMatch(/Password|First admin/);
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  }, 30_000);

  it.each([
    ['PORT', 'eighty', 'wekf: configuration error: PORT must be a whole number between 1 and 65535'],
    ['LOG_LEVEL', 'loud', 'wekf: configuration error: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
  ])('with a bad %s, prints the one configuration line and no stack trace', async (variable, value, line) => {
    const dataDir = tempDataDir();
    const result = await runServer(serverEnv({ PORT: String(await freePort()), WEKF_DATA_DIR: dataDir, [variable]: value }));
    expect(result.stderr).toBe(`${line}\n`);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/^\s+at /m);
    expect(result.code).toBe(1);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('npm start: prints the fake WeChat address, and a SIGTERM to npm stops the whole process tree', async () => {
    const [port, simPort] = [await freePort(), await freePort()];
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: root,
      env: serverEnv({
        PORT: String(port),
        SANDBOX_WECHAT_PORT: String(simPort),
        WEKF_DATA_DIR: tempDataDir(),
        ADMIN_EMAIL: 'admin@start.test',
        ADMIN_PASSWORD: 'start-test-password',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    spawned.push(npm.pid!);
    let stdout = '';
    npm.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    npm.stderr!.resume();
    await waitForHealth(port, npm, 60_000);
    await expect.poll(() => stdout).toContain(`Sandbox mode: the fake WeChat is at http://127.0.0.1:${simPort}`);
    const tree = descendants(npm.pid!);
    spawned.push(...tree);
    expect(tree.length).toBeGreaterThanOrEqual(2); // the start wrapper and the server, under npm's shell
    // The server runs as scripts/server-flags.mjs says for embedded PGlite: a small young generation, two malloc arenas.
    const server = tree.find((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server.mjs'));
    expect(fs.readFileSync(`/proc/${server}/cmdline`, 'utf8').split('\0')).toContain('--max-semi-space-size=4');
    expect(fs.readFileSync(`/proc/${server}/environ`, 'utf8').split('\0')).toContain('MALLOC_ARENA_MAX=2');

    const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
    npm.kill('SIGTERM');
    await exited;
    await expect.poll(() => tree.filter(isRunning), { timeout: 15_000 }).toEqual([]);
    expect(await isFree(port)).toBe(true);
    expect(await isFree(simPort)).toBe(true);
  }, 120_000);
});
