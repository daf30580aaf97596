import type { CellResult } from './result.ts';
import type { Summary } from './results.ts';

export function emptySummary(): Summary {
  return { cells: 0, passed: 0, failed: 0, broken: 0, skipped: 0, works: 0, unsupported: 0, flaky: 0 };
}

export function count(summary: Summary, r: CellResult): void {
  summary.cells++;
  summary[r.status]++;
  if (r.outcome === 'works') summary.works++;
  else if (r.outcome === 'unsupported') summary.unsupported++;
  if (r.flaky) summary.flaky++;
}

/** Exit code of a run: 0 when every cell is as expected, 1 when one failed or broke. */
export function exitCodeOf(summary: Summary): number {
  return summary.failed > 0 || summary.broken > 0 ? 1 : 0;
}
