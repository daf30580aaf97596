// What the page shows, and the same as a URL fragment: every view and every cell has a link
// (`matrix.html#cell=<id>`, `#view=summary&role=dom0&kernel=2.6.30&xen=3.3`), made of value
// ids rather than positions so that a link still works on the next night's page.
import { axisPos, cellById, cells, D, type Cell, type Outcome } from './data.ts';

export const ROW_AXES = ['kernel', 'format', 'compression', 'arch'];
export const COL_AXIS = 'xen';
/** Axes chosen one value at a time (role and user axes): the rest are rows and columns. */
export const viewAxes = D.axes.map((_, i) => i).filter((i) => !ROW_AXES.includes(D.axes[i]!.name) && D.axes[i]!.name !== COL_AXIS);
/** The summary needs kernels and Xen builds to cross. */
export const hasSummary = axisPos.kernel !== undefined && axisPos[COL_AXIS] !== undefined;

export type View = 'summary' | 'scenario';

export interface State {
  view: View;
  scenario: number;
  /** Axis index -> value index, for the view axes. */
  pick: Record<number, number>;
  /** Axis index -> hidden value indices. */
  hidden: Set<number>[];
  hiddenOutcomes: Set<Outcome>;
  search: string;
  onlyChanges: boolean;
  onlyUnexpected: boolean;
  /** The selected cell (scenario view), -1 for none. */
  selected: number;
  /** The selected summary cell: kernel and Xen value indices. */
  summaryPick: { kernel: number; xen: number } | null;
}

export const state: State = {
  view: hasSummary ? 'summary' : 'scenario',
  scenario: 0,
  pick: {},
  hidden: D.axes.map(() => new Set<number>()),
  hiddenOutcomes: new Set(),
  search: '',
  onlyChanges: false,
  onlyUnexpected: false,
  selected: -1,
  summaryPick: null,
};

/** The first value of each view axis that has cells in the scenario (or in any, for the summary). */
export function defaultPicks(scenario: number | undefined): void {
  for (const ai of viewAxes) {
    const c = cells.find((x) => (scenario === undefined || x.scenario === scenario) && x.v[ai]! >= 0);
    state.pick[ai] = c ? c.v[ai]! : 0;
  }
}

/** Moves the view to show this cell: its scenario, its role and user axis values, no filter hiding it. */
export function showCell(c: Cell): void {
  state.view = 'scenario';
  state.scenario = c.scenario;
  for (const ai of viewAxes) if (c.v[ai]! >= 0) state.pick[ai] = c.v[ai]!;
  c.v.forEach((vi, ai) => {
    if (vi >= 0) state.hidden[ai]!.delete(vi);
  });
  state.hiddenOutcomes.delete(c.outcome);
  state.selected = c.index;
}

// ---- the fragment ----------------------------------------------------------------------
// Readable links: only what would break the fragment's own syntax is escaped (`&`, `#`, `%`,
// spaces), so `#cell=xen=3.3/kernel=2.6.30/...` pasted by hand works as written.
const enc = (s: string) => encodeURIComponent(s).replace(/%(2F|3D|3A|2C|40|28|29|2B|24|3B|21|2A|27|7E)/gi, (m) => decodeURIComponent(m));
const valueIndex = (ai: number, id: string) => D.axes[ai]!.values.findIndex((v) => v.id === id);

export function toFragment(): string {
  const p: [string, string][] = [];
  if (state.view === 'scenario' && state.selected >= 0) p.push(['cell', cells[state.selected]!.id]);
  else {
    p.push(['view', state.view]);
    if (state.view === 'scenario') p.push(['scenario', D.scenarios[state.scenario]!]);
    for (const ai of viewAxes) p.push([D.axes[ai]!.name, D.axes[ai]!.values[state.pick[ai]!]?.id ?? '']);
    if (state.view === 'summary' && state.summaryPick) {
      p.push(['kernel', D.axes[axisPos.kernel!]!.values[state.summaryPick.kernel]!.id]);
      p.push([COL_AXIS, D.axes[axisPos[COL_AXIS]!]!.values[state.summaryPick.xen]!.id]);
    }
  }
  state.hidden.forEach((set, ai) => {
    if (set.size) p.push([`hide.${D.axes[ai]!.name}`, [...set].map((vi) => D.axes[ai]!.values[vi]!.id).join(',')]);
  });
  if (state.hiddenOutcomes.size) p.push(['hide.outcome', [...state.hiddenOutcomes].join(',')]);
  if (state.search) p.push(['q', state.search]);
  if (state.onlyUnexpected) p.push(['unexpected', '1']);
  if (state.onlyChanges) p.push(['changes', '1']);
  return `#${p.map(([k, v]) => `${k}=${enc(v)}`).join('&')}`;
}

/**
 * Applies a fragment to the state. Returns what could not be applied (an unknown cell id or
 * value), for the page to say so; the rest of the fragment still applies.
 */
export function fromFragment(hash: string): string[] {
  const problems: string[] = [];
  const params = new Map<string, string>();
  for (const part of hash.replace(/^#/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    let value = eq < 0 ? '' : part.slice(eq + 1);
    try {
      value = decodeURIComponent(value);
    } catch {
      // a lone % typed by hand: take the text as it is
    }
    params.set(key, value);
  }
  if (!params.size) return problems;

  for (const [ai, set] of state.hidden.entries()) {
    set.clear();
    const ids = params.get(`hide.${D.axes[ai]!.name}`);
    if (ids)
      for (const id of ids.split(',')) {
        const vi = valueIndex(ai, id);
        if (vi >= 0) set.add(vi);
      }
  }
  state.hiddenOutcomes.clear();
  for (const o of (params.get('hide.outcome') ?? '').split(','))
    if ((D.outcomes as readonly string[]).includes(o)) state.hiddenOutcomes.add(o as Outcome);
  state.search = params.get('q') ?? '';
  state.onlyUnexpected = params.get('unexpected') === '1';
  state.onlyChanges = params.get('changes') === '1';
  state.selected = -1;
  state.summaryPick = null;

  const id = params.get('cell');
  if (id !== undefined) {
    const c = cellById.get(id);
    if (c) showCell(c);
    else problems.push(`no cell ${id} in this run`);
    return problems;
  }
  const view = params.get('view');
  if (view === 'summary' && hasSummary) state.view = 'summary';
  else if (view === 'scenario' || view === 'summary') state.view = 'scenario';
  const scen = params.get('scenario');
  if (scen !== undefined) {
    const si = D.scenarios.indexOf(scen);
    if (si >= 0) state.scenario = si;
    else problems.push(`no scenario ${scen} in this run`);
  }
  defaultPicks(state.view === 'scenario' ? state.scenario : undefined);
  for (const ai of viewAxes) {
    const v = params.get(D.axes[ai]!.name);
    if (v === undefined) continue;
    const vi = valueIndex(ai, v);
    if (vi >= 0) state.pick[ai] = vi;
    else problems.push(`no ${D.axes[ai]!.name} ${v} in this run`);
  }
  if (state.view === 'summary') {
    const k = params.get('kernel');
    const x = params.get(COL_AXIS);
    if (k !== undefined && x !== undefined) {
      const kernel = valueIndex(axisPos.kernel!, k);
      const xen = valueIndex(axisPos[COL_AXIS]!, x);
      if (kernel >= 0 && xen >= 0) state.summaryPick = { kernel, xen };
      else problems.push(`no kernel ${k} on ${COL_AXIS} ${x} in this run`);
    }
  }
  return problems;
}
