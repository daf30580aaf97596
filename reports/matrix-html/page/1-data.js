// Part of matrix.html's script (see write.ts: the parts are joined in order inside one
// function scope). Data strings reach the page through textContent and DOM attributes only.
// The embedded data, its constants, the diff rules and small DOM helpers.
performance.mark('pvm-start');
const D = JSON.parse(document.getElementById('pvm-data').textContent);
performance.mark('pvm-parsed');
const OUT = ['works', 'unsupported', 'broken', 'skipped'];
const STATUS = ['passed', 'failed', 'broken', 'skipped'];
const SYMBOL = { works: '\u2713', unsupported: '\u2717', broken: '!', skipped: '\u2013' };
const CHANGE_SYMBOL = { regression: '\u25BC', fixed: '\u25B2', 'still-failing': '\u25CF', flaky: '~', new: '\u2605' };
const CHANGE_TEXT = {
  regression: 'regression',
  fixed: 'fixed',
  'still-failing': 'still failing',
  flaky: 'flaky',
  new: 'new cell',
  unchanged: 'unchanged',
};
const ROW_AXES = ['kernel', 'format', 'compression', 'arch'];
const COL_AXIS = 'xen';
const NA = D.axes.length;
const F = {};
D.fields.forEach((name, i) => {
  F[name] = NA + i;
});
const axisPos = {};
D.axes.forEach((a, i) => {
  axisPos[a.name] = i;
});
const S = D.s;
const L = D.l;
const cells = D.c;

// classify:begin (the same rules as reports/diff/classify.ts; a unit test checks they agree)
function classifyChange(old, cur) {
  const bad = (c) => c.status === 'failed' || c.status === 'broken';
  const lostOutcome = old.outcome === 'works' && (cur.outcome === 'unsupported' || cur.outcome === 'broken');
  if ((!bad(old) && old.status !== 'skipped' && bad(cur) && cur.outcome !== 'works') || lostOutcome) return 'regression';
  const gainedOutcome = (old.outcome === 'unsupported' || old.outcome === 'broken') && cur.outcome === 'works';
  if ((bad(old) && cur.status === 'passed') || gainedOutcome) return 'fixed';
  if (bad(old) && bad(cur)) return 'still-failing';
  if (cur.flaky) return 'flaky';
  return 'unchanged';
}
// classify:end

// ---- small DOM helpers -------------------------------------------------------------
function el(tag, props, children) {
  const e = document.createElement(tag);
  if (props)
    for (const k in props) {
      if (k === 'text') e.textContent = props[k];
      else if (k === 'class') e.className = props[k];
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), props[k]);
      else e.setAttribute(k, props[k]);
    }
  if (children) for (const c of children) if (c != null) e.append(c);
  return e;
}
const $ = (id) => document.getElementById(id);
const label = (ai, vi) => (vi < 0 ? '' : D.axes[ai].values[vi].label);
const valueId = (ai, vi) => (vi < 0 ? '' : D.axes[ai].values[vi].id);
const get = (cell, axis) => (axisPos[axis] === undefined ? -1 : cell[axisPos[axis]]);

function cellId(cell) {
  const parts = [];
  for (let ai = 0; ai < NA; ai++) if (cell[ai] >= 0) parts.push(`${D.axes[ai].name}=${D.axes[ai].values[cell[ai]].id}`);
  parts.push(`scenario=${D.scenarios[cell[F.scenario]]}`);
  return parts.join('/');
}
function reproducer(cell) {
  const t = cell[F.reproducer] < 0 ? '' : S[cell[F.reproducer]];
  const id = cellId(cell);
  return t
    .split('\u0001R')
    .join(id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .split('\u0001I')
    .join(id);
}
const verdict = (cell) => ({ outcome: OUT[cell[F.outcome]], status: STATUS[cell[F.status]], flaky: (cell[F.flags] & 1) === 1 });
