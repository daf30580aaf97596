// Part of matrix.html's script (see write.ts: the parts are joined in order inside one
// function scope). Data strings reach the page through textContent and DOM attributes only.
// The pivot table and the counts above it.
// ---- the pivot table -----------------------------------------------------------------
let grid = []; // rows of (cell index | -1)
let gridEls = []; // the same rows, as td elements (null where no cell)
let focusPos = [0, 0];

function render() {
  const colAi = axisPos[COL_AXIS];
  const rowAis = ROW_AXES.map((n) => axisPos[n]).filter((x) => x !== undefined);
  const q = state.search.trim().toLowerCase();
  const visible = [];
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (!matchesView(c) || !passesFilters(c)) continue;
    if (q && !rowText(c, rowAis).toLowerCase().includes(q) && !cellId(c).toLowerCase().includes(q)) continue;
    visible.push(i);
  }
  // columns: Xen values in matrix order (cells without Xen go to a "no Xen" column first)
  const colSet = new Set(visible.map((i) => (colAi === undefined ? -1 : cells[i][colAi])));
  const cols = [...colSet].sort((a, b) => a - b);
  const rowsByKey = new Map();
  for (const i of visible) {
    const key = rowAis.map((ai) => cells[i][ai]).join(',');
    let r = rowsByKey.get(key);
    if (!r) {
      r = { vals: rowAis.map((ai) => cells[i][ai]), at: new Map() };
      rowsByKey.set(key, r);
    }
    r.at.set(colAi === undefined ? -1 : cells[i][colAi], i);
  }
  const rows = [...rowsByKey.values()].sort((a, b) => {
    for (let k = 0; k < a.vals.length; k++) if (a.vals[k] !== b.vals[k]) return a.vals[k] - b.vals[k];
    return 0;
  });

  const table = $('matrix');
  const thead = el('thead');
  const hr = el('tr');
  for (const [k, ai] of rowAis.entries()) {
    const text = k === rowAis.length - 1 && colAi !== undefined ? `${D.axes[ai].name}  \u2192 Xen` : D.axes[ai].name;
    hr.append(el('th', { scope: 'col', class: 'rowhead-col', text }));
  }
  for (const col of cols)
    hr.append(
      el('th', { scope: 'col', class: 'xen-col', title: col < 0 ? '' : valueId(colAi, col) }, [
        el('div', { text: col < 0 ? 'no Xen (native)' : label(colAi, col) }),
      ]),
    );
  thead.append(hr);
  const tbody = el('tbody');
  grid = [];
  gridEls = [];
  const counts = { works: 0, unsupported: 0, broken: 0, skipped: 0, unexpected: 0 };
  const changeCounts = { regression: 0, fixed: 0, 'still-failing': 0, flaky: 0, new: 0 };
  rows.forEach((r, ri) => {
    const tr = el('tr');
    // group headers: print a row-axis value only when it differs from the row above
    const prev = rows[ri - 1];
    rowAis.forEach((ai, k) => {
      const same = prev && r.vals.slice(0, k + 1).every((v, j) => v === prev.vals[j]);
      const th = el('th', {
        scope: 'row',
        class: `rowhead${same ? ' cont' : ''}${k === 0 ? ' first' : ''}`,
        text: same ? '' : r.vals[k] < 0 ? '\u2014' : label(ai, r.vals[k]),
      });
      tr.append(th);
    });
    if (!prev || prev.vals[0] !== r.vals[0]) tr.className = 'group-start';
    const gridRow = [];
    const elRow = [];
    cols.forEach((col, ci) => {
      const i = r.at.get(col);
      if (i === undefined) {
        tr.append(el('td', { class: 'none' }));
        gridRow.push(-1);
        elRow.push(null);
        return;
      }
      const c = cells[i];
      const out = OUT[c[F.outcome]];
      counts[out]++;
      const st = STATUS[c[F.status]];
      if (st === 'failed') counts.unexpected++;
      const ch = changeOf(i);
      if (ch && ch !== 'unchanged') changeCounts[ch]++;
      const text = describe(c, ch);
      const td = el(
        'td',
        {
          class:
            'cell o-' +
            out +
            (st === 'failed' ? ' unexpected' : '') +
            (ch && ch !== 'unchanged' ? ` ch-${ch}` : '') +
            (i === state.selected ? ' selected' : ''),
          tabindex: '-1',
          'data-id': cellId(c),
          'aria-label': text,
        },
        [el('span', { class: 'sym', 'aria-hidden': 'true', text: SYMBOL[out] })],
      );
      if (ch && CHANGE_SYMBOL[ch]) td.append(el('span', { class: 'chg', 'aria-hidden': 'true', text: CHANGE_SYMBOL[ch] }));
      if (st === 'failed' && !(ch && CHANGE_SYMBOL[ch])) td.append(el('span', { class: 'chg', 'aria-hidden': 'true', text: '\u2260' }));
      td.title = text;
      td.addEventListener('focus', () => select(i, ri, ci));
      td.addEventListener('click', () => td.focus());
      tr.append(td);
      gridRow.push(i);
      elRow.push(td);
    });
    grid.push(gridRow);
    gridEls.push(elRow);
    tbody.append(tr);
  });
  table.replaceChildren(thead, tbody);
  stickRowHeads(hr, rowAis.length);
  $('empty').hidden = rows.length > 0;
  // roving tabindex: one cell in the tab order, arrow keys move among the rest
  const first = table.querySelector('td.cell.selected') || table.querySelector('td.cell');
  if (first) first.tabIndex = 0;
  renderCounts(counts, changeCounts);
}

