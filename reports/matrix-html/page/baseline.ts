// Diff mode: the baseline (embedded by `report --baseline`, or a results.json loaded in the
// page), each cell's change by the rules of `pvmatrix diff` (the same function, bundled in),
// and the run-wide list of changed cells, in the order `pvmatrix diff` prints them.
import { classifyChange } from '../../diff/classify.ts';
import { cells, D, verdict, type Cell } from './data.ts';
import { CHANGE_ORDER, type PageChange } from './look.ts';

type Verdict = Parameters<typeof classifyChange>[0];

export interface Baseline {
  label: string;
  byIndex: (Verdict | undefined)[];
  removed: string[];
  /** Per cell index; computed once when the baseline is set. */
  changes: PageChange[];
  /** Every changed cell (not unchanged), regressions first, then by id. */
  changed: Cell[];
}

export let baseline: Baseline | null = null;

function setBaseline(label: string, byIndex: (Verdict | undefined)[], removed: string[]): void {
  const changes = cells.map((c, i): PageChange => {
    const old = byIndex[i];
    return old ? classifyChange(old, verdict(c)) : 'new';
  });
  const rank = (ch: PageChange) => CHANGE_ORDER.indexOf(ch as (typeof CHANGE_ORDER)[number]);
  const changed = cells
    .filter((c) => changes[c.index] !== 'unchanged')
    .sort((a, b) => rank(changes[a.index]!) - rank(changes[b.index]!) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  baseline = { label, byIndex, removed, changes, changed };
}

export const changeOf = (i: number): PageChange | null => (baseline ? baseline.changes[i]! : null);

export function useEmbeddedBaseline(): void {
  const b = D.baseline;
  if (!b) return;
  const out = (i: number | undefined) => D.outcomes[i ?? -1] ?? 'skipped';
  const str = (i: number | undefined) => (i === undefined || i < 0 ? undefined : D.s[i]);
  setBaseline(
    b.label,
    b.cells.map((x) =>
      x === 0
        ? undefined
        : {
            outcome: out(x[0]),
            status: D.statuses[x[1] ?? -1] ?? 'skipped',
            flaky: ((x[2] ?? 0) & 1) === 1,
            reason: str(x[3]),
          },
    ),
    b.removed,
  );
}

/** A results.json read in the page: checked for the contract's name, matched to this run by cell id. */
export function useLoadedBaseline(json: unknown, name: string): void {
  const file = json as { schema?: unknown; cells?: unknown } | null;
  if (file?.schema !== 'pvmatrix/results@1' || !Array.isArray(file.cells)) {
    throw new Error(`${name} is not a pvmatrix results.json (expected "schema": "pvmatrix/results@1")`);
  }
  const byId = new Map<string, Record<string, unknown>>();
  for (const c of file.cells as Record<string, unknown>[]) if (c && typeof c.id === 'string') byId.set(c.id, c);
  const byIndex = cells.map((cell): Verdict | undefined => {
    const b = byId.get(cell.id);
    if (!b) return undefined;
    byId.delete(cell.id);
    return {
      ...(b as Verdict),
      flaky: b.flaky === true,
      ...(typeof b.reason === 'string' ? { reason: b.reason } : {}),
    } as Verdict;
  });
  setBaseline(name, byIndex, [...byId.keys()]);
}
