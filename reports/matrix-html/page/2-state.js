// Part of matrix.html's script (see write.ts: the parts are joined in order inside one
// function scope). Data strings reach the page through textContent and DOM attributes only.
// What the page shows: the view (scenario, role, user axes), filters, the baseline.
// ---- view state ----------------------------------------------------------------------
const viewAxes = D.axes.map((a, i) => i).filter((i) => !ROW_AXES.includes(D.axes[i].name) && D.axes[i].name !== COL_AXIS);
const state = {
  scenario: 0,
  view: {}, // axis index -> value index, for role and user axes
  hidden: D.axes.map(() => new Set()), // axis index -> hidden value indices
  hiddenOutcomes: new Set(),
  search: '',
  onlyChanges: false,
  baseline: null, // { label, byIndex: Array<verdict|undefined>, removed: [] }
  selected: -1,
};
for (const ai of viewAxes) state.view[ai] = 0;

// The first scenario in which the first view value has cells, so the page opens on something.
function matchesView(cell) {
  if (cell[F.scenario] !== state.scenario) return false;
  for (const ai of viewAxes) if (cell[ai] >= 0 && cell[ai] !== state.view[ai]) return false;
  return true;
}
function passesFilters(cell) {
  for (let ai = 0; ai < NA; ai++) if (cell[ai] >= 0 && state.hidden[ai].has(cell[ai])) return false;
  if (state.hiddenOutcomes.has(cell[F.outcome])) return false;
  if (state.onlyChanges && state.baseline) {
    const ch = changeOf(cellIndexOf(cell));
    if (ch === 'unchanged') return false;
  }
  return true;
}
const indexOfCell = new Map();
cells.forEach((c, i) => {
  indexOfCell.set(c, i);
});
const cellIndexOf = (cell) => indexOfCell.get(cell);

// ---- baseline ------------------------------------------------------------------------
function changeOf(i) {
  if (!state.baseline) return null;
  const old = state.baseline.byIndex[i];
  if (!old) return 'new';
  return classifyChange(old, verdict(cells[i]));
}
function useEmbeddedBaseline() {
  const b = D.baseline;
  if (!b) return;
  state.baseline = {
    label: b.label,
    byIndex: b.cells.map((x) =>
      x === 0 ? undefined : { outcome: OUT[x[0]], status: STATUS[x[1]], flaky: (x[2] & 1) === 1, reason: x[3] < 0 ? undefined : S[x[3]] },
    ),
    removed: b.removed,
  };
}
function useLoadedBaseline(json, name) {
  if (json?.schema !== 'pvmatrix/results@1' || !Array.isArray(json.cells)) {
    throw new Error(`${name} is not a pvmatrix results.json (expected "schema": "pvmatrix/results@1")`);
  }
  const byId = new Map();
  for (const c of json.cells) if (c && typeof c.id === 'string') byId.set(c.id, c);
  const byIndex = cells.map((cell) => {
    const id = cellId(cell);
    const b = byId.get(id);
    if (!b) return undefined;
    byId.delete(id);
    return {
      outcome: String(b.outcome),
      status: String(b.status),
      flaky: b.flaky === true,
      reason: typeof b.reason === 'string' ? b.reason : undefined,
    };
  });
  state.baseline = { label: name, byIndex, removed: [...byId.keys()] };
}
