import { setMaxListeners } from 'node:events';
import PQueue from 'p-queue';
import type { Backend } from '../../contracts/backend.ts';
import type { Cell } from '../../contracts/cell.ts';
import { Outcome } from '../../contracts/outcome.ts';
import type { BackendResult } from '../../contracts/result.ts';
import type { PlannedCell } from '../expand/planned.ts';
import { verdict } from '../results/verdict.ts';
import { Deadline, GONE } from './deadline.ts';
import { stopOf } from './stop.ts';

export interface ScheduleOptions {
  backend: Backend;
  /** Groups run at once; default: the backend's own concurrency(). */
  workers?: number;
  /**
   * Stops the run: its reason is a RunStop. On `interrupt` (Ctrl-C) cells in flight get no
   * result (a resumed run redoes them); on `run-timeout` they are reported `broken`.
   * Cells not started get no result either way.
   */
  signal: AbortSignal;
  /** Time allowed to one backend call (a cell, or a group that shares a boot). */
  timeoutMs?: number;
  /** How long a backend told to stop may take before the runner abandons its call. */
  graceMs?: number;
  /** A cell that failed or broke is run again up to this many times. */
  retries?: number;
  /** Higher runs earlier (grouping backends: the group's highest). */
  priority?: (id: string) => number | undefined;
  log?: (line: string) => void;
}

/** How a result was reached: `flaky` when an earlier attempt failed or broke and this one did not. */
export interface Attempts {
  attempts: number;
  flaky: boolean;
}

/** One finished cell. Called one at a time (awaited), in completion order. */
export type OnResult = (planned: PlannedCell, result: BackendResult, durationMs: number, attempts: Attempts) => void | Promise<void>;

const DEFAULT_GRACE_MS = 5000;
/**
 * Ungrouped cells go to a one-at-a-time backend in runs of this many (one queue task, one
 * backend call, results still streamed per cell): the per-task cost of the queue and the
 * call is then paid once per run, not per 30 µs emulator cell. Not with --timeout (a
 * deadline is per call) nor with concurrency > 1 (it would serialise small selections).
 */
const RUN_LENGTH = 64;

/**
 * Runs planned cells on a backend. Excluded cells and cells the backend cannot run are
 * answered `skipped` without reaching it. Cells stream through p-queue (bounded, so memory
 * does not grow with the matrix) in the order given, unless the backend groups them, in
 * which case the groups are gathered first and run by priority. A backend that throws,
 * forgets a cell or overruns its time makes that cell `broken`.
 */
export async function schedule(cells: Iterable<PlannedCell>, opts: ScheduleOptions, onResult: OnResult): Promise<void> {
  const { backend, signal } = opts;
  const concurrency = Math.max(1, opts.workers ?? backend.concurrency());
  const queue = new PQueue({ concurrency });
  // Results are reported one at a time, in completion order, whatever the concurrency.
  let reporting: Promise<void> = Promise.resolve();
  const report: OnResult = (p, r, ms, a) => (reporting = reporting.then(() => onResult(p, r, ms, a)));

  // A failing result consumer (a sink that cannot write) is our bug, not the cell's: stop and rethrow.
  let failure: unknown;
  const enqueue = (group: PlannedCell[], priority = 0): void => {
    queue
      .add(() => runGroup(group, o, report), { priority })
      .catch((e: unknown) => {
        failure ??= e;
        queue.clear();
      });
  };
  const stop = (): void => queue.clear();
  // With --timeout, each call in flight listens on the run's signal (removed when it ends):
  // one per concurrent call, which may exceed Node's default warning threshold of 10.
  setMaxListeners(Math.max(10, concurrency + 2), signal);
  signal.addEventListener('abort', stop, { once: true });
  const once: Attempts = { attempts: 1, flaky: false };
  // Without --timeout every call shares the run's own deadline: no timer or controller per cell.
  const shared = opts.timeoutMs === undefined ? new Deadline(signal, undefined, opts.graceMs ?? DEFAULT_GRACE_MS) : undefined;
  const o: ScheduleOptions & { shared?: Deadline } = { ...opts, shared };

  try {
    const groups = backend.groupKey ? new Map<string, PlannedCell[]>() : undefined;
    const runLength = concurrency === 1 && opts.timeoutMs === undefined ? RUN_LENGTH : 1;
    let batch: PlannedCell[] = [];
    for (const planned of cells) {
      if (signal.aborted || failure !== undefined) break;
      if (planned.excluded) {
        await report(
          planned,
          {
            outcome: 'skipped',
            reason: planned.excluded.reason,
            facts: planned.excluded.source ? [{ text: planned.excluded.reason, source: planned.excluded.source, verified: true }] : [],
            steps: [],
            transcript: [],
          },
          0,
          once,
        );
        continue;
      }
      const cannot = backend.cannotRun?.(planned.cell);
      if (cannot !== undefined) {
        await report(
          planned,
          { outcome: 'skipped', reason: `${backend.name} cannot run this cell: ${cannot}`, facts: [], steps: [], transcript: [] },
          0,
          once,
        );
        continue;
      }
      if (groups) {
        const key = backend.groupKey!(planned.cell);
        const g = groups.get(key);
        if (g) g.push(planned);
        else groups.set(key, [planned]);
        continue;
      }
      batch.push(planned);
      if (batch.length < runLength) continue;
      if (queue.size >= concurrency * 4) await queue.onSizeLessThan(concurrency * 2);
      if (signal.aborted || failure !== undefined) break;
      enqueue(batch);
      batch = [];
    }
    if (batch.length && !signal.aborted && failure === undefined) enqueue(batch);
    if (groups && !signal.aborted) {
      const rank = (g: PlannedCell[]): number => Math.max(0, ...g.map((p) => opts.priority?.(p.cell.id) ?? 0));
      const ranked = [...groups.values()].map((g) => ({ g, r: rank(g) }));
      // Stable: equal ranks keep the matrix order.
      ranked.sort((a, b) => b.r - a.r);
      for (const { g, r } of ranked) enqueue(g, r);
    }
    await queue.onIdle();
    if (failure !== undefined) throw failure;
    await reporting;
  } finally {
    signal.removeEventListener('abort', stop);
    shared?.dispose();
  }
}

