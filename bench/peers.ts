// The webhooks `npm run bench -- --vs-peer` measures wekf against (issue 19), from ../shared/peer
// (its README): the peer — node-webot `wechat` on express, the queue in a Map, nothing durable — and
// the ceiling — a bare listener that checks the signature, parses and answers, storing nothing.
// The folder is read-only and its packages come from the npm registry, so it is copied to a cache
// folder beside the system's temp files and installed there once.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PeerProcess {
  name: 'peer' | 'ceiling';
  pid: number;
  url: string;
  /** The webhook's path on that server. */
  path: string;
  stop(): Promise<void>;
}

/** ../shared/peer from the project root, or PEER_DIR. */
export function peerSourceDir(root: string): string {
  return process.env.PEER_DIR ?? path.resolve(root, '..', 'shared', 'peer');
}

/**
 * A copy of the peer folder with its packages installed; reinstalled only when its package.json
 * changed. Throws with npm's output when the install fails.
 */
export function preparePeers(sourceDir: string): string {
  if (!fs.existsSync(path.join(sourceDir, 'server.cjs'))) throw new Error(`no peer webhooks in ${sourceDir} (set PEER_DIR)`);
  const dir = path.join(os.tmpdir(), 'wekf-bench-peers');
  fs.mkdirSync(dir, { recursive: true });
  const manifest = fs.readFileSync(path.join(sourceDir, 'package.json'), 'utf8');
  const installed = path.join(dir, '.installed-package.json');
  for (const file of fs.readdirSync(sourceDir)) {
    if (fs.statSync(path.join(sourceDir, file)).isFile()) fs.copyFileSync(path.join(sourceDir, file), path.join(dir, file));
  }
  if (!fs.existsSync(installed) || fs.readFileSync(installed, 'utf8') !== manifest) {
    console.log(`bench: installing the peer webhooks' packages in ${dir}`);
    const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--omit=dev'], { cwd: dir, encoding: 'utf8' });
    if (npm.status !== 0) throw new Error(`npm install of the peer webhooks failed:\n${npm.stdout}${npm.stderr}`);
    fs.writeFileSync(installed, manifest);
  }
  return dir;
}

/** Starts one of them on `port` with the bench's token; resolves once it answers. */
export async function startPeer(dir: string, name: PeerProcess['name'], port: number, token: string): Promise<PeerProcess> {
  const child: ChildProcess = spawn(process.execPath, [path.join(dir, name === 'peer' ? 'server.cjs' : 'ceiling.cjs')], {
    cwd: dir,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(port), WECHAT_TOKEN: token },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (child.pid === undefined) throw new Error(`could not start the ${name}`);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited) throw new Error(`the ${name} exited during start-up`);
    // Any answer (an unsigned request is refused) means it listens.
    const answered = await fetch(`${url}/wechat`, { signal: AbortSignal.timeout(1000) }).then(
      () => true,
      () => false,
    );
    if (answered) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the ${name} did not listen within 15 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name,
    pid: child.pid,
    url,
    path: '/wechat',
    async stop() {
      if (!exited) child.kill('SIGTERM');
      await exit;
    },
  };
}
