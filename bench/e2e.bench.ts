/**
 * `pvmatrix run` end to end on the emulator, as a user runs it (a child process: load,
 * expand, run, write results.json, journal, allure-results, junit.xml, summary.md): wall
 * time, cells/s and peak RSS (/usr/bin/time), on the default matrix and on it scaled 5x
 * (>100,000 cells) and 10x by a synthetic axis, for the growth curve. Then, in process,
 * the core loop (expand + schedule + verdicts, no I/O), and the figure that decides
 * whether worker threads would pay for the emulator (docs/scale.md).
 * PVMATRIX_BENCH_QUICK=1 skips the 10x run.
 */
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { xenDomain } from '../cli/xen-domain.ts';
import { createEmulatorBackend } from '../backends/emulator.ts';
import { expand } from '../runner/expand/expand.ts';
import type { BackendResult } from '../contracts/result.ts';
import { toCellResult } from '../runner/results/cell-result.ts';
import { count, emptySummary } from '../contracts/summary.ts';
import { schedule } from '../runner/schedule/schedule.ts';
import { loadSpec } from '../runner/load/load.ts';
import { load, timedRun, TMPFS, type CliRun } from './cli-run.ts';
import type { BenchRow } from './row.ts';
import { ROOT, scaledMatrix } from './scaled-matrix.ts';

export default async function (): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const runs: { x: number; r: CliRun; load: string }[] = [];
  for (const x of process.env.PVMATRIX_BENCH_QUICK ? [1, 5] : [1, 5, 10]) {
    const matrix = x === 1 ? undefined : scaledMatrix(x);
    const r = await timedRun(matrix ? ['--matrix', matrix] : []);
    if (matrix) rmSync(dirname(matrix), { recursive: true, force: true });
    if (r.code !== 0) throw new Error(`bench: the ${x}x run exited ${r.code}:\n${r.stderr.slice(-2000)}`);
    runs.push({ x, r, load: load() });
  }
  const one = runs[0]!.r;
  const inMemory = existsSync(TMPFS) ? await timedRun([], 'tmpfs') : undefined;
  rows.push(
    {
      name: `default matrix end to end (${one.cells.toLocaleString('en-US')} cells), wall`,
      value: one.wallS,
      unit: 's',
      note: `target < 10 s; ${runs[0]!.load}`,
    },
    { name: 'default matrix end to end, rate', value: one.cells / one.wallS, unit: 'cells/s' },
    { name: 'default matrix end to end, peak RSS', value: one.peakRssMb, unit: 'MB' },
    { name: 'default matrix end to end, CPU time (all threads)', value: one.cpuS, unit: 's', note: 'user + system' },
  );
  if (inMemory) {
    rows.push({
      name: `default matrix end to end, --out on tmpfs (${TMPFS}), wall`,
      value: inMemory.wallS,
      unit: 's',
      note: `the same run without the disk: creating ~28,000 report files is the difference; ${load()}`,
    });
  }
  for (const { x, r, load: l } of runs.slice(1)) {
    rows.push(
      { name: `${x}x matrix end to end (${r.cells.toLocaleString('en-US')} cells), wall`, value: r.wallS, unit: 's', note: l },
      {
        name: `${x}x matrix end to end, peak RSS`,
        value: r.peakRssMb,
        unit: 'MB',
        note: r.cells >= 100_000 ? 'target < 500 MB at 100,000 cells' : undefined,
      },
    );
  }
  // Marginal cost per cell between successive sizes: flat means no growth with the matrix.
  for (let i = 1; i < runs.length; i++) {
    const a = runs[i - 1]!.r;
    const b = runs[i]!.r;
    rows.push(
      {
        name: `marginal wall time per cell, ${runs[i - 1]!.x}x -> ${runs[i]!.x}x`,
        value: ((b.wallS - a.wallS) * 1e6) / (b.cells - a.cells),
        unit: 'µs',
        note: 'flat = cost per cell does not grow',
      },
      {
        name: `marginal CPU time per cell, ${runs[i - 1]!.x}x -> ${runs[i]!.x}x`,
        value: ((b.cpuS - a.cpuS) * 1e6) / (b.cells - a.cells),
        unit: 'µs',
        note: 'steadier than wall time under load',
      },
    );
  }
  rows.push(...(await coreLoop()));
  return rows;
}

/** expand + schedule + verdicts + summary on the emulator, in this process, no sink: the second pass (the first prepares). */
async function coreLoop(): Promise<BenchRow[]> {
  const spec = loadSpec(join(ROOT, 'matrix.yaml'), xenDomain);
  const backend = createEmulatorBackend();
  const signal = new AbortController().signal;
  let rate = 0;
  let cpuRate = 0;
  const sample: BackendResult[] = [];
  for (let pass = 0; pass < 2; pass++) {
    const summary = emptySummary();
    let ran = 0;
    const t0 = performance.now();
    const cpu = process.cpuUsage();
    await schedule(expand(spec), { backend, signal }, (p, r, ms, a) => {
      const c = toCellResult(p, r, ms, '');
      c.attempts = a.attempts;
      count(summary, c);
      if (!p.excluded) ran++;
      if (pass === 1 && sample.length < 2000 && !p.excluded) sample.push(r);
    });
    const s = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu);
    rate = ran / s;
    cpuRate = ran / ((used.user + used.system) / 1e6);
  }
  // What a worker thread would add per cell: its result crosses a thread by structured clone.
  const t0 = performance.now();
  for (let k = 0; k < 5; k++) for (const r of sample) structuredClone(r);
  const cloneUs = ((performance.now() - t0) * 1000) / (5 * sample.length);
  return [
    {
      name: 'core loop: emulated cells/s (expand + schedule + verdict, no I/O)',
      value: rate,
      unit: 'cells/s',
      note: `target >= 20,000; ${load()}`,
    },
    { name: 'core loop: emulated cells per CPU-second', value: cpuRate, unit: 'cells/s', note: 'robust to other load on the machine' },
    {
      name: 'structured clone of one emulator result (worker-thread cost per cell)',
      value: cloneUs,
      unit: 'µs',
      note: `vs ${(1e6 / rate).toFixed(1)} µs per cell in the core loop`,
    },
  ];
}
