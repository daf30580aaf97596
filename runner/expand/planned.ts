import type { Pattern } from '../../lib/pattern.ts';
import type { Cell } from '../../contracts/cell.ts';
import type { Outcome } from '../../contracts/outcome.ts';

/** A cell with what the runner knows about it beforehand; only `cell` goes to a backend. */
export interface PlannedCell {
  cell: Cell;
  /** Set when an `exclude` rule matched: the cell is reported as skipped, never run. */
  excluded?: { reason: string; source?: string; from: string };
  expected: Outcome;
  /** `matrix.yaml:120` (the rule), `baseline`, or `default`. */
  expectedFrom: string;
  /** The expectation holds only if the cell's reason matches this (the rule's `because`). */
  because?: Pattern;
  /** The scenario's `timeout` (for backends that wait on real time), in milliseconds. */
  timeoutMs?: number;
}
