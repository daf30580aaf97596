// matrix.html's script, bundled into the page by write.ts (esbuild): wiring and start-up.
import { baseline, useEmbeddedBaseline, useLoadedBaseline } from './baseline.ts';
import { buildControls, firstSearchHit, onChangeKeys, renderCounts, renderSearchResults, type Actions } from './controls.ts';
import { cells, D, type Cell } from './data.ts';
import { $ } from './dom.ts';
import { closeDetails, showCellDetails, showPlaceholder, showSummaryDetails } from './details.ts';
import { onGridKey } from './grid.ts';
import { defaultPicks, fromFragment, hasSummary, showCell, state, toFragment } from './state.ts';
import { renderSummary, summarise } from './summary.ts';
import { renderTable } from './table.ts';

const PLACEHOLDER = {
  summary:
    'Select a cell (click it, or tab into the table and use the arrow keys) to see whether the kernel works in that role on that Xen build, and if not, why: its scenarios side by side.',
  scenario:
    'Select a cell (click it, or tab into the table and use the arrow keys) to see why it has its outcome, the facts behind it, the console excerpt and the command that reruns it.',
};

function render(): void {
  const summary = state.view === 'summary';
  document.body.dataset.view = state.view;
  $('scenario-key').hidden = !summary;
  const shown = summary ? renderSummary(selectSummary) : renderTable(selectCell);
  $('empty').hidden = shown > 0;
  renderCounts(shown, summary ? 'kernel \u00d7 Xen cells' : 'cells');
  renderSearchResults(actions);
  if (summary && state.summaryPick) showSummaryDetails(summarise(state.summaryPick.kernel, state.summaryPick.xen));
  else if (!summary && state.selected >= 0) showCellDetails(cells[state.selected]!);
  else showPlaceholder(PLACEHOLDER[state.view]);
  writeFragment();
}

/** The address bar follows the page (without a history entry per click), so it can be copied as a link at any time. */
function writeFragment(): void {
  const f = toFragment();
  if (location.hash === f) return;
  try {
    history.replaceState(null, '', f);
  } catch {
    // some browsers refuse replaceState on file:// pages: the page still works, without the link
  }
}

function selectCell(i: number): void {
  if (state.selected === i) return;
  document.querySelector('#matrix td.selected')?.classList.remove('selected');
  document.querySelector(`#matrix td[data-id="${CSS.escape(cells[i]!.id)}"]`)?.classList.add('selected');
  state.selected = i;
  showCellDetails(cells[i]!);
  writeFragment();
}

function selectSummary(kernel: number, xen: number): void {
  if (state.summaryPick?.kernel === kernel && state.summaryPick.xen === xen) return;
  document.querySelector('#matrix td.selected')?.classList.remove('selected');
  state.summaryPick = { kernel, xen };
  document.activeElement?.classList.add('selected');
  showSummaryDetails(summarise(kernel, xen));
  writeFragment();
}

/** After a navigation, put the keyboard (and the eyes) on the selected cell. */
function focusSelected(): void {
  const td = document.querySelector<HTMLElement>('#matrix td.selected');
  if (td) {
    td.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    td.focus({ preventScroll: true });
  }
}

function goToCell(c: Cell): void {
  showCell(c);
  buildControls(actions);
  render();
  focusSelected();
}

const actions: Actions = { render, goToCell };

function applyFragment(): void {
  const problems = fromFragment(location.hash);
  $('link-status').textContent = problems.length ? `This link asks for what the page does not have: ${problems.join('; ')}.` : '';
  buildControls(actions);
  render();
  focusSelected();
}

function header(): void {
  $('title').textContent = D.title;
  document.title = D.title;
  const r = D.run;
  $('run').textContent =
    `Run ${r.started}${r.finished ? ` \u2192 ${r.finished}` : ''} \u00b7 backend ${r.backend}${r.shard ? ` \u00b7 shard ${r.shard}` : ''} \u00b7 pvmatrix ${r.version}`;
  const s = D.summary;
  $('summary').textContent =
    `${s.cells} cells: ${s.passed} as expected, ${s.failed} not as expected, ${s.broken} broken, ${s.skipped} skipped \u00b7 ` +
    `${s.works} work, ${s.unsupported} unsupported${s.flaky ? `, ${s.flaky} flaky` : ''}`;
}

function showBaselineStatus(msg: string, isError: boolean): void {
  const b = $('baseline-status');
  b.textContent = msg;
  b.className = isError ? 'error' : '';
}

$('matrix').addEventListener('keydown', onGridKey);
document.addEventListener('keydown', onChangeKeys);
document.addEventListener('keydown', (e) => {
  // Escape closes an open filter first (popup.ts), then the details over the table
  if (e.key === 'Escape' && !e.defaultPrevented) closeDetails();
});
const search = $('search') as HTMLInputElement;
search.addEventListener('input', () => {
  state.search = search.value;
  render();
});
search.addEventListener('keydown', (e) => {
  if (e.key !== 'Enter') return;
  const hit = firstSearchHit();
  if (hit) goToCell(hit);
});
window.addEventListener('hashchange', applyFragment);
($('baseline-file') as HTMLInputElement).addEventListener('change', (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (!file) return;
  void file.text().then((text) => {
    try {
      useLoadedBaseline(JSON.parse(text), file.name);
      showBaselineStatus(`Comparing with ${file.name}`, false);
    } catch (err) {
      showBaselineStatus(`${file.name}: ${err instanceof SyntaxError ? 'not JSON' : (err as Error).message}`, true);
    }
    buildControls(actions);
    render();
  });
});

header();
// Without a link to follow: the summary for the first role; in a matrix without kernels and
// Xen builds, the scenario view on `boot` (whether it boots at all is the first question).
const boot = D.scenarios.indexOf('boot');
state.scenario = boot >= 0 ? boot : (cells[0]?.scenario ?? 0);
defaultPicks(hasSummary ? undefined : state.scenario);
useEmbeddedBaseline();
if (baseline) showBaselineStatus(`Comparing with ${baseline.label}`, false);
if (location.hash.length > 1) applyFragment();
else {
  buildControls(actions);
  render();
}
performance.mark('pvm-ready');
document.body.setAttribute('data-ready', 'true');
