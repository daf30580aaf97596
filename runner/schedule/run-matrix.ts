import type { Backend } from '../../contracts/backend.ts';
import { expand } from '../expand/expand.ts';
import type { PlannedCell } from '../expand/planned.ts';
import type { Selector } from '../expand/select.ts';
import { formatShard } from '../expand/shard.ts';
import type { Outcome } from '../../contracts/outcome.ts';
import { toCellResult } from '../results/cell-result.ts';
import { matrixHash } from '../results/fingerprint.ts';
import { Journal, JOURNAL_SCHEMA, journalResults } from '../results/journal.ts';
import { reproducer } from '../results/reproducer.ts';
import type { AxisInfo, ResultSink, RunInfo, Summary } from '../../contracts/results.ts';
import { count, emptySummary } from '../../contracts/summary.ts';
import type { Spec } from '../load/model.ts';
import { previousPriorities } from './priority.ts';
import { schedule } from './schedule.ts';
import { RunStop, seconds, stopOf } from './stop.ts';

export interface RunMatrixOptions {
  spec: Spec;
  selector: Selector;
  baseline?: ReadonlyMap<string, Outcome>;
  backend: Backend;
  /** The name the backend was chosen by (`--backend NAME`); default: backend.name. */
  backendName?: string;
  /** The default backend's name: reproducers name the backend only when it differs. */
  defaultBackend: string;
  workers?: number;
  sinks: readonly ResultSink[];
  /** Ctrl-C: cells in flight are cancelled and get no result; the sinks end with a partial run. */
  signal: AbortSignal;
  version: string;
  log?: (line: string) => void;
  /** The journal's folder (the run's --out); without it there is no journal, resume or priority. */
  journalDir?: string;
  /** Canonical selection (fingerprint.ts selectionKey): a resumed journal must have the same. */
  selection?: string;
  /** Continue the journal in journalDir: its cells are replayed, not run again. */
  resume?: boolean;
  timeoutMs?: number;
  runTimeoutMs?: number;
  graceMs?: number;
  retries?: number;
  /** Called with the number of selected cells before any runs (costs one more expansion). */
  onTotal?: (cells: number, alreadyDone: number) => void;
}

export interface RunOutcome {
  run: RunInfo;
  summary: Summary;
  /** Stopped early (Ctrl-C or --run-timeout): results.json was written, marked partial. */
  aborted: boolean;
  stop?: RunStop;
}

/** Expands the selected cells, runs them and feeds every result to the journal and the sinks as it lands. */
export async function runMatrix(o: RunMatrixOptions): Promise<RunOutcome> {
  const { spec, backend, sinks } = o;
  const shard = formatShard(o.selector.shard);
  const backendName = o.backendName ?? backend.name;
  const hash = matrixHash(spec);
  const run: RunInfo = {
    started: new Date().toISOString(),
    backend: backendName,
    shard,
    matrix: spec.matrixFile,
    version: o.version,
    matrixHash: hash,
  };
  const axes: AxisInfo = spec.axes.map((a) => ({ name: a.name, values: a.values.map((v) => ({ id: v.id, label: v.label })) }));
  const summary = emptySummary();
  const cellsOf = () => expand(spec, { selector: o.selector, baseline: o.baseline });

  // The order hints must be read before a fresh journal replaces the old one.
  const priority = o.journalDir && !o.resume ? previousPriorities(o.journalDir) : new Map<string, number>();
  let journal: Journal | undefined;
  let done = new Set<string>();
  if (o.journalDir) {
    const header = {
      journal: JOURNAL_SCHEMA,
      matrix: spec.matrixFile,
      matrixHash: hash,
      selection: o.selection ?? '',
      started: run.started,
    } as const;
    if (o.resume) ({ journal, done } = Journal.resume(o.journalDir, header));
    else journal = Journal.create(o.journalDir, header);
  }

  // One signal for the whole run: Ctrl-C, or --run-timeout.
  const runStop = new AbortController();
  const onInterrupt = () => runStop.abort(new RunStop('interrupt', 'interrupted'));
  if (o.signal.aborted) onInterrupt();
  else o.signal.addEventListener('abort', onInterrupt, { once: true });
  const runTimer =
    o.runTimeoutMs === undefined
      ? undefined
      : setTimeout(
          () => runStop.abort(new RunStop('run-timeout', `the run's --run-timeout of ${seconds(o.runTimeoutMs!)} expired`)),
          o.runTimeoutMs,
        );

  try {
    for (const s of sinks) await s.begin(run, axes);
    if (o.onTotal) {
      let n = 0;
      for (const _ of cellsOf()) n++;
      o.onTotal(n, done.size);
    }
    // The resumed part: what the journal holds goes to the sinks as if it had just run.
    if (journal && done.size) {
      for (const r of journalResults(journal.path)) {
        count(summary, r);
        for (const s of sinks) await s.add(r, r.transcript);
      }
    }
    await schedule(
      ordered(cellsOf, done, priority),
      {
        backend,
        workers: o.workers,
        signal: runStop.signal,
        log: o.log,
        timeoutMs: o.timeoutMs,
        graceMs: o.graceMs,
        retries: o.retries,
        priority: priority.size ? (id) => priority.get(id) : undefined,
      },
      async (planned, result, ms, a) => {
        const r = toCellResult(planned, result, ms, reproducer(spec.matrixFile, planned.cell.id, backendName, o.defaultBackend));
        r.attempts = a.attempts;
        r.flaky = a.flaky;
        count(summary, r);
        journal?.add(r);
        for (const s of sinks) await s.add(r, result.transcript);
      },
    );
  } finally {
    clearTimeout(runTimer);
    o.signal.removeEventListener('abort', onInterrupt);
    journal?.close();
    await backend.close?.();
  }
  const stop = stopOf(runStop.signal);
  // Rebuilt so that `finished` sits after `started` in results.json, as the contract lists it.
  const end: RunInfo = {
    started: run.started,
    finished: new Date().toISOString(),
    backend: run.backend,
    shard: run.shard,
    matrix: run.matrix,
    version: run.version,
    matrixHash: hash,
  };
  if (stop) end.partial = true;
  for (const s of sinks) await s.end(end, summary);
  return { run: end, summary, aborted: stop !== undefined, stop };
}

/**
 * The cells to run: those the journal lacks, the previously failed and slowest first (one
 * more expansion pass picks them out; the rest stream in matrix order, never all in memory).
 */
function* ordered(
  cellsOf: () => Iterable<PlannedCell>,
  done: ReadonlySet<string>,
  priority: ReadonlyMap<string, number>,
): Generator<PlannedCell> {
  if (priority.size) {
    const first: PlannedCell[] = [];
    for (const p of cellsOf()) if (priority.has(p.cell.id) && !done.has(p.cell.id)) first.push(p);
    first.sort((a, b) => priority.get(b.cell.id)! - priority.get(a.cell.id)!);
    yield* first;
  }
  for (const p of cellsOf()) if (!done.has(p.cell.id) && !priority.has(p.cell.id)) yield p;
}