/** One group through its attempts: failing cells go round again, together, up to `retries` times. */
async function runGroup(group: PlannedCell[], opts: ScheduleOptions & { shared?: Deadline }, report: OnResult): Promise<void> {
  const retries = opts.retries ?? 0;
  const failedBefore = new Set<string>();
  let todo = group;
  for (let attempt = 1; todo.length && !opts.signal.aborted; attempt++) {
    const again: PlannedCell[] = [];
    const held: { p: PlannedCell; r: BackendResult; ms: number }[] = [];
    const last = attempt > retries;
    await attemptGroup(todo, opts, async (p, r, ms) => {
      const status = verdict(r.outcome, p.expected, r.reason, p.because);
      const bad = status === 'failed' || status === 'broken';
      if (bad && !last) {
        failedBefore.add(p.cell.id);
        again.push(p);
        held.push({ p, r, ms });
        return;
      }
      await report(p, r, ms, { attempts: attempt, flaky: !bad && failedBefore.has(p.cell.id) });
    });
    // Stopped by --run-timeout before the retry: the failure already seen is the cell's result.
    if (stopOf(opts.signal)?.kind === 'run-timeout')
      for (const h of held) await report(h.p, h.r, h.ms, { attempts: attempt, flaky: false });
    todo = again;
  }
}

/** One backend call under a deadline; every cell of it is reported unless the run was interrupted. */
async function attemptGroup(
  group: PlannedCell[],
  opts: ScheduleOptions & { shared?: Deadline },
  onCell: (p: PlannedCell, r: BackendResult, ms: number) => Promise<void>,
): Promise<void> {
  const { backend } = opts;
  if (opts.signal.aborted) return;
  const pending = new Map<string, PlannedCell>();
  const cells: Cell[] = [];
  for (const p of group) {
    pending.set(p.cell.id, p);
    cells.push(p.cell);
  }
  const deadline = opts.shared ?? new Deadline(opts.signal, opts.timeoutMs, opts.graceMs ?? DEFAULT_GRACE_MS);
  let abandoned = false;
  let last = performance.now();
  let failure: string | undefined;
  try {
    const it = backend.run(cells, { signal: deadline.signal, timeoutMs: opts.timeoutMs, log: opts.log })[Symbol.asyncIterator]();
    for (;;) {
      const next = await deadline.race(it.next());
      if (next === GONE) {
        abandoned = true;
        // Ask the generator to finish; do not wait for a backend that ignores its signal.
        it.return?.()?.catch(() => {});
        break;
      }
      if (next.done) break;
      const { id, result } = next.value;
      const p = pending.get(id);
      if (!p) continue;
      pending.delete(id);
      const now = performance.now();
      if (stopOf(opts.signal)?.kind === 'interrupt') return;
      await onCell(p, checked(result, backend.name), result.durationMs ?? now - last);
      last = now;
    }
  } catch (e) {
    if (!deadline.signal.aborted) failure = `${backend.name} backend failed: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    if (deadline !== opts.shared) deadline.dispose();
  }
  if (!pending.size) return;
  const stop = stopOf(deadline.signal);
  if (stop?.kind === 'interrupt') return;
  let reason = failure ?? `${backend.name} backend returned no result for this cell`;
  if (stop) {
    reason = `${stop.message}: ${backend.name} backend was told to stop`;
    if (abandoned) reason += ` and did not within ${(opts.graceMs ?? DEFAULT_GRACE_MS) / 1000} s; its work was abandoned`;
  } else if (deadline.signal.aborted) {
    reason = `${backend.name} backend was stopped (${String(deadline.signal.reason)})`;
  }
  const ms = performance.now() - last;
  for (const p of pending.values()) await onCell(p, { outcome: 'broken', reason, facts: [], steps: [], transcript: [] }, ms);
}

/** A backend's answer as the runner relies on it; a malformed one is the harness's failure. */
function checked(r: BackendResult, backend: string): BackendResult {
  if (!r || !Outcome.options.includes(r.outcome)) {
    return {
      outcome: 'broken',
      reason: `${backend} backend returned an invalid result (outcome ${JSON.stringify(r?.outcome)})`,
      facts: [],
      steps: [],
      transcript: [],
    };
  }
  if (r.facts && r.steps && r.transcript) return r;
  return { ...r, facts: r.facts ?? [], steps: r.steps ?? [], transcript: r.transcript ?? [] };
}
