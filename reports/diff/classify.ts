import type { CellResult } from '../../contracts/result.ts';
import type { ResultsFile } from '../../contracts/results.ts';

/**
 * How one cell changed between two runs. A cell is "good" when its verdict passed, or it
 * works; "bad" when its verdict failed or broke. The page script (matrix-html/page/1-data.js)
 * carries the same rules for its diff mode; test/reports-diff.test.ts checks they agree.
 * - regression: was good, now bad (and not working: a cell that works against an outdated
 *   expectation is a fix); or its outcome went from works to unsupported/broken
 *   (even when the expectation was moved along with it, a person should see it);
 * - fixed: was bad, now passes; or went from unsupported/broken to works;
 * - still-failing: bad in both runs;
 * - flaky: passed only on a retry in the new run (and is none of the above);
 * - unchanged: everything else, including skipped cells.
 */
export type Change = 'regression' | 'fixed' | 'still-failing' | 'flaky' | 'unchanged';

type Verdict = Pick<CellResult, 'outcome' | 'status' | 'flaky'>;

const bad = (c: Verdict) => c.status === 'failed' || c.status === 'broken';

export function classifyChange(old: Verdict, cur: Verdict): Change {
  const lostOutcome = old.outcome === 'works' && (cur.outcome === 'unsupported' || cur.outcome === 'broken');
  if ((!bad(old) && old.status !== 'skipped' && bad(cur) && cur.outcome !== 'works') || lostOutcome) return 'regression';
  const gainedOutcome = (old.outcome === 'unsupported' || old.outcome === 'broken') && cur.outcome === 'works';
  if ((bad(old) && cur.status === 'passed') || gainedOutcome) return 'fixed';
  if (bad(old) && bad(cur)) return 'still-failing';
  if (cur.flaky) return 'flaky';
  return 'unchanged';
}

export interface DiffEntry {
  id: string;
  change: Change | 'new' | 'removed';
  old?: Verdict & { reason?: string };
  new?: Verdict & { reason?: string };
}

export interface DiffReport {
  counts: Record<Change | 'new' | 'removed', number>;
  /** Every cell that is not unchanged, regressions first. */
  entries: DiffEntry[];
}

const ORDER: DiffEntry['change'][] = ['regression', 'fixed', 'still-failing', 'flaky', 'new', 'removed', 'unchanged'];

export function diffResults(oldFile: ResultsFile, newFile: ResultsFile): DiffReport {
  const counts: DiffReport['counts'] = { regression: 0, fixed: 0, 'still-failing': 0, flaky: 0, unchanged: 0, new: 0, removed: 0 };
  const entries: DiffEntry[] = [];
  const olds = new Map(oldFile.cells.map((c) => [c.id, c]));
  const brief = (c: CellResult) => ({ outcome: c.outcome, status: c.status, flaky: c.flaky, ...(c.reason ? { reason: c.reason } : {}) });
  for (const cur of newFile.cells) {
    const old = olds.get(cur.id);
    if (!old) {
      counts.new++;
      entries.push({ id: cur.id, change: 'new', new: brief(cur) });
      continue;
    }
    olds.delete(cur.id);
    const change = classifyChange(old, cur);
    counts[change]++;
    if (change !== 'unchanged') entries.push({ id: cur.id, change, old: brief(old), new: brief(cur) });
  }
  for (const old of olds.values()) {
    counts.removed++;
    entries.push({ id: old.id, change: 'removed', old: brief(old) });
  }
  entries.sort((a, b) => ORDER.indexOf(a.change) - ORDER.indexOf(b.change) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { counts, entries };
}
