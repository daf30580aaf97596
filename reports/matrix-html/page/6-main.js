// Part of matrix.html's script (see write.ts: the parts are joined in order inside one
// function scope). Data strings reach the page through textContent and DOM attributes only.
// Keyboard moves, page wiring, start-up.
// ---- keyboard ------------------------------------------------------------------------
function move(dr, dc) {
  let [r, c] = focusPos;
  if (!grid.length) return;
  for (let step = 0; step < 1000; step++) {
    r += dr;
    c += dc;
    if (r < 0 || r >= grid.length || c < 0 || c >= (grid[0] || []).length) return;
    if (grid[r][c] >= 0) break;
  }
  const td = gridEls[r][c];
  if (td) td.focus();
}
$('matrix').addEventListener('keydown', (e) => {
  const keys = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
  if (keys[e.key]) {
    e.preventDefault();
    move(keys[e.key][0], keys[e.key][1]);
  } else if (e.key === 'Home') {
    e.preventDefault();
    focusPos = [focusPos[0], -1];
    move(0, 1);
  } else if (e.key === 'End') {
    e.preventDefault();
    focusPos = [focusPos[0], (grid[0] || []).length];
    move(0, -1);
  }
});

// ---- wiring --------------------------------------------------------------------------
function header() {
  $('title').textContent = D.title;
  document.title = D.title;
  const r = D.run;
  $('run').textContent =
    'Run ' +
    r.started +
    (r.finished ? ` \u2192 ${r.finished}` : '') +
    ' \u00b7 backend ' +
    r.backend +
    (r.shard ? ` \u00b7 shard ${r.shard}` : '') +
    ' \u00b7 pvmatrix ' +
    r.version;
  const s = D.summary;
  $('summary').textContent =
    s.cells +
    ' cells: ' +
    s.passed +
    ' as expected, ' +
    s.failed +
    ' not as expected, ' +
    s.broken +
    ' broken, ' +
    s.skipped +
    ' skipped \u00b7 ' +
    s.works +
    ' work, ' +
    s.unsupported +
    ' unsupported' +
    (s.flaky ? `, ${s.flaky} flaky` : '');
}
function showBaselineStatus(msg, isError) {
  const b = $('baseline-status');
  b.textContent = msg;
  b.className = isError ? 'error' : '';
  $('only-changes-label').hidden = !state.baseline;
}

$('search').addEventListener('input', (e) => {
  state.search = e.target.value;
  render();
});
$('only-changes').addEventListener('change', (e) => {
  state.onlyChanges = e.target.checked;
  render();
});
$('baseline-file').addEventListener('change', (e) => {
  const file = e.target.files?.[0];
  if (!file) return;
  file.text().then((text) => {
    try {
      useLoadedBaseline(JSON.parse(text), file.name);
      showBaselineStatus(`Comparing with ${file.name}`, false);
    } catch (err) {
      showBaselineStatus(`${file.name}: ${err instanceof SyntaxError ? 'not JSON' : err.message}`, true);
    }
    render();
    if (state.selected >= 0) showDetails(state.selected);
  });
});

header();
// open on the first scenario, and the first view values that have cells in it
if (cells.length) {
  // open on `boot` when the matrix has it: the first question is whether it boots at all
  const boot = D.scenarios.indexOf('boot');
  state.scenario = boot >= 0 ? boot : cells[0][F.scenario];
  for (const ai of viewAxes) {
    const c = cells.find((x) => x[F.scenario] === state.scenario && x[ai] >= 0);
    state.view[ai] = c ? c[ai] : 0;
  }
}
useEmbeddedBaseline();
if (state.baseline) showBaselineStatus(`Comparing with ${state.baseline.label}`, false);
buildControls();
render();
performance.mark('pvm-ready');
document.body.setAttribute('data-ready', 'true');
