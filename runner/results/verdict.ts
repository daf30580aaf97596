import type { Pattern } from '../../lib/pattern.ts';
import type { Outcome, Status } from '../../contracts/outcome.ts';

/**
 * The verdict of a cell against its expectation: skipped and broken speak for themselves;
 * otherwise the cell passes when the outcome is the expected one and, if the expectation
 * names a `because`, the reason says so.
 */
export function verdict(outcome: Outcome, expected: Outcome, reason: string | undefined, because?: Pattern): Status {
  if (outcome === 'skipped') return 'skipped';
  if (outcome === 'broken') return 'broken';
  if (outcome !== expected) return 'failed';
  if (because && !because.test(reason ?? '')) return 'failed';
  return 'passed';
}
