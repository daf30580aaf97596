import type { BackendResult, CellResult } from '../../contracts/result.ts';
import type { PlannedCell } from '../expand/planned.ts';
import { verdict } from './verdict.ts';

/** results.json keeps the end of the transcript; the full one goes to the sinks that attach it. */
export const TRANSCRIPT_EXCERPT_LINES = 20;

export function toCellResult(p: PlannedCell, r: BackendResult, durationMs: number, reproducer: string): CellResult {
  const t = r.transcript;
  return {
    id: p.cell.id,
    axes: p.cell.axes,
    scenario: p.cell.scenario,
    feature: p.cell.feature,
    outcome: r.outcome,
    expected: p.expected,
    expectedFrom: p.expectedFrom,
    status: verdict(r.outcome, p.expected, r.reason, p.because),
    reason: r.reason,
    facts: r.facts,
    steps: r.steps,
    transcript: t.length > TRANSCRIPT_EXCERPT_LINES ? t.slice(t.length - TRANSCRIPT_EXCERPT_LINES) : t,
    durationMs: Math.round(durationMs * 1000) / 1000,
    reproducer,
    attempts: 1,
    flaky: false,
  };
}
