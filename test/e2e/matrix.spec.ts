import { test, expect, type Page } from '@playwright/test';
import { readFileSync, rmSync } from 'node:fs';
import { diffResults } from '../../reports/diff/classify.ts';
import type { ResultsFile } from '../../contracts/results.ts';
import { HOSTILE } from '../support/results-fixture.ts';
import { KNOWN, NO_BROWSER, openMatrix, writeFixtures, type Fixtures } from './support.ts';

test.skip(!!NO_BROWSER, NO_BROWSER);

let fx: Fixtures;
test.beforeAll(async () => {
  fx = await writeFixtures();
});
test.afterAll(() => {
  if (fx) rmSync(fx.dir, { recursive: true, force: true });
});

const cell = (page: Page, id: string) => page.locator(`td.cell[data-id="${id}"]`);
const summaryCell = (page: Page, kernel: string, xen: string) => page.locator(`td.cell.sum[data-kernel="${kernel}"][data-xen="${xen}"]`);
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as ResultsFile;

test('find a known cell, read why it is unsupported, with its source and reproducer', async ({ page }, info) => {
  const problems = await openMatrix(page, fx.plain);
  await page.getByRole('tab', { name: 'By scenario' }).click();
  const known = cell(page, KNOWN.id);
  await expect(known).toHaveText(/✗/);
  await expect(known).toHaveClass(/o-unsupported/);
  await known.click();
  const details = page.locator('#details');
  await expect(details.locator('.reason')).toHaveText(KNOWN.reason);
  const source = details.locator('.facts a', { hasText: KNOWN.source });
  await expect(source).toHaveAttribute(
    'href',
    /^https:\/\/xenbits\.xen\.org\/gitweb\/\?p=xen\.git;a=blob;f=xen%2Farch%2Fx86%2Fbzimage\.c;hb=RELEASE-3\.4\.0$/,
  );
  await expect(details.locator('#repro')).toContainText(`--grep '^${KNOWN.id.replaceAll('.', '\\.')}$'`);
  await expect(details.locator('pre.transcript')).toContainText('(XEN)');
  await page.screenshot({ path: info.outputPath('matrix-details.png') });
  expect(problems).toEqual([]);
});

test('keyboard: cells take focus and arrow keys move between them, showing their details', async ({ page }) => {
  await openMatrix(page, `${fx.plain}#view=scenario&scenario=boot&role=dom0`);
  await cell(page, KNOWN.id).focus();
  await expect(page.locator('#details .cell-id')).toHaveText(KNOWN.id);
  await page.keyboard.press('ArrowRight');
  const right = KNOWN.id.replace('xen=3.3', 'xen=3.4');
  await expect(page.locator('td.cell:focus')).toHaveAttribute('data-id', right);
  await expect(page.locator('#details .cell-id')).toHaveText(right);
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('#details .cell-id')).not.toHaveText(right);
  await page.keyboard.press('ArrowUp');
  await expect(page.locator('#details .cell-id')).toHaveText(right);
});

