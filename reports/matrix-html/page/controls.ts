// The toolbar: the view tabs and selectors, the filter popups, the counters over the whole
// run, the list of changed cells (diff mode) and the search across all scenarios.
import { baseline } from './baseline.ts';
import { cells, D, notAsExpected, type Cell } from './data.ts';
import { $, el } from './dom.ts';
import { CHANGE_ORDER, CHANGE_SYMBOL, CHANGE_TEXT, SYMBOL } from './look.ts';
import { filterPopup } from './popup.ts';
import { defaultPicks, hasSummary, state, viewAxes, type View } from './state.ts';
import { normaliseQuery } from './table.ts';

export interface Actions {
  /** Draw the view again after a state change. */
  render: () => void;
  /** Show a cell wherever it is (another scenario or role): a deep link's job. */
  goToCell: (c: Cell) => void;
}

export function buildControls(a: Actions): void {
  const views = $('views');
  views.replaceChildren();
  if (hasSummary) {
    const tabs = el('div', { class: 'tabs', role: 'tablist' });
    for (const [v, text] of [
      ['summary', 'Summary'],
      ['scenario', 'By scenario'],
    ] as [View, string][]) {
      tabs.append(
        el('button', {
          type: 'button',
          role: 'tab',
          id: `tab-${v}`,
          'aria-selected': String(state.view === v),
          text,
          onclick: () => {
            if (state.view === v) return;
            state.view = v;
            state.selected = -1;
            state.summaryPick = null;
            if (v === 'scenario') defaultPicks(state.scenario);
            buildControls(a);
            a.render();
          },
        }),
      );
    }
    views.append(tabs);
  }
  if (state.view === 'scenario') {
    const scen = el('select', { id: 'sel-scenario', 'aria-label': 'scenario' });
    for (const [i, s] of D.scenarios.entries()) scen.append(el('option', { value: String(i), text: s }));
    scen.value = String(state.scenario);
    scen.addEventListener('change', () => {
      state.scenario = Number(scen.value);
      state.selected = -1;
      // a scenario may not apply to the role shown (device hotplug is domU-only): move to one it has
      for (const ai of viewAxes) {
        const inScenario = cells.filter((x) => x.scenario === state.scenario && x.v[ai]! >= 0);
        if (inScenario.length && !inScenario.some((x) => x.v[ai] === state.pick[ai])) state.pick[ai] = inScenario[0]!.v[ai]!;
      }
      buildControls(a);
      a.render();
    });
    views.append(el('label', { class: 'view' }, [el('span', { text: 'scenario' }), scen]));
  }
  for (const ai of viewAxes) {
    const sel = el('select', { id: `sel-${D.axes[ai]!.name}`, 'aria-label': D.axes[ai]!.name });
    for (const [vi, v] of D.axes[ai]!.values.entries()) sel.append(el('option', { value: String(vi), text: v.label }));
    sel.value = String(state.pick[ai]);
    sel.addEventListener('change', () => {
      state.pick[ai] = Number(sel.value);
      state.selected = -1;
      state.summaryPick = null;
      a.render();
    });
    views.append(el('label', { class: 'view' }, [el('span', { text: D.axes[ai]!.name }), sel]));
  }

  const filters = $('filters');
  filters.replaceChildren();
  for (const [ai, axis] of D.axes.entries()) {
    if (viewAxes.includes(ai)) continue;
    filters.append(
      filterPopup(
        axis.name,
        axis.values.map((v, vi) => ({ text: v.label, hidden: state.hidden[ai]!.has(vi) })),
        (hidden) => {
          state.hidden[ai] = hidden;
          a.render();
        },
      ),
    );
  }
  filters.append(
    filterPopup(
      'outcome',
      D.outcomes.map((o) => ({ text: `${SYMBOL[o]} ${o}`, hidden: state.hiddenOutcomes.has(o) })),
      (hidden) => {
        state.hiddenOutcomes = new Set([...hidden].map((i) => D.outcomes[i]!));
        a.render();
      },
    ),
  );
  const unexpected = el('input', { type: 'checkbox', id: 'only-unexpected' });
  unexpected.checked = state.onlyUnexpected;
  unexpected.addEventListener('change', () => {
    state.onlyUnexpected = unexpected.checked;
    a.render();
  });
  filters.append(el('label', { class: 'check' }, [unexpected, ' only not as expected']));
  const changes = el('input', { type: 'checkbox', id: 'only-changes' });
  changes.checked = state.onlyChanges;
  changes.addEventListener('change', () => {
    state.onlyChanges = changes.checked;
    a.render();
  });
  filters.append(el('label', { class: 'check', id: 'only-changes-label', hidden: !baseline }, [changes, ' only changed cells']));
  ($('search') as HTMLInputElement).value = state.search;
  buildChangeList(a);
}

