// The scenario view: a pivot table of one scenario and one role, Xen builds as columns,
// kernel x format (+ compression) x arch as rows.
import { changeOf } from './baseline.ts';
import { axisPos, cells, D, label, NA, valueId, type Cell } from './data.ts';
import { el } from './dom.ts';
import { inPickedView, passesFilters } from './filters.ts';
import { gridCell, showTable } from './grid.ts';
import { CHANGE_SYMBOL, CHANGE_TEXT, SYMBOL, type PageChange } from './look.ts';
import { COL_AXIS, ROW_AXES, state, viewAxes } from './state.ts';

const colAi = axisPos[COL_AXIS];
const rowAis = ROW_AXES.map((n) => axisPos[n]).filter((x): x is number => x !== undefined);

/** Whether the search text names this cell: its row labels or its id (a `--grep` pattern's escapes and anchors are ignored). */
export function searchMatches(c: Cell, q: string): boolean {
  if (!q) return true;
  if (c.id.toLowerCase().includes(q)) return true;
  return rowAis.some((ai) => c.v[ai]! >= 0 && `${label(ai, c.v[ai]!)} ${valueId(ai, c.v[ai]!)}`.toLowerCase().includes(q));
}
export const normaliseQuery = (q: string) =>
  q
    .trim()
    .replace(/^'?\^|\$'?$/g, '')
    .replace(/\\(.)/g, '$1')
    .toLowerCase();

/** Returns the number of cells shown. */
export function renderTable(onSelect: (i: number) => void): number {
  const q = normaliseQuery(state.search);
  const visible = cells.filter(
    (c) => c.scenario === state.scenario && inPickedView(c, viewAxes, state.pick) && passesFilters(c) && searchMatches(c, q),
  );
  const colOf = (c: Cell) => (colAi === undefined ? -1 : c.v[colAi]!);
  const cols = [...new Set(visible.map(colOf))].sort((a, b) => a - b);
  const rowsByKey = new Map<string, { vals: number[]; at: Map<number, Cell> }>();
  for (const c of visible) {
    const vals = rowAis.map((ai) => c.v[ai]!);
    const key = vals.join(',');
    let r = rowsByKey.get(key);
    if (!r) rowsByKey.set(key, (r = { vals, at: new Map() }));
    r.at.set(colOf(c), c);
  }
  const rows = [...rowsByKey.values()].sort((a, b) => {
    for (let k = 0; k < a.vals.length; k++) if (a.vals[k] !== b.vals[k]) return a.vals[k]! - b.vals[k]!;
    return 0;
  });

  const hr = el('tr');
  for (const [k, ai] of rowAis.entries())
    hr.append(
      el('th', {
        scope: 'col',
        class: 'rowhead-col',
        text: k === rowAis.length - 1 && colAi !== undefined ? `${D.axes[ai]!.name}  \u2192 Xen` : D.axes[ai]!.name,
      }),
    );
  for (const col of cols)
    hr.append(
      el('th', { scope: 'col', class: 'xen-col', title: col < 0 || colAi === undefined ? '' : valueId(colAi, col) }, [
        el('div', { text: col < 0 || colAi === undefined ? 'no Xen (native)' : label(colAi, col) }),
      ]),
    );
  const tbody = el('tbody');
  const grid: (HTMLElement | null)[][] = [];
  let selectedEl: HTMLElement | null = null;
  rows.forEach((r, ri) => {
    const tr = el('tr');
    const prev = rows[ri - 1];
    // group headers: a row-axis value is printed only where it differs from the row above
    rowAis.forEach((ai, k) => {
      const same = prev && r.vals.slice(0, k + 1).every((v, j) => v === prev.vals[j]);
      const v = r.vals[k]!;
      const text = same ? '' : v < 0 ? '\u2014' : label(ai, v);
      tr.append(
        el('th', { scope: 'row', class: `rowhead${same ? ' cont' : ''}${k === 0 ? ' first' : ''}`, text, title: text || undefined }),
      );
    });
    if (!prev || prev.vals[0] !== r.vals[0]) tr.className = 'group-start';
    const row: (HTMLElement | null)[] = [];
    for (const col of cols) {
      const c = r.at.get(col);
      if (!c) {
        tr.append(el('td', { class: 'none' }));
        row.push(null);
        continue;
      }
      const td = cellElement(c, changeOf(c.index));
      if (c.index === state.selected) selectedEl = td;
      gridCell(td, () => onSelect(c.index));
      tr.append(td);
      row.push(td);
    }
    grid.push(row);
    tbody.append(tr);
  });
  showTable(hr, tbody, grid, selectedEl, rowAis.length);
  return visible.length;
}

function cellElement(c: Cell, ch: PageChange | null): HTMLElement {
  const changed = ch && ch !== 'unchanged' ? ch : null;
  const failed = c.status === 'failed';
  const text = describe(c, ch);
  const td = el(
    'td',
    {
      class: `cell o-${c.outcome}${failed ? ' unexpected' : ''}${changed ? ` ch-${changed}` : ''}${c.index === state.selected ? ' selected' : ''}`,
      tabindex: '-1',
      'data-id': c.id,
      'aria-label': text,
      title: text,
    },
    [el('span', { class: 'sym', 'aria-hidden': 'true', text: SYMBOL[c.outcome] })],
  );
  if (changed) td.append(el('span', { class: 'chg', 'aria-hidden': 'true', text: CHANGE_SYMBOL[changed] }));
  else if (failed) td.append(el('span', { class: 'chg', 'aria-hidden': 'true', text: '\u2260' }));
  return td;
}

function describe(c: Cell, ch: PageChange | null): string {
  const parts: string[] = [];
  for (let ai = 0; ai < NA; ai++) if (c.v[ai]! >= 0) parts.push(`${D.axes[ai]!.name} ${label(ai, c.v[ai]!)}`);
  let s = `${parts.join(', ')}, ${D.scenarios[c.scenario]}: ${c.outcome}`;
  if (c.status === 'failed') s += ` (expected ${c.expected})`;
  if (ch && ch !== 'unchanged') s += `, ${CHANGE_TEXT[ch]} against the baseline`;
  return s;
}
