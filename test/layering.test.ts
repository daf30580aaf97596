/**
 * The floors of the source tree (README "How it works"), bottom first. A folder may import
 * only the folders its entry names, each on a lower floor, so that no import climbs a floor;
 * and no chain of files imports itself. Like Playwright's DEPS.list and zod's
 * no-circular-imports test. Run against the tree before the re-layout (issue 15), it failed on
 * domain -> emulator and runner/spec, emulator -> runner/model and runner/spec, runner/results
 * -> reports, runner/schedule -> runner/cli and runner/spec -> runner/expand.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { test } from 'node:test';

const BASE = ['lib', 'contracts'];
const XEN = [...BASE, 'domain', 'emulator'];
const RUNNER = ['runner/load', 'runner/expand', 'runner/results', 'runner/schedule'];
const FLOORS: Record<string, string[]>[] = [
  { lib: [] },
  { contracts: ['lib'] },
  { domain: BASE, 'runner/load': BASE, reports: BASE },
  { emulator: [...BASE, 'domain'], 'runner/expand': [...BASE, 'runner/load'] },
  { 'runner/results': [...BASE, 'runner/load', 'runner/expand'] },
  { 'runner/schedule': [...BASE, 'runner/load', 'runner/expand', 'runner/results'] },
  { backends: XEN, tools: XEN },
  { cli: [...XEN, ...RUNNER, 'reports', 'backends', 'tools'] },
];
const NOT_SOURCE = new Set(['node_modules', 'test', 'bench', 'bin', 'docs', 'out']);

const root = join(import.meta.dirname, '..');
const floor = new Map(FLOORS.flatMap((f, i) => Object.keys(f).map((u) => [u, i] as const)));
const allowed = new Map(FLOORS.flatMap((f) => Object.entries(f)));
const unitOf = (file: string) => [...floor.keys()].filter((u) => file.startsWith(`${u}/`)).sort((a, b) => b.length - a.length)[0];
const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !NOT_SOURCE.has(f.split('/')[0]!) && !f.startsWith('.') && f.includes('/'))
  .sort();
const imports = new Map(
  files.map((f) => {
    const text = readFileSync(join(root, f), 'utf8');
    const specs = [...text.matchAll(/\b(?:from|import)\s*\(?\s*'(\.\.?\/[^']+\.ts)'/g)].map((m) => normalize(join(dirname(f), m[1]!)));
    return [f, specs];
  }),
);

test('every import stays on its floor or goes down to one its folder names', () => {
  for (const [u, deps] of allowed) for (const d of deps) assert.ok(floor.get(d)! < floor.get(u)!, `${u} names ${d}, which is not below it`);
  const climbs: string[] = [];
  for (const [f, targets] of imports) {
    const from = unitOf(f);
    if (!from) climbs.push(`${f}: in no floor (add its folder to FLOORS)`);
    for (const t of targets) {
      const to = unitOf(t);
      if (from && to !== from && !allowed.get(from)!.includes(to ?? t)) climbs.push(`${f} -> ${relative(root, join(root, t))}`);
    }
  }
  assert.deepEqual(climbs, []);
});

test('no file imports itself through others', () => {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (f: string, path: string[]): string[] | undefined => {
    if (state.get(f) === 'done') return undefined;
    if (state.get(f) === 'open') return [...path.slice(path.indexOf(f)), f];
    state.set(f, 'open');
    for (const t of imports.get(f) ?? []) {
      const loop = visit(t, [...path, f]);
      if (loop) return loop;
    }
    state.set(f, 'done');
    return undefined;
  };
  for (const f of files) assert.equal(visit(f, [])?.join(' -> '), undefined);
});
