// The summary view (the landing view): kernels x Xen builds for one role, across scenarios.
// The question it answers is "does kernel K work as dom0 on Xen X, and if not, why?":
// - a scenario works when at least one image and arch shown works (filter format, compression
//   or arch to ask about one); broken means the harness could not tell;
// - the cell is the worst over the scenarios, where a known "no" (unsupported) outranks an
//   unknown (broken), which outranks "yes": one refusal answers the question, a harness error
//   alone leaves it open. Skipped counts only when everything is.
import { changeOf } from './baseline.ts';
import { axisPos, cells, D, label, notAsExpected, type Cell, type Outcome } from './data.ts';
import { $, el } from './dom.ts';
import { inPickedView, passesAxisFilters } from './filters.ts';
import { gridCell, showTable } from './grid.ts';
import { SYMBOL } from './look.ts';
import { COL_AXIS, state, viewAxes } from './state.ts';
import { normaliseQuery, searchMatches } from './table.ts';

/** Among the images and arches of one scenario: the higher, the closer to "it works". */
const BEST: Record<Outcome, number> = { works: 3, broken: 2, unsupported: 1, skipped: 0 };
/** Across scenarios: the higher, the more it decides the answer. */
const WORST: Record<Outcome, number> = { unsupported: 3, broken: 2, works: 1, skipped: 0 };

export interface ScenarioPart {
  scenario: number;
  /** The cells of this scenario shown (every image and arch), in matrix order. */
  variants: Cell[];
  /** The outcome of the best variant, and the variants that have it. */
  outcome: Outcome;
  best: Cell[];
}

export interface SummaryCell {
  kernel: number;
  xen: number;
  parts: ScenarioPart[];
  worst: Outcome;
}

const kAi = axisPos.kernel!;
const xAi = axisPos[COL_AXIS]!;

/** The scenarios of the role shown, in matrix order. */
function scenariosOfView(): number[] {
  const seen = new Set<number>();
  for (const c of cells) if (c.v[kAi]! >= 0 && c.v[xAi]! >= 0 && inPickedView(c, viewAxes, state.pick)) seen.add(c.scenario);
  // boot first: whether it boots at all comes before the features
  const boot = D.scenarios.indexOf('boot');
  return [...seen].sort((a, b) => (b === boot ? 1 : 0) - (a === boot ? 1 : 0) || a - b);
}

/** The summary of one kernel on one Xen build, over the cells the axis filters let through. */
export function summarise(kernel: number, xen: number): SummaryCell {
  const list = cells.filter(
    (c) => c.v[kAi] === kernel && c.v[xAi] === xen && inPickedView(c, viewAxes, state.pick) && passesAxisFilters(c),
  );
  return build(kernel, xen, list, scenariosOfView());
}

function build(kernel: number, xen: number, list: Cell[], scenarios: number[]): SummaryCell {
  const parts: ScenarioPart[] = scenarios.map((scenario) => ({ scenario, variants: [], outcome: 'skipped', best: [] }));
  for (const c of list) parts[scenarios.indexOf(c.scenario)]?.variants.push(c);
  return finish(kernel, xen, parts);
}

function finish(kernel: number, xen: number, parts: ScenarioPart[]): SummaryCell {
  let worst: Outcome = 'skipped';
  for (const p of parts) {
    if (!p.variants.length) continue;
    const top = Math.max(...p.variants.map((c) => BEST[c.outcome]));
    p.best = p.variants.filter((c) => BEST[c.outcome] === top);
    p.outcome = p.best[0]!.outcome;
    if (WORST[p.outcome] > WORST[worst]) worst = p.outcome;
  }
  return { kernel, xen, parts, worst };
}

/** "Linux 2.6.30 as dom0 on Xen 3.3" */
export function question(s: SummaryCell): string {
  const k = label(kAi, s.kernel);
  const x = label(xAi, s.xen);
  const role = viewAxes.map((ai) => label(ai, state.pick[ai]!)).join(', ');
  return `${/^linux\b/i.test(k) ? k : `Linux ${k}`}${role ? ` as ${role}` : ''} on ${/xen/i.test(x) ? x : `Xen ${x}`}`;
}

export interface Answer {
  /** yes, no, unknown or not applicable, and the words that lead to the reasons. */
  head: string;
  /** The scenarios that decide the answer, each with its first reason. */
  because: { scenario: string; reason: string }[];
}

/** The answer: yes; no, because (the scenarios that refuse, with their reasons); unknown; or not applicable. */
export function answerOf(s: SummaryCell): Answer {
  const because = s.parts
    .filter((p) => p.variants.length && p.outcome === s.worst)
    .map((p) => ({ scenario: D.scenarios[p.scenario]!, reason: p.best.find((c) => c.reason)?.reason ?? p.outcome }));
  if (s.worst === 'works') return { head: 'yes (every scenario works with at least one image shown)', because: [] };
  if (s.worst === 'unsupported') return { head: 'no, because', because };
  if (s.worst === 'broken') return { head: 'unknown: the harness could not tell, because', because };
  return { head: 'not applicable, because', because };
}

