// The data matrix.html embeds (encode.ts writes it), decoded once into one object per cell.
// Data strings reach the page through textContent and DOM attributes only, never as HTML.
import type { MatrixData, Outcome, Status } from '../encode.ts';

export type { Outcome, Status };

performance.mark('pvm-start');
const dataEl = document.getElementById('pvm-data');
export const D = JSON.parse(dataEl?.textContent ?? '{}') as MatrixData;
performance.mark('pvm-parsed');

const OUT = D.outcomes;
export const NA = D.axes.length;
const S = D.s;
const L = D.l;

/** One cell of the run, with its axis value indices (-1 where the cell has no such axis). */
export interface Cell {
  index: number;
  id: string;
  /** Value index per axis (positions as D.axes), -1 when absent. */
  v: number[];
  scenario: number;
  outcome: Outcome;
  expected: Outcome;
  status: Status;
  reason: string | undefined;
  flaky: boolean;
  expectedFrom: string;
  feature: string | undefined;
  durationMs: number;
  /** Indices into D.l, -1 when empty. */
  facts: number;
  steps: number;
  transcript: number;
  reproducerTemplate: string;
}

const field: Record<string, number> = {};
D.fields.forEach((name, i) => {
  field[name] = NA + i;
});
const str = (i: number | undefined) => (i === undefined || i < 0 ? undefined : S[i]);

function decode(row: number[], index: number): Cell {
  const at = (name: string) => row[field[name]!] ?? -1;
  const v = row.slice(0, NA);
  const scenario = at('scenario');
  return {
    index,
    id: idOf(v, scenario),
    v,
    scenario,
    outcome: OUT[at('outcome')]!,
    expected: OUT[at('expected')]!,
    status: D.statuses[at('status')]!,
    reason: str(at('reason')),
    flaky: (at('flags') & 1) === 1,
    expectedFrom: str(at('expectedFrom')) ?? 'default',
    feature: str(at('feature')),
    durationMs: at('durationMs'),
    facts: at('facts'),
    steps: at('steps'),
    transcript: at('transcript'),
    reproducerTemplate: str(at('reproducer')) ?? '',
  };
}

function idOf(v: number[], scenario: number): string {
  const parts: string[] = [];
  for (let ai = 0; ai < NA; ai++) {
    const vi = v[ai]!;
    if (vi >= 0) parts.push(`${D.axes[ai]!.name}=${D.axes[ai]!.values[vi]!.id}`);
  }
  parts.push(`scenario=${D.scenarios[scenario]}`);
  return parts.join('/');
}

export const cells: Cell[] = D.c.map(decode);
export const cellById = new Map(cells.map((c) => [c.id, c]));

/** Axis positions by name (kernel, xen, role, ...). */
export const axisPos: Record<string, number> = {};
D.axes.forEach((a, i) => {
  axisPos[a.name] = i;
});
export const label = (ai: number, vi: number): string => (vi < 0 ? '' : D.axes[ai]!.values[vi]!.label);
export const valueId = (ai: number, vi: number): string => (vi < 0 ? '' : D.axes[ai]!.values[vi]!.id);
export const strings = (list: number): string[] => (list < 0 ? [] : L[list]!.map((si) => S[si]!));

/** The command that reruns this cell alone (the encoder replaced the cell's id by a marker). */
export function reproducer(cell: Cell): string {
  return cell.reproducerTemplate
    .split('\u0001R')
    .join(cell.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .split('\u0001I')
    .join(cell.id);
}

/** A cell's verdict as results.json spells it: what the diff rules take. */
export const verdict = (c: Cell) => ({
  outcome: c.outcome,
  status: c.status,
  flaky: c.flaky,
  expected: c.expected,
  expectedFrom: c.expectedFrom,
  reason: c.reason,
});

/** A verdict that was not the expected one: failed (another outcome) or broken (the harness). */
export const notAsExpected = (c: { status: string }) => c.status === 'failed' || c.status === 'broken';
