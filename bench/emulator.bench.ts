/**
 * Emulated cells per second over the default matrix (matrix.yaml + scenarios/), the core
 * loop only: cells expanded and the models prepared beforehand, then `run` on every cell
 * that is not excluded. Two passes; the second is reported (the first warms the JIT).
 */
import { fileURLToPath } from 'node:url';
import { xenDomain } from '../cli/xen-domain.ts';
import { Emulator } from '../emulator/index.ts';
import { expand } from '../runner/expand/expand.ts';
import { loadSpec } from '../runner/load/load.ts';
import type { BenchRow } from './row.ts';

export default async function (): Promise<BenchRow[]> {
  const spec = loadSpec(fileURLToPath(new URL('../matrix.yaml', import.meta.url)), xenDomain);
  const cells = [...expand(spec)].filter((p) => !p.excluded).map((p) => p.cell);
  const em = new Emulator();
  const t0 = performance.now();
  await em.prepare(cells);
  const prepareMs = performance.now() - t0;
  let seconds = 0;
  let cpuSeconds = 0;
  let outcomes = '';
  for (let pass = 0; pass < 2; pass++) {
    const counts: Record<string, number> = {};
    const start = performance.now();
    const cpu = process.cpuUsage();
    for (const c of cells) {
      const o = em.run(c).outcome;
      counts[o] = (counts[o] ?? 0) + 1;
    }
    seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    cpuSeconds = (used.user + used.system) / 1e6;
    outcomes = Object.entries(counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ');
  }
  return [
    {
      name: 'emulated cells per second (default matrix, run only)',
      value: cells.length / seconds,
      unit: 'cells/s',
      note: `${cells.length} cells: ${outcomes}`,
    },
    { name: 'mean time per emulated cell', value: (seconds * 1e6) / cells.length, unit: 'µs' },
    // Wall time on a shared 2-core machine swings with the load; CPU time does not.
    {
      name: 'emulated cells per CPU-second (same loop)',
      value: cells.length / cpuSeconds,
      unit: 'cells/s',
      note: 'robust to other load on the machine',
    },
    { name: 'prepare (read real images, build one model per profile)', value: prepareMs, unit: 'ms' },
  ];
}