/** The answer as one sentence (the cell's tooltip and accessible name). */
export function answer(s: SummaryCell): string {
  const a = answerOf(s);
  return [a.head, a.because.map((b) => `${b.scenario}: ${b.reason}`).join('; ')].filter(Boolean).join(' ');
}

/** Returns the number of summary cells shown. */
export function renderSummary(onSelect: (kernel: number, xen: number) => void): number {
  const scenarios = scenariosOfView();
  const q = normaliseQuery(state.search);
  const byPair = new Map<number, Map<number, Cell[]>>();
  for (const c of cells) {
    const k = c.v[kAi]!;
    const x = c.v[xAi]!;
    if (k < 0 || x < 0 || !inPickedView(c, viewAxes, state.pick) || !passesAxisFilters(c)) continue;
    let row = byPair.get(k);
    if (!row) byPair.set(k, (row = new Map()));
    let list = row.get(x);
    if (!list) row.set(x, (list = []));
    list.push(c);
  }
  const shown = new Map<number, Map<number, SummaryCell>>();
  const cols = new Set<number>();
  for (const [k, row] of byPair)
    for (const [x, list] of row) {
      if (q && !list.some((c) => searchMatches(c, q))) continue;
      if (state.onlyUnexpected && !list.some(notAsExpected)) continue;
      if (state.onlyChanges && !list.some((c) => changeOf(c.index) !== 'unchanged')) continue;
      const s = build(k, x, list, scenarios);
      if (state.hiddenOutcomes.has(s.worst)) continue;
      if (!shown.has(k)) shown.set(k, new Map());
      shown.get(k)!.set(x, s);
      cols.add(x);
    }
  const colList = [...cols].sort((a, b) => a - b);
  const rowList = [...shown.keys()].sort((a, b) => a - b);

  const hr = el('tr', null, [el('th', { scope: 'col', class: 'rowhead-col', text: 'kernel  \u2192 Xen' })]);
  for (const x of colList)
    hr.append(el('th', { scope: 'col', class: 'xen-col', title: D.axes[xAi]!.values[x]!.id }, [el('div', { text: label(xAi, x) })]));
  const tbody = el('tbody');
  const grid: (HTMLElement | null)[][] = [];
  let selectedEl: HTMLElement | null = null;
  for (const k of rowList) {
    const tr = el('tr', null, [el('th', { scope: 'row', class: 'rowhead first', text: label(kAi, k) })]);
    const row: (HTMLElement | null)[] = [];
    for (const x of colList) {
      const s = shown.get(k)!.get(x);
      if (!s) {
        tr.append(el('td', { class: 'none' }));
        row.push(null);
        continue;
      }
      const td = summaryElement(s);
      if (state.summaryPick?.kernel === k && state.summaryPick.xen === x) {
        td.classList.add('selected');
        selectedEl = td;
      }
      gridCell(td, () => onSelect(k, x));
      tr.append(td);
      row.push(td);
    }
    grid.push(row);
    tbody.append(tr);
  }
  showTable(hr, tbody, grid, selectedEl, 1);
  $('scenario-key').replaceChildren(
    el('span', { text: 'In each cell, left to right: ' }),
    ...scenarios.flatMap((s, i) => [i ? ' \u00b7 ' : '', el('b', { text: D.scenarios[s]! })]),
  );
  return [...shown.values()].reduce((n, r) => n + r.size, 0);
}

function summaryElement(s: SummaryCell): HTMLElement {
  const unexpected = s.parts.some((p) => p.variants.some(notAsExpected));
  const changed = s.parts.some((p) => p.variants.some((c) => changeOf(c.index) !== null && changeOf(c.index) !== 'unchanged'));
  const text = `${question(s)}: ${answer(s)}`;
  const strip = el(
    'span',
    { class: 'strip', 'aria-hidden': 'true' },
    s.parts.map((p) =>
      el('span', {
        class: p.variants.length ? `mini o-${p.outcome}` : 'mini absent',
        text: p.variants.length ? SYMBOL[p.outcome] : '\u00b7',
      }),
    ),
  );
  return el(
    'td',
    {
      class: `cell sum o-${s.worst}${unexpected ? ' unexpected' : ''}${changed ? ' changed' : ''}`,
      tabindex: '-1',
      'data-kernel': D.axes[kAi]!.values[s.kernel]!.id,
      'data-xen': D.axes[xAi]!.values[s.xen]!.id,
      'aria-label': text,
      title: text,
    },
    [strip],
  );
}
