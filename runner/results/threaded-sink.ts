import { Worker } from 'node:worker_threads';
import type { CellResult } from '../../contracts/result.ts';
import type { AxisInfo, ResultSink, RunInfo, Summary } from '../../contracts/results.ts';

/** Results cross to the thread in batches (one message per batch, not per cell)... */
const BATCH = 256;
/** ...and at most this many batches are on their way: a slow writer slows the run, memory stays flat. */
const IN_FLIGHT = 8;

export interface SinkModule {
  /** A module URL whose `exportName` is `(...args) => ResultSink[]`, e.g. reports/sinks.ts reportSinks. */
  url: string;
  exportName: string;
  args: unknown[];
}

type Reply = { ack: number } | { ended: true } | { error: string };

/**
 * Runs some sinks in a worker thread: the report writers spend most of an emulator run
 * creating files (allure-results/ is two files per cell), which a second core can do while
 * this thread runs cells. Each result costs one structured clone here (see bench/e2e.bench.ts).
 * An error in a sink surfaces on the next add() or at end(), as it would in this thread.
 */
export class ThreadedSink implements ResultSink {
  private readonly worker: Worker;
  private batch: { result: CellResult; transcript: readonly string[] }[] = [];
  private sent = 0;
  private acked = 0;
  private failure?: Error;
  private wake?: () => void;
  private ended?: () => void;

  constructor(module: SinkModule) {
    // The worker loads TypeScript as this thread does (no build step): tsx registered first,
    // by its resolved URL (a worker's entry module is loaded before any --import hook).
    const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(new URL('./sink-worker.ts', import.meta.url).href)}); })`;
    this.worker = new Worker(boot, { eval: true, workerData: module });
    this.worker.on('message', (m: Reply) => {
      if ('ack' in m) this.acked = m.ack;
      else if ('error' in m) this.failure = new Error(m.error);
      else this.ended?.();
      this.wake?.();
    });
    this.worker.on('error', (e) => {
      this.failure = e;
      this.wake?.();
      this.ended?.();
    });
  }

  async begin(run: RunInfo, axes: AxisInfo): Promise<void> {
    this.worker.postMessage({ begin: { run, axes } });
  }

  async add(result: CellResult, transcript: readonly string[]): Promise<void> {
    if (this.failure) throw this.failure;
    this.batch.push({ result, transcript });
    if (this.batch.length >= BATCH) await this.send();
  }

  async end(run: RunInfo, summary: Summary): Promise<void> {
    await this.send();
    const done = new Promise<void>((resolve) => (this.ended = resolve));
    this.worker.postMessage({ end: { run, summary } });
    await done;
    await this.worker.terminate();
    if (this.failure) throw this.failure;
  }

  /** Stops the thread without ending its sinks (an internal error elsewhere). */
  async abort(): Promise<void> {
    await this.worker.terminate();
  }

  private async send(): Promise<void> {
    if (this.batch.length) {
      this.worker.postMessage({ add: this.batch, seq: ++this.sent });
      this.batch = [];
    }
    while (this.sent - this.acked > IN_FLIGHT && !this.failure) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.failure) throw this.failure;
  }
}
