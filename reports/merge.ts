import { copyFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { swapDir } from './allure/sink.ts';
import { isSkippedGroupFile } from './allure/result.ts';
import { AllureResultsWriter } from './allure/writer.ts';
import { JUnitSink, junitPath } from './junit/sink.ts';
import { MarkdownSummarySink } from './markdown/sink.ts';
import type { CellResult } from '../contracts/result.ts';
import { UserError } from '../contracts/errors.ts';
import { ResultsJsonSink } from './results-json/sink.ts';
import { type AxisInfo, type ResultSink, type RunInfo, type Summary, readResultsFile } from '../contracts/results.ts';
import { count, emptySummary } from '../contracts/summary.ts';
import { temporaryName } from '../lib/atomic-write.ts';

/** The files Allure keeps once per results folder; every other file belongs to one cell. */
const ALLURE_RUN_FILES = new Set(['categories.json', 'environment.properties', 'executor.json']);

export interface MergeOutcome {
  run: RunInfo;
  summary: Summary;
  /** Shards of K/N that none of the inputs holds (when every input is a shard of the same N). */
  missingShards: string[];
}

interface Shard {
  dir: string;
  run: RunInfo;
  axes: AxisInfo;
  cells: CellResult[];
}

/**
 * Combines the output folders of shard runs into one: results.json (summary recomputed),
 * allure-results/ (each shard's per-cell files copied, so full transcripts survive; rebuilt
 * from results.json for a shard that has none), junit.xml and summary.md. Refuses inputs
 * from different matrices, partial runs, and a cell that two inputs both hold. One shard is
 * in memory at a time; only the cell ids of all of them are.
 */
export async function mergeRuns(inputs: readonly string[], outDir: string): Promise<MergeOutcome> {
  if (inputs.length === 0) throw new UserError('merge: name at least one run folder (each holding a results.json)');
  const out = resolve(outDir);
  for (const d of inputs)
    if (resolve(d) === out) throw new UserError(`merge: --out ${outDir} is also an input; write the merged run to a folder of its own`);

  // First pass: every input read and checked, only its header kept, so that a mismatch or a
  // bad file is refused before anything is written.
  const heads: Shard[] = [];
  for (const d of inputs) heads.push({ ...(await readShard(d)), cells: [] });
  const first = heads[0]!;
  for (const h of heads.slice(1)) checkSameMatrix(first, h);

  const owner = new Map<string, string>();
  const summary = emptySummary();
  const results = new ResultsJsonSink(outDir);
  const sinks: ResultSink[] = [results, new JUnitSink(junitPath(outDir)), new MarkdownSummarySink(outDir)];
  const allureTmp = temporaryName(join(outDir, 'allure-results'), 'merge');
  await rm(allureTmp, { recursive: true, force: true });
  const allure = new AllureResultsWriter(allureTmp, first.axes);
  const run: RunInfo = {
    started: heads.map((h) => h.run.started).sort()[0]!,
    finished: heads
      .map((h) => h.run.finished ?? h.run.started)
      .sort()
      .at(-1)!,
    backend: first.run.backend,
    matrix: first.run.matrix,
    version: first.run.version,
    ...(first.run.matrixHash ? { matrixHash: first.run.matrixHash } : {}),
  };
  try {
    for (const s of sinks) await s.begin(run, first.axes);
    for (const dir of inputs) {
      const shard = await readShard(dir);
      for (const c of shard.cells) {
        const other = owner.get(c.id);
        if (other !== undefined) {
          throw new UserError(
            `merge: cell ${c.id} is in both ${other} and ${dir}${shard.run.shard ? ` (shard ${shard.run.shard})` : ''}: the inputs overlap; merge the outputs of disjoint shards (run --shard K/N with the same N)`,
          );
        }
        owner.set(c.id, dir);
        count(summary, c);
        for (const s of sinks) await s.add(c, c.transcript);
      }
      copyAllure(shard, allure);
    }
    allure.finish(run, first.axes);
    for (const s of sinks) await s.end(run, summary);
    await swapDir(allureTmp, join(outDir, 'allure-results'));
  } catch (e) {
    results.abort();
    await rm(allureTmp, { recursive: true, force: true });
    throw e;
  }
  return { run, summary, missingShards: missingShards(heads) };
}

/** A shard's results.json, checked by the one reader, refused when the run is partial. */
async function readShard(dir: string): Promise<Shard> {
  const path = join(dir, 'results.json');
  const file = await readResultsFile(path, { prefix: 'merge', missingHint: 'is this the --out folder of a run?' });
  if (file.run.partial)
    throw new UserError(
      `merge: ${path}: the run was interrupted (results.json is partial); finish it first with: pvmatrix run --resume --out ${dir} (and the same options)`,
    );
  return { dir, run: file.run, axes: file.axes, cells: file.cells };
}

function checkSameMatrix(a: Shard, b: Shard): void {
  const differ = (what: string, x: string, y: string) =>
    new UserError(`merge: ${b.dir} and ${a.dir} come from different ${what} (${y} vs ${x}): only the shards of one run can be merged`);
  if (a.run.matrixHash && b.run.matrixHash && a.run.matrixHash !== b.run.matrixHash)
    throw differ(
      'matrices (the matrix or scenario files differ)',
      `${a.run.matrix} ${a.run.matrixHash}`,
      `${b.run.matrix} ${b.run.matrixHash}`,
    );
  if (JSON.stringify(a.axes) !== JSON.stringify(b.axes)) throw differ('matrices (their axes differ)', a.run.matrix, b.run.matrix);
  if (a.run.backend !== b.run.backend) throw differ('backends', a.run.backend, b.run.backend);
  if (a.run.version !== b.run.version) throw differ('pvmatrix versions', a.run.version, b.run.version);
}

/** Copies a shard's per-cell Allure files (full transcripts); rebuilds them from results.json if it has none. */
function copyAllure(shard: Shard, into: AllureResultsWriter): void {
  const src = join(shard.dir, 'allure-results');
  if (existsSync(src) && statSync(src).isDirectory()) {
    for (const f of readdirSync(src)) if (!ALLURE_RUN_FILES.has(f) && !isSkippedGroupFile(f)) copyFileSync(join(src, f), join(into.dir, f));
    // skipped cells are grouped across the shards, by the merged writer
    for (const c of shard.cells) if (c.status === 'skipped' && into.detail === 'light') into.add(c, c.transcript);
    return;
  }
  let t = Date.parse(shard.run.started) || Date.now();
  for (const c of shard.cells) {
    const stop = t + Math.max(1, Math.round(c.durationMs));
    into.add(c, c.transcript, { start: t, stop });
    t = stop;
  }
}

function missingShards(heads: Shard[]): string[] {
  const parsed = heads.map((h) => /^(\d+)\/(\d+)$/.exec(h.run.shard ?? ''));
  if (parsed.some((m) => !m)) return [];
  const n = new Set(parsed.map((m) => m![2]));
  if (n.size !== 1) return [];
  const total = Number([...n][0]);
  const have = new Set(parsed.map((m) => Number(m![1])));
  const missing: string[] = [];
  for (let k = 1; k <= total; k++) if (!have.has(k)) missing.push(`${k}/${total}`);
  return missing;
}
