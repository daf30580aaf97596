import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMarker, type Marker } from '../../backends/qemu/markers.ts';
import { translate, type ScenarioPlan } from '../../backends/qemu/translate.ts';
import { BUSYBOX } from './artifacts.ts';

const lib = readFileSync(new URL('../../backends/qemu/agent/lib.sh', import.meta.url), 'utf8');

/**
 * Runs scenario 0's translated dom0 side in the same busybox the initramfs carries, on this
 * host (no Xen needed for file steps). Returns the console lines it printed (the frames).
 */
export function runDom0SideLines(plan: ScenarioPlan): string[] {
  const init = translate([plan]).dom0Init.split('\n');
  const defs = init.filter((l) => /^[ac]_\d+_\d+\(\)/.test(l));
  const from = init.indexOf('s_0() {');
  const to = init.indexOf('}', from);
  const dir = mkdtempSync(join(tmpdir(), 'pvm-agent-'));
  const script = [lib, ...defs, ...init.slice(from, to + 1), 's_0; exit 0'].join('\n');
  writeFileSync(join(dir, 'run.sh'), script);
  const out = execFileSync(BUSYBOX, ['sh', join(dir, 'run.sh')], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, PVM_OUT: join(dir, 'out') },
  });
  return out.split('\n');
}

export function runDom0Side(plan: ScenarioPlan): Marker[] {
  return runDom0SideLines(plan)
    .map(parseMarker)
    .filter((m): m is Marker => m !== undefined);
}
