import type { Cell } from './cell.ts';
import type { BackendResult } from './result.ts';

export interface RunContext {
  /** Aborted on timeout or Ctrl-C: the backend must stop its work (kill processes) promptly. */
  signal: AbortSignal;
  /**
   * The time this call is allowed (--timeout), when there is a limit. The signal fires when it
   * is up; a backend that runs in virtual time (the emulator) bounds its clock by it instead.
   */
  timeoutMs?: number;
  /** Progress lines for verbose output (optional). */
  log?: (line: string) => void;
}

/**
 * A way to run cells. The runner knows nothing else about it; the emulator and the QEMU
 * backend implement it. `run` receives a group of cells that share `groupKey` (one boot can
 * serve every check of a group) and yields one result per cell, in any order.
 */
export interface Backend {
  readonly name: string;
  /** How many groups may run at once on this machine. */
  concurrency(): number;
  /** Cells with the same key are handed to `run` together. Default: every cell alone. */
  groupKey?(cell: Cell): string;
  /** Cells this backend cannot run at all (no artifact): a reason, or undefined when it can. */
  cannotRun?(cell: Cell): string | undefined;
  run(cells: readonly Cell[], ctx: RunContext): AsyncIterable<{ id: string; result: BackendResult }>;
  close?(): Promise<void>;
}