/** The counters: the whole run (not the view), and then how many the view shows. */
export function renderCounts(shown: number, what: string): void {
  const run: Record<string, number> = {};
  let unexpected = 0;
  for (const c of cells) {
    run[c.outcome] = (run[c.outcome] ?? 0) + 1;
    if (notAsExpected(c)) unexpected++;
  }
  const box = $('counts');
  box.replaceChildren(el('span', { class: 'counts-title', text: 'whole run:' }));
  for (const o of D.outcomes)
    box.append(
      el('span', { class: `count o-${o}`, 'data-outcome': o }, [
        el('span', { class: 'sym', 'aria-hidden': 'true', text: SYMBOL[o] }),
        ` ${run[o] ?? 0} ${o}`,
      ]),
    );
  box.append(
    el('span', {
      class: `count unexpected-count${unexpected ? ' some' : ''}`,
      'data-count': 'unexpected',
      text: `\u2260 ${unexpected} not as expected`,
    }),
  );
  if (baseline) {
    const counts: Record<string, number> = {};
    for (const ch of baseline.changes) counts[ch] = (counts[ch] ?? 0) + 1;
    for (const k of CHANGE_ORDER)
      box.append(el('span', { class: `count ch-${k}`, 'data-change': k, text: `${CHANGE_SYMBOL[k]} ${counts[k] ?? 0} ${CHANGE_TEXT[k]}` }));
    if (baseline.removed.length)
      box.append(el('span', { class: 'count', 'data-change': 'removed', text: `${baseline.removed.length} removed` }));
  }
  box.append(el('span', { class: 'shown', id: 'shown', text: `shown: ${shown} ${what}` }));
}

// ---- the changed cells, run-wide, with next and previous ------------------------------
let changeAt = -1;

function buildChangeList(a: Actions): void {
  const box = $('changes');
  if (!baseline) {
    box.hidden = true;
    return;
  }
  const list = baseline.changed;
  box.hidden = false;
  const sel = el('select', { id: 'change-list', 'aria-label': 'changed cells' });
  sel.append(el('option', { value: '-1', text: list.length ? `${list.length} changed cells: pick one` : 'no changed cell' }));
  for (const [k, c] of list.entries()) {
    const ch = baseline.changes[c.index]!;
    if (ch === 'unchanged') continue;
    sel.append(el('option', { value: String(k), text: `${CHANGE_SYMBOL[ch]} ${CHANGE_TEXT[ch]}: ${c.id}` }));
  }
  const go = (k: number) => {
    if (!list.length) return;
    changeAt = (k + list.length) % list.length;
    sel.value = String(changeAt);
    a.goToCell(list[changeAt]!);
  };
  sel.addEventListener('change', () => {
    if (Number(sel.value) >= 0) go(Number(sel.value));
  });
  const cur = state.selected >= 0 ? list.findIndex((c) => c.index === state.selected) : -1;
  if (cur >= 0) {
    changeAt = cur;
    sel.value = String(cur);
  }
  box.replaceChildren(
    el('span', { class: 'changes-title', text: `Changed against ${baseline.label}:` }),
    el('button', {
      type: 'button',
      id: 'change-prev',
      text: '\u25C0 previous',
      title: 'previous changed cell (p)',
      onclick: () => go(changeAt < 0 ? list.length - 1 : changeAt - 1),
    }),
    sel,
    el('button', {
      type: 'button',
      id: 'change-next',
      text: 'next \u25B6',
      title: 'next changed cell (n)',
      onclick: () => go(changeAt + 1),
    }),
  );
}

/** n and p outside text fields: the next and previous changed cell. */
export function onChangeKeys(e: KeyboardEvent): void {
  if (!baseline || e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target as HTMLElement;
  if (t.closest('input, select, textarea')) return;
  if (e.key === 'n') ($('change-next') as HTMLButtonElement).click();
  else if (e.key === 'p') ($('change-prev') as HTMLButtonElement).click();
}

// ---- search across every scenario and role --------------------------------------------
const MAX_RESULTS = 12;

/** Cells anywhere in the run whose id contains the search text, as links; Enter opens the first. */
export function renderSearchResults(a: Actions): void {
  const box = $('search-results');
  const q = normaliseQuery(state.search);
  if (q.length < 2) {
    box.replaceChildren();
    box.hidden = true;
    return;
  }
  const exact = cells.find((c) => c.id.toLowerCase() === q);
  const hits = exact ? [exact] : cells.filter((c) => c.id.toLowerCase().includes(q));
  box.hidden = false;
  const items = hits.slice(0, MAX_RESULTS).map((c) =>
    el('li', null, [
      el('a', {
        href: `#cell=${c.id}`,
        class: 'cell-link',
        'data-id': c.id,
        text: `${SYMBOL[c.outcome]} ${c.id}`,
        onclick: (e: Event) => {
          e.preventDefault();
          a.goToCell(c);
        },
      }),
    ]),
  );
  box.replaceChildren(
    el('p', {
      text: hits.length
        ? `${hits.length} cell${hits.length === 1 ? '' : 's'} in the whole run match${hits.length === 1 ? 'es' : ''}${hits.length > MAX_RESULTS ? ` (the first ${MAX_RESULTS} below)` : ''}`
        : 'no cell id in the whole run contains this',
    }),
    el('ul', null, items),
  );
}

export function firstSearchHit(): Cell | undefined {
  const q = normaliseQuery(state.search);
  if (q.length < 2) return undefined;
  return cells.find((c) => c.id.toLowerCase() === q) ?? cells.find((c) => c.id.toLowerCase().includes(q));
}