test('the summary is the landing view: kernels x Xen for one role, one symbol per scenario; a click answers yes or no with the reasons', async ({
  page,
}, info) => {
  const file = read(fx.scenarios);
  const problems = await openMatrix(page, fx.scenariosHtml);
  await expect(page.getByRole('tab', { name: 'Summary' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('#sel-role')).toHaveValue('0');
  const roleScenarios = [...new Set(file.cells.filter((c) => c.axes.role === 'dom0').map((c) => c.scenario))];
  // one symbol per scenario of the role, in every summary cell
  const first = page.locator('td.cell.sum').first();
  await expect(first.locator('.mini')).toHaveCount(roleScenarios.length);
  // 2.6.18-xen (vmlinux only) has no xenfs in the fixture: every xenfs variant that ran is unsupported, so the answer is no
  const xenfs = file.cells.filter(
    (c) => c.axes.kernel === '2.6.18-xen' && c.axes.xen === '3.4' && c.axes.role === 'dom0' && c.scenario === 'xenfs',
  );
  expect(xenfs.length).toBeGreaterThan(0);
  const ran = xenfs.filter((c) => c.outcome !== 'skipped');
  expect(ran.length > 0 && ran.every((c) => c.outcome === 'unsupported')).toBe(true);
  const sum = summaryCell(page, '2.6.18-xen', '3.4');
  await expect(sum).toHaveClass(/o-unsupported/);
  await sum.click();
  const answer = page.locator('#answer');
  await expect(answer.locator('h2')).toHaveText(/Linux 2\.6\.18-xen.* as dom0 on Xen 3\.4: no, because$/);
  await expect(answer.locator('.because li', { hasText: 'xenfs:' })).toHaveText(`xenfs: ${ran[0]!.reason}`);
  // the scenarios side by side, each with links to its cells
  await expect(page.locator('#details .card')).toHaveCount(roleScenarios.length);
  const card = page.locator('#details .card[data-scenario="xenfs"]');
  await expect(card.locator('.badge')).toHaveText(/unsupported/);
  await expect(card.locator('a.cell-link')).toHaveCount(xenfs.length);
  await page.screenshot({ path: info.outputPath('matrix-summary.png') });
  // a link of a card opens that cell in the scenario view
  await card.locator('summary').click();
  await card.locator(`a.cell-link[data-id="${xenfs[0]!.id}"]`).click();
  await expect(page.getByRole('tab', { name: 'By scenario' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('#details .cell-id')).toHaveText(xenfs[0]!.id);
  await expect(cell(page, xenfs[0]!.id)).toHaveClass(/selected/);
  expect(problems).toEqual([]);
});

test('summary: a known "no" outranks an unknown (broken), which outranks "yes"', async ({ page }) => {
  await openMatrix(page, fx.crafted.html);
  const { kernel, xen, brokenReason, unsupportedReason } = fx.crafted;
  // balloon broke everywhere, xenfs refused everywhere, boot works: the refusal answers
  await summaryCell(page, kernel, xen).click();
  await expect(page.locator('#answer h2')).toHaveText(/: no, because$/);
  await expect(page.locator('#answer .because li')).toHaveText([`xenfs: ${unsupportedReason}`]);
  // where balloon broke and nothing refused, the answer stays open
  await openMatrix(page, `${fx.crafted.html}#view=summary&role=dom0&kernel=${kernel}&xen=${fx.crafted.brokenOnlyXen}`);
  await expect(page.locator('#answer h2')).toHaveText(/: unknown: the harness could not tell, because$/);
  await expect(page.locator('#answer .because li')).toHaveText([`balloon: ${brokenReason}`]);
});

test('deep links: every view and every cell has one, the address bar follows the page, and a bad link says what is missing', async ({
  page,
}) => {
  const domU = 'xen=3.4/kernel=6.1/format=vmlinux/arch=x86_64/role=domU/scenario=balloon';
  await openMatrix(page, `${fx.plain}#cell=${domU}`);
  await expect(page.getByRole('tab', { name: 'By scenario' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('#sel-scenario option:checked')).toHaveText('balloon');
  await expect(page.locator('#sel-role option:checked')).toHaveText('domU');
  await expect(cell(page, domU)).toHaveClass(/selected/);
  await expect(page.locator('#details .cell-id')).toHaveText(domU);
  // clicking another cell puts its link in the address bar; that link opens it in a fresh page
  const other = 'xen=4.0/kernel=2.6.30/format=bzImage/compression=gzip/arch=x86_64/role=domU/scenario=balloon';
  await cell(page, other).click();
  await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash))).toBe(`#cell=${other}`);
  // a view link keeps the filters
  await page.getByRole('tab', { name: 'Summary' }).click();
  await page.locator('.filter[data-axis="arch"] .filter-button').click();
  await page.locator('.filter[data-axis="arch"] label', { hasText: 'x86_32-pae' }).locator('input').uncheck();
  await page.keyboard.press('Escape');
  await summaryCell(page, '6.1', '4.0').click();
  const link = await page.evaluate(() => location.href);
  expect(link).toContain('view=summary');
  expect(link).toContain('hide.arch=x86_32-pae');
  const fresh = await page.context().newPage();
  await openMatrix(fresh, link);
  await expect(fresh.locator('#answer h2')).toContainText('Linux 6.1 as domU on Xen 4.0');
  await expect(fresh.locator('.filter[data-axis="arch"] .filter-button')).toHaveText(/arch \(1\/2\)/);
  await expect(fresh.locator('td.cell.sum.selected')).toHaveAttribute('data-kernel', '6.1');
  // a link to a cell this run does not have is named, and the page still opens
  await openMatrix(fresh, `${fx.plain}#cell=xen=9.9/kernel=none/scenario=boot`);
  await expect(fresh.locator('#link-status')).toHaveText(/no cell xen=9\.9\/kernel=none\/scenario=boot in this run/);
  await fresh.close();
});

test('search finds a cell by id in every scenario and role, from any view; Enter opens it (a --grep pattern works too)', async ({
  page,
}) => {
  await openMatrix(page, fx.plain);
  const target = 'xen=fedora11-3.3.1/kernel=2.6.30/format=vmlinux/arch=x86_32-pae/role=domU/scenario=balloon';
  await page.fill('#search', 'kernel=2.6.30/format=vmlinux/arch=x86_32-pae/role=domU/scenario=balloon');
  const results = page.locator('#search-results');
  await expect(results.locator('a.cell-link')).toHaveCount(
    read(fx.current).cells.filter((c) => c.id.includes('kernel=2.6.30/format=vmlinux/arch=x86_32-pae/role=domU/scenario=balloon')).length,
  );
  await results.locator(`a.cell-link[data-id="${target}"]`).click();
  await expect(page.locator('#details .cell-id')).toHaveText(target);
  await expect(page.locator('#sel-role option:checked')).toHaveText('domU');
  // a reproducer's pattern, pasted as it is
  await page.fill('#search', `'^${KNOWN.id.replaceAll('.', '\\.')}$'`);
  await page.press('#search', 'Enter');
  await expect(page.locator('#details .cell-id')).toHaveText(KNOWN.id);
  await expect(page.locator('#sel-role option:checked')).toHaveText('dom0');
});

test('filter popups: all and none take a mouse click, Escape and an outside click close them', async ({ page }) => {
  await openMatrix(page, `${fx.plain}#view=scenario&scenario=boot&role=dom0`);
  const xen = page.locator('.filter[data-axis="xen"]');
  const box = xen.locator('.filter-box');
  await xen.locator('.filter-button').click();
  await expect(box).toBeVisible();
  // a real click at the button's place: Playwright fails it if anything covers the button
  await box.getByRole('button', { name: 'none' }).click();
  await expect(page.locator('td.cell')).toHaveCount(0);
  await expect(page.locator('#empty')).toBeVisible();
  await box.getByRole('button', { name: 'all' }).click();
  await expect(page.locator('thead th.xen-col')).toHaveCount(4);
  await page.keyboard.press('Escape');
  await expect(box).toBeHidden();
  await expect(xen.locator('.filter-button')).toBeFocused();
  // one unchecked value, then a click outside closes the box
  await xen.locator('.filter-button').click();
  await box.getByRole('checkbox', { name: 'Xen 3.3', exact: true }).uncheck();
  await expect(page.locator('thead th.xen-col')).toHaveCount(3);
  await expect(page.locator('td.cell[data-id^="xen=3.3/"]')).toHaveCount(0);
  await page.locator('h1').click();
  await expect(box).toBeHidden();
  await expect(xen.locator('.filter-button')).toHaveText('xen (3/4)');
  // opening one closes another
  await xen.locator('.filter-button').click();
  await page.locator('.filter[data-axis="format"] .filter-button').click();
  await expect(box).toBeHidden();
  await expect(page.locator('.filter[data-axis="format"] .filter-box')).toBeVisible();
});

test('switch role and scenario, and the "not as expected" filter', async ({ page }) => {
  const file = read(fx.current);
  await openMatrix(page, `${fx.plain}#view=scenario&scenario=boot&role=dom0`);
  await page.selectOption('#sel-role', { label: 'domU' });
  await page.selectOption('#sel-scenario', { label: 'balloon' });
  await expect(cell(page, 'xen=3.4/kernel=6.1/format=vmlinux/arch=x86_64/role=domU/scenario=balloon')).toBeVisible();
  await expect(page.locator('td.cell[data-id$="scenario=boot"]')).toHaveCount(0);
  await expect(page.locator('td.cell[data-id*="role=dom0"]')).toHaveCount(0);
  // native-boot cells have no Xen and no role: one "no Xen" column
  await page.selectOption('#sel-scenario', { label: 'native-boot' });
  await expect(page.locator('thead th.xen-col')).toHaveText(['no Xen (native)']);
  // not as expected: in the balloon/domU view, exactly the cells whose verdict failed or broke
  await page.selectOption('#sel-scenario', { label: 'balloon' });
  await page.locator('#only-unexpected').check();
  const want = file.cells.filter(
    (c) => c.scenario === 'balloon' && c.axes.role === 'domU' && (c.status === 'failed' || c.status === 'broken'),
  );
  expect(want.length, 'the fixture has cells not as expected').toBeGreaterThan(0);
  await expect(page.locator('td.cell')).toHaveCount(want.length);
  // counters cover the whole run, whatever the view shows
  const all = file.cells.filter((c) => c.status === 'failed' || c.status === 'broken').length;
  await expect(page.locator('#counts [data-count="unexpected"]')).toHaveText(`≠ ${all} not as expected`);
  await expect(page.locator('#counts [data-outcome="works"]')).toHaveText(
    `✓ ${file.cells.filter((c) => c.outcome === 'works').length} works`,
  );
});

test('diff mode: whole-run counters and the list of changed cells, walked with next and previous, match pvmatrix diff', async ({
  page,
}, info) => {
  const d = diffResults(read(fx.baseline), read(fx.current));
  const changed = d.entries.filter((e) => e.change !== 'removed');
  expect(d.counts.regression, 'the two seeds differ by some regressions').toBeGreaterThan(0);
  const problems = await openMatrix(page, fx.withBaseline);
  await expect(page.locator('#baseline-status')).toHaveText('Comparing with baseline.json');
  // on the landing view (the summary), the counters are the run's
  for (const k of ['regression', 'fixed', 'still-failing', 'flaky', 'new'] as const)
    await expect(page.locator(`#counts [data-change="${k}"]`)).toHaveText(new RegExp(`^\\S+ ${d.counts[k]} `));
  // the list: every changed cell, in pvmatrix diff's order
  const options = await page
    .locator('#change-list option')
    .evaluateAll((os) => os.slice(1).map((o) => (o.textContent ?? '').split(': ').slice(1).join(': ')));
  expect(options).toEqual(changed.map((e) => e.id));
  await page.locator('#change-next').click();
  await expect(page.locator('#details .cell-id')).toHaveText(changed[0]!.id);
  await expect(page.locator('#details')).toContainText('→ regression');
  await page.locator('#change-next').click();
  await expect(page.locator('#details .cell-id')).toHaveText(changed[1]!.id);
  await page.locator('#change-prev').click();
  await expect(page.locator('#details .cell-id')).toHaveText(changed[0]!.id);
  await page.locator('#change-prev').click();
  await expect(page.locator('#details .cell-id')).toHaveText(changed.at(-1)!.id);
  // keyboard: n from the table
  await page.keyboard.press('n');
  await expect(page.locator('#details .cell-id')).toHaveText(changed[0]!.id);
  await page.locator('#only-changes').check();
  await expect(page.locator('td.cell:not([class*="ch-"])')).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('matrix-diff.png') });

  // the plain page, with the baseline loaded through the file input
  await openMatrix(page, fx.plain);
  await expect(page.locator('#changes')).toBeHidden();
  await page.setInputFiles('#baseline-file', fx.baseline);
  await expect(page.locator('#baseline-status')).toHaveText('Comparing with baseline.json');
  await expect(page.locator('#counts [data-change="regression"]')).toHaveText(`▼ ${d.counts.regression} regression`);
  await expect(page.locator('#change-list option')).toHaveCount(changed.length + 1);
  // a file that is not a results.json is refused with its name
  await page.setInputFiles('#baseline-file', { name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello":1}') });
  await expect(page.locator('#baseline-status')).toHaveText(/notes\.json is not a pvmatrix results\.json/);
  expect(problems).toEqual([]);
});

test('at 1024 px: twenty Xen builds fit beside the row headers, and the details open over the table and close on Escape', async ({
  page,
}, info) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await openMatrix(page, `${fx.wide}#view=scenario&scenario=boot&role=dom0`);
  const cols = page.locator('thead th.xen-col');
  const n = await cols.count();
  expect(n).toBeGreaterThanOrEqual(19);
  const wrap = await page.locator('.table-wrap').boundingBox();
  const last = await cols.last().boundingBox();
  expect(last!.x + last!.width, 'the last Xen column is in view without scrolling sideways').toBeLessThanOrEqual(wrap!.x + wrap!.width);
  await page.locator('td.cell').first().click();
  const details = page.locator('#details');
  await expect(details).toBeVisible();
  await page.screenshot({ path: info.outputPath('matrix-1024.png') });
  await page.keyboard.press('Escape');
  await expect(details).toBeHidden();
  // the summary too: every Xen column in view for dom0
  await page.getByRole('tab', { name: 'Summary' }).click();
  const lastSum = await page.locator('thead th.xen-col').last().boundingBox();
  expect(lastSum!.x + lastSum!.width).toBeLessThanOrEqual(wrap!.x + wrap!.width);
});

test('a kernel named like markup renders as text, never as an element', async ({ page }, info) => {
  const problems = await openMatrix(page, fx.plain);
  await expect(page.locator('th.rowhead.first', { hasText: HOSTILE })).toHaveText(HOSTILE);
  await page.getByRole('tab', { name: 'By scenario' }).click();
  await page.fill('#search', 'evil');
  const header = page.locator('th.rowhead.first', { hasText: HOSTILE });
  await expect(header).toHaveText(HOSTILE);
  await expect(page.locator('#matrix img, #details img')).toHaveCount(0);
  const hostileCell = page.locator('td.cell[data-id*="kernel=evil/"]').first();
  await hostileCell.click();
  await expect(page.locator('#details h2')).toContainText(HOSTILE);
  await page.screenshot({ path: info.outputPath('matrix-xss.png') });
  expect(await page.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
  expect(problems).toEqual([]);
});
