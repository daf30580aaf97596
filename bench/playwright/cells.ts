/**
 * What each Playwright worker loads once (module state is per worker process): the default
 * matrix expanded into a map by id, and one Emulator, prepared per spec file for its cells.
 * This is how a user would write it: the expensive parts shared, one test per cell.
 */
import { xenDomain } from '../../cli/xen-domain.ts';
import { Emulator } from '../../emulator/index.ts';
import { expand } from '../../runner/expand/expand.ts';
import type { PlannedCell } from '../../runner/expand/planned.ts';
import { verdict } from '../../runner/results/verdict.ts';
import { loadSpec } from '../../runner/load/load.ts';

let byId: Map<string, PlannedCell> | undefined;
export const emulator = new Emulator();

export function cellsFor(matrix: string, ids: readonly string[]): PlannedCell[] {
  if (!byId) {
    byId = new Map();
    for (const p of expand(loadSpec(matrix, xenDomain))) byId.set(p.cell.id, p);
  }
  return ids.map((id) => {
    const p = byId!.get(id);
    if (!p) throw new Error(`no cell ${id} in ${matrix}`);
    return p;
  });
}

export async function prepare(cells: readonly PlannedCell[]): Promise<void> {
  await emulator.prepare(cells.filter((p) => !p.excluded).map((p) => p.cell));
}

/** The cell's verdict, as pvmatrix gives it, and its console (for a report to attach). */
export function runCell(p: PlannedCell): { verdict: string; console: string } {
  const r = emulator.run(p.cell);
  return { verdict: verdict(r.outcome, p.expected, r.reason, p.because), console: r.transcript.join('\n') };
}