function rowText(c, rowAis) {
  return rowAis.map((ai) => (c[ai] < 0 ? '' : `${label(ai, c[ai])} ${valueId(ai, c[ai])}`)).join(' ');
}

function describe(c, ch) {
  const parts = [];
  for (let ai = 0; ai < NA; ai++) if (c[ai] >= 0) parts.push(`${D.axes[ai].name} ${label(ai, c[ai])}`);
  let s = `${parts.join(', ')}, ${D.scenarios[c[F.scenario]]}: ${OUT[c[F.outcome]]}`;
  if (STATUS[c[F.status]] === 'failed') s += ` (expected ${OUT[c[F.expected]]})`;
  if (ch && ch !== 'unchanged') s += `, ${CHANGE_TEXT[ch]} against the baseline`;
  return s;
}

function renderCounts(counts, changeCounts) {
  const box = $('counts');
  box.replaceChildren();
  for (const o of OUT)
    box.append(
      el('span', { class: `count o-${o}` }, [el('span', { class: 'sym', 'aria-hidden': 'true', text: SYMBOL[o] }), ` ${counts[o]} ${o}`]),
    );
  if (counts.unexpected) box.append(el('span', { class: 'count unexpected-count', text: `\u2260 ${counts.unexpected} not as expected` }));
  if (state.baseline) {
    for (const k of Object.keys(changeCounts))
      box.append(
        el('span', { class: `count ch-${k}`, 'data-change': k, text: `${CHANGE_SYMBOL[k]} ${changeCounts[k]} ${CHANGE_TEXT[k]}` }),
      );
    if (state.baseline.removed.length) box.append(el('span', { class: 'count', text: `${state.baseline.removed.length} removed` }));
  }
}

// Keep the row headers in view while the Xen columns scroll sideways: one generated rule per
// header column (its left offset is the width of the columns before it); numbers only.
function stickRowHeads(headerRow, n) {
  let css = '';
  let left = 0;
  for (let k = 0; k < n; k++) {
    const w = headerRow.children[k].getBoundingClientRect().width;
    css += `#matrix tr > :nth-child(${k + 1}) { position: sticky; left: ${left}px; z-index: ${k === n - 1 ? 2 : 1}; }\n`;
    css += `#matrix thead tr > :nth-child(${k + 1}) { z-index: 3; }\n`;
    left += w;
  }
  $('sticky-heads').textContent = css;
}
