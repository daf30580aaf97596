import type { Backend, RunContext } from '../../contracts/backend.ts';
import type { Cell } from '../../contracts/cell.ts';
import type { BackendResult } from '../../contracts/result.ts';
import { BOOT_SCENARIO, writeTree } from './temp-matrix.ts';

/**
 * TEST DOUBLES for the scheduler tests (schedule-*, resume, merge). None of them knows any
 * expectation: they answer `works` (what a matrix without expect rules expects) unless told
 * to misbehave, and record what they were asked.
 */
const works = (cell: Cell, extra: Partial<BackendResult> = {}): { id: string; result: BackendResult } => ({
  id: cell.id,
  result: { outcome: 'works', facts: [], steps: [], transcript: [`double: ${cell.id}`], ...extra },
});

/** Hangs on the cells `hangs` picks until its signal aborts (then throws, as a killed process would), or forever if `ignoreSignal`. */
export class HangingBackend implements Backend {
  readonly name = 'hanging';
  readonly aborted: string[] = [];
  constructor(
    private readonly hangs: (c: Cell) => boolean,
    private readonly ignoreSignal = false,
  ) {}
  concurrency(): number {
    return 2;
  }
  async *run(cells: readonly Cell[], ctx: RunContext): AsyncIterable<{ id: string; result: BackendResult }> {
    for (const cell of cells) {
      if (this.hangs(cell)) {
        await new Promise<void>((_, reject) => {
          if (this.ignoreSignal) return;
          ctx.signal.addEventListener(
            'abort',
            () => {
              this.aborted.push(cell.id);
              reject(new Error('killed'));
            },
            { once: true },
          );
        });
      }
      yield works(cell);
    }
  }
}

/** Fails (outcome `unsupported`, not the expected `works`) the first `failures` attempts of the cells `picks` chooses. */
export class FlakyBackend implements Backend {
  readonly name = 'flaky';
  readonly attempts = new Map<string, number>();
  constructor(
    private readonly picks: (c: Cell) => boolean,
    private readonly failures = 1,
  ) {}
  concurrency(): number {
    return 2;
  }
  async *run(cells: readonly Cell[]): AsyncIterable<{ id: string; result: BackendResult }> {
    for (const cell of cells) {
      const n = (this.attempts.get(cell.id) ?? 0) + 1;
      this.attempts.set(cell.id, n);
      await Promise.resolve();
      yield this.picks(cell) && n <= this.failures
        ? works(cell, { outcome: 'unsupported', reason: `attempt ${n} went wrong` })
        : works(cell);
    }
  }
}

/** Every cell `works` after `delayMs` (slow enough for a test to interrupt a run part way). */
export class SlowBackend implements Backend {
  readonly name = 'slow';
  readonly ran: string[] = [];
  constructor(
    private readonly delayMs: number,
    private readonly width = 2,
  ) {}
  concurrency(): number {
    return this.width;
  }
  async *run(cells: readonly Cell[], ctx: RunContext): AsyncIterable<{ id: string; result: BackendResult }> {
    for (const cell of cells) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          clearTimeout(t);
          reject(new Error('stopped'));
        };
        // Like a real backend, let go of the signal when the cell is done.
        const t = setTimeout(() => {
          ctx.signal.removeEventListener('abort', onAbort);
          resolve();
        }, this.delayMs);
        ctx.signal.addEventListener('abort', onAbort, { once: true });
      });
      this.ran.push(cell.id);
      yield works(cell);
    }
  }
}

/** A small matrix with no expect rules (every cell expects `works`): 4 xen x 3 kernels x 2 roles x 2 formats = 48 cells. */
export const SMALL_MATRIX = `
name: scale test
axes:
  xen: ["3.4", "4.0", "4.1", "4.17"]
  kernel: ["2.6.32", "5.10", "6.1"]
  role: [dom0, domU]
  format: [bzImage, vmlinux]
`;
export const SMALL_CELLS = 48;

export const smallProject = (matrix = SMALL_MATRIX): string => writeTree({ 'matrix.yaml': matrix, 'scenarios/boot.yaml': BOOT_SCENARIO });

/** Io that keeps what a command printed. */
export function captureIo(): { out(t: string): void; err(t: string): void; stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  };
  return io;
}
