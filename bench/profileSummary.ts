/**
 * Where the time goes in a V8 CPU profile (node --cpu-prof): self time by function and by area
 * (our code by folder, node_modules by package, node internals, GC, idle).
 *
 *   node --cpu-prof --cpu-prof-dir=prof dist/bench/run.js --only petitspas
 *   node dist/bench/profileSummary.js prof/CPU.*.cpuprofile
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly byArea: Array<{ area: string; ms: number; share: number }>;
  readonly byFunction: Array<{ name: string; ms: number; share: number }>;
}

export function areaOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'program (native)';
  if (!url) return 'native / builtins';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return `npm ${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  const dist = url.indexOf('/dist/');
  const local = dist >= 0 ? url.slice(dist + '/dist/'.length) : url.replace(/^file:\/\//, '');
  const parts = local.split('/');
  return `ours ${parts.slice(0, Math.min(2, parts.length - 1)).join('/')}`;
}

export function summarizeProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let total = 0;
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const short = url ? url.replace(/^.*\/(node_modules|dist)\//, '').replace(/^file:\/\//, '') : '';
    const name = `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const rank = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: total ? us / total : 0 }));
  return {
    totalMs: total / 1000,
    byArea: rank(areas).map(({ name, ms, share }) => ({ area: name, ms, share })),
    byFunction: rank(functions),
  };
}

export function printProfileSummary(summary: ProfileSummary, write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): void {
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)} %`;
  write(`CPU profile: ${summary.totalMs.toFixed(0)} ms sampled`);
  write('  by area (self time):');
  for (const a of summary.byArea) write(`    ${pct(a.share)}  ${a.ms.toFixed(0).padStart(7)} ms  ${a.area}`);
  write('  hottest functions (self time):');
  for (const f of summary.byFunction) write(`    ${pct(f.share)}  ${f.ms.toFixed(0).padStart(7)} ms  ${f.name}`);
}

if (require.main === module) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    process.stderr.write('usage: node dist/bench/profileSummary.js <file.cpuprofile>…\n');
    process.exit(2);
  }
  for (const file of files) printProfileSummary(summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile));
}
