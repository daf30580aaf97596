/**
 * Allure 2 (allure-commandline, Java) and Allure 3 (Node, the classic UI through its
 * allure2 plugin) side by side on the same allure-results of the default matrix, in the
 * `full` detail (a result per cell, every step and console) and the `light` one pvmatrix
 * writes (skipped cells grouped, steps to the deciding one, consoles where they tell
 * something): wall, CPU, peak memory and report size of one multi-file generation, each
 * the command `pvmatrix report` runs, under /usr/bin/time. On a shared machine compare the
 * rows of one run with each other (ratios), not with another run's.
 */
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allureCommand, generateArgs, javaVersion, type AllureEngine } from '../reports/allure/generate.ts';
import { writeAllureResultsFromFile } from '../reports/allure/sink.ts';
import type { AllureDetail } from '../reports/allure/result.ts';
import { readResultsFile } from '../contracts/results.ts';
import { load, removeLater, timedCommand, timedRun } from './cli-run.ts';
import type { BenchRow } from './row.ts';

function sizeOf(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    bytes += statSync(join(e.parentPath, e.name)).size;
    files++;
  }
  return { bytes, files };
}

const mb = (b: number) => b / 2 ** 20;

export default async function (): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const work = mkdtempSync(join(tmpdir(), 'pvm-bench-allure-'));
  removeLater(work);
  // the default matrix's results.json, as `npm start` writes it
  const run = await timedRun(['--matrix', 'matrix.yaml']);
  const outDir = /-> (\S+)\/results\.json/.exec(run.stdout)?.[1];
  if (!outDir) throw new Error(`bench: no results.json path in:\n${run.stdout.slice(-500)}`);
  const file = await readResultsFile(join(outDir, 'results.json'));
  const results: Record<AllureDetail, string> = { full: join(work, 'results-full'), light: join(work, 'results-light') };
  for (const detail of ['full', 'light'] as const) {
    await writeAllureResultsFromFile(file, results[detail], detail);
    const s = sizeOf(results[detail]);
    rows.push({
      name: `allure-results, ${detail}`,
      value: mb(s.bytes),
      unit: 'MiB',
      note: `${s.files} files for ${file.cells.length} cells (from results.json's console excerpts)`,
    });
  }
  const engines: AllureEngine[] = javaVersion() ? [2, 3] : [3];
  if (engines.length === 1) rows.push({ name: 'Allure 2 generate', value: NaN, unit: 's', note: 'skipped: no Java' });
  const wall: Record<string, number> = {};
  for (const detail of ['full', 'light'] as const)
    for (const engine of engines) {
      const report = join(work, `report-${engine}-${detail}`);
      const [cmd, argv] = allureCommand(
        engine,
        generateArgs(engine, results[detail], report, join(work, `history-${engine}-${detail}.jsonl`), false),
      );
      const r = await timedCommand([cmd, ...argv], { ...process.env, ALLURE_NO_ANALYTICS: 'true' });
      if (r.code !== 0) throw new Error(`bench: Allure ${engine} exited ${r.code}:\n${r.stderr.slice(-1500)}`);
      const s = sizeOf(report);
      const what = `Allure ${engine}, ${detail} results`;
      wall[`${engine}-${detail}`] = r.wallS;
      rows.push({ name: `${what}: wall`, value: r.wallS, unit: 's', note: `default matrix, ${file.cells.length} cells; ${load()}` });
      rows.push({ name: `${what}: CPU`, value: r.cpuS, unit: 's', note: 'user + system, every thread' });
      rows.push({ name: `${what}: peak memory`, value: r.peakRssMb, unit: 'MiB', note: 'peak RSS' });
      rows.push({ name: `${what}: report size`, value: mb(s.bytes), unit: 'MiB', note: `${s.files} files` });
    }
  if (wall['2-full'] && wall['3-light'])
    rows.push({
      name: 'Allure 2 full / Allure 3 light, wall',
      value: wall['2-full'] / wall['3-light'],
      unit: 'x',
      note: 'same run: before (allure-commandline on every cell) against what report does now',
    });
  return rows;
}
