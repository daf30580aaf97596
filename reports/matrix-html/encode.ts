import type { CellResult } from '../../contracts/result.ts';
import type { ResultsFile } from '../../contracts/results.ts';
import { Outcome, Status } from '../../contracts/outcome.ts';
import { sourceSegments } from '../links.ts';

/**
 * The data matrix.html embeds, made compact for ~25k cells: every string (reasons, facts,
 * steps, transcript lines, reproducers) is stored once in a string table `s`, every list
 * of strings once in a list table `l`, and each cell is a short array of numbers.
 * The page (page/*.ts, bundled into it) reads exactly this shape, typed by this interface;
 * `v` is its version.
 */
export const OUTCOMES = Outcome.options;
export const STATUSES = Status.options;
export type { Outcome, Status };

/** Cell tuple positions after the axis value indices (one per axis, -1 when absent). */
export const FIELDS = [
  'scenario',
  'outcome',
  'expected',
  'status',
  'reason',
  'facts',
  'steps',
  'transcript',
  'reproducer',
  'durationMs',
  'flags',
  'expectedFrom',
  'feature',
] as const;

export interface MatrixData {
  v: 2;
  /** The outcome and status names the numbers in `c` index. */
  outcomes: readonly Outcome[];
  statuses: readonly Status[];
  title: string;
  run: ResultsFile['run'];
  summary: ResultsFile['summary'];
  axes: { name: string; values: { id: string; label: string }[] }[];
  scenarios: string[];
  fields: readonly string[];
  s: string[];
  l: number[][];
  c: number[][];
  /** Embedded baseline: per current cell index [outcome, status, flags, reason], plus cells it had that this run lacks. */
  baseline?: { label: string; cells: (number[] | 0)[]; removed: string[] };
}

class Interner<T> {
  readonly items: T[] = [];
  private index = new Map<string, number>();
  constructor(private key: (t: T) => string) {}
  add(item: T): number {
    const k = this.key(item);
    let i = this.index.get(k);
    if (i === undefined) {
      i = this.items.length;
      this.items.push(item);
      this.index.set(k, i);
    }
    return i;
  }
}

const REGEX_META = /[.*+?^${}()|[\]\\]/g;

export function encodeMatrix(
  file: ResultsFile,
  options: { title?: string; baseline?: { file: ResultsFile; label: string } } = {},
): MatrixData {
  const strings = new Interner<string>((s) => s);
  const lists = new Interner<number[]>((l) => l.join(','));
  const str = (s: string | undefined) => (s === undefined ? -1 : strings.add(s));
  const list = (items: string[]) => (items.length ? lists.add(items.map((s) => strings.add(s))) : -1);

  // Axes in matrix order; values seen in cells but missing from `axes` are added at the end.
  const axes = file.axes.map((a) => ({ name: a.name, values: [...a.values] }));
  const axisIndex = new Map(axes.map((a, i) => [a.name, i]));
  const valueIndex = axes.map((a) => new Map(a.values.map((v, i) => [v.id, i])));
  const scenarios: string[] = [];
  const scenarioIndex = new Map<string, number>();

  const axisValue = (name: string, value: string): [number, number] => {
    let ai = axisIndex.get(name);
    if (ai === undefined) {
      ai = axes.length;
      axes.push({ name, values: [] });
      axisIndex.set(name, ai);
      valueIndex.push(new Map());
    }
    let vi = valueIndex[ai]!.get(value);
    if (vi === undefined) {
      vi = axes[ai]!.values.length;
      axes[ai]!.values.push({ id: value, label: value });
      valueIndex[ai]!.set(value, vi);
    }
    return [ai, vi];
  };

  const encoded = file.cells.map((cell) => {
    const picks = Object.entries(cell.axes).map(([k, v]) => axisValue(k, v));
    let si = scenarioIndex.get(cell.scenario);
    if (si === undefined) {
      si = scenarios.length;
      scenarios.push(cell.scenario);
      scenarioIndex.set(cell.scenario, si);
    }
    return { cell, picks, si };
  });

  const c = encoded.map(({ cell, picks, si }) => {
    const row = new Array<number>(axes.length).fill(-1);
    for (const [ai, vi] of picks) row[ai] = vi;
    row.push(
      si,
      OUTCOMES.indexOf(cell.outcome),
      OUTCOMES.indexOf(cell.expected),
      STATUSES.indexOf(cell.status),
      str(cell.reason),
      list(cell.facts.map((f) => [f.text, f.source, f.verified ? '1' : '0', linkedSource(f.source)].join('\u0000'))),
      list(cell.steps.map((st) => [st.action, st.title, st.status, st.detail ?? ''].join('\u0000'))),
      list(cell.transcript),
      str(templateReproducer(cell)),
      Math.round(cell.durationMs),
      cell.flaky ? 1 : 0,
      str(cell.expectedFrom),
      str(cell.feature),
    );
    return row;
  });

  const data: MatrixData = {
    v: 2,
    outcomes: OUTCOMES,
    statuses: STATUSES,
    title: options.title ?? `pvmatrix: ${file.run.matrix}`,
    run: file.run,
    summary: file.summary,
    axes,
    scenarios,
    fields: FIELDS,
    s: strings.items,
    l: lists.items,
    c,
  };
  if (options.baseline) data.baseline = encodeBaseline(file.cells, options.baseline.file, options.baseline.label, str);
  return data;
}

/** The source's parts as `text\u0002url` joined by `\u0003` (url empty when the part names nothing linkable). */
function linkedSource(source: string): string {
  return sourceSegments(source)
    .map((s) => `${s.text}\u0002${s.url ?? ''}`)
    .join('\u0003');
}

/** The reproducer with this cell's id replaced by a marker, so that one template serves all cells. */
function templateReproducer(cell: CellResult): string {
  const escaped = cell.id.replace(REGEX_META, '\\$&');
  if (cell.reproducer.includes(escaped) && escaped !== cell.id) return cell.reproducer.split(escaped).join('\u0001R');
  if (cell.reproducer.includes(cell.id)) return cell.reproducer.split(cell.id).join('\u0001I');
  return cell.reproducer;
}

function encodeBaseline(
  current: CellResult[],
  baseline: ResultsFile,
  label: string,
  str: (s: string | undefined) => number,
): NonNullable<MatrixData['baseline']> {
  const byId = new Map(baseline.cells.map((b) => [b.id, b]));
  const cells = current.map((cur) => {
    const b = byId.get(cur.id);
    if (!b) return 0 as const;
    byId.delete(cur.id);
    return [OUTCOMES.indexOf(b.outcome), STATUSES.indexOf(b.status), b.flaky ? 1 : 0, str(b.reason)];
  });
  return { label, cells, removed: [...byId.keys()] };
}
