// --cpu-prof: where the server's CPU went, from the .cpuprofile node writes when it exits.
// Self time grouped by package (node_modules/<pkg>), by wekf source file, and by function.
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

function owner(url: string, functionName: string, root: string): string {
  if (!url) return functionName || '(native)'; // (idle), (garbage collector), (program)
  if (url.startsWith('node:')) return 'node core';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  return url.replace(`file://${root}/`, '');
}

export function summarizeCpuProfile(file: string, root: string, thread: string, top = 15): string {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const total = profile.samples.length || 1;
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, n] of hits) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const o = owner(url, functionName, root);
    byOwner.set(o, (byOwner.get(o) ?? 0) + n);
    const fn = `${functionName || '(anonymous)'} ${url ? `${o}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + n);
  }
  const table = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, n]) => `  ${((n / total) * 100).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  return `server CPU profile, ${thread} (${seconds.toFixed(0)} s, ${total} samples; self time)\nby package / file:\n${table(byOwner)}\nby function:\n${table(byFunction)}`;
}
