import { test, expect, type Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { HOSTILE } from '../support/results-fixture.ts';
import { KNOWN, NO_BROWSER, writeFixtures, type Fixtures } from './support.ts';

test.skip(!!NO_BROWSER, NO_BROWSER);

let fx: Fixtures;
test.beforeAll(async () => {
  fx = await writeFixtures();
});
test.afterAll(() => {
  if (fx) rmSync(fx.dir, { recursive: true, force: true });
});

/** Opens a page and fails the test on any script error or dialog (an XSS would raise one). */
async function open(page: Page, path: string) {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`network request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(path).href);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  return problems;
}

const cell = (page: Page, id: string) => page.locator(`td.cell[data-id="${id}"]`);

test('find a known cell, read why it is unsupported, with its source and reproducer', async ({ page }, info) => {
  const problems = await open(page, fx.plain);
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
  await open(page, fx.plain);
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

test('switch role and scenario, and filter by axis', async ({ page }) => {
  await open(page, fx.plain);
  await page.selectOption('#sel-role', { label: 'domU' });
  await page.selectOption('#sel-scenario', { label: 'balloon' });
  const domU = 'xen=3.4/kernel=6.1/format=vmlinux/arch=x86_64/role=domU/scenario=balloon';
  await expect(cell(page, domU)).toBeVisible();
  await expect(page.locator('td.cell[data-id$="scenario=boot"]')).toHaveCount(0);
  await expect(page.locator('td.cell[data-id*="role=dom0"]')).toHaveCount(0);
  // native-boot cells have no Xen and no role: one "no Xen" column
  await page.selectOption('#sel-scenario', { label: 'native-boot' });
  await expect(page.locator('thead th.xen-col')).toHaveText(['no Xen (native)']);
  await page.selectOption('#sel-scenario', { label: 'boot' });
  await expect(page.locator('thead th.xen-col')).toHaveCount(4);
  // filter: hide Xen 3.3 and every vmlinux row
  await page.locator('details.filter[data-axis="xen"] summary').click();
  await page.locator('details.filter[data-axis="xen"] label', { hasText: 'Xen 3.3' }).first().locator('input').uncheck();
  await expect(page.locator('thead th.xen-col')).toHaveCount(3);
  await expect(page.locator('td.cell[data-id^="xen=3.3/"]')).toHaveCount(0);
  await page.locator('details.filter[data-axis="xen"] summary').click();
  await page.locator('details.filter[data-axis="format"] summary').click();
  await page.locator('details.filter[data-axis="format"] label', { hasText: 'vmlinux' }).locator('input').uncheck();
  await expect(page.locator('td.cell[data-id*="format=vmlinux"]')).toHaveCount(0);
  await expect(page.locator('td.cell[data-id*="format=bzImage"]').first()).toBeVisible();
  await page.locator('details.filter[data-axis="format"] summary').click();
  // the search box narrows rows
  await page.fill('#search', '2.6.30');
  await expect(page.locator('td.cell').first()).toHaveAttribute('data-id', /kernel=2\.6\.30\//);
  await expect(page.locator('td.cell[data-id*="kernel=6.1/"]')).toHaveCount(0);
});

test('diff mode: an embedded baseline, and one loaded from a file, mark regressions and fixes', async ({ page }, info) => {
  const problems = await open(page, fx.withBaseline);
  await expect(page.locator('#baseline-status')).toHaveText('Comparing with baseline.json');
  const regressions = page.locator('#counts [data-change="regression"]');
  await expect(regressions).toBeVisible();
  const marked = page.locator('td.cell.ch-regression');
  const n = await marked.count();
  expect(n, 'the two seeds differ by some regressions').toBeGreaterThan(0);
  await expect(regressions).toHaveText(`▼ ${n} regression`);
  await page.locator('#only-changes').check();
  await expect(page.locator('td.cell:not([class*="ch-"])')).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('matrix-diff.png') });
  await marked.first().click();
  await expect(page.locator('#details')).toContainText('→ regression');

  // the plain page, with the baseline loaded through the file input
  await open(page, fx.plain);
  await expect(page.locator('td.cell[class*="ch-"]')).toHaveCount(0);
  await page.setInputFiles('#baseline-file', fx.baseline);
  await expect(page.locator('#baseline-status')).toHaveText('Comparing with baseline.json');
  await expect(page.locator('#counts [data-change="regression"]')).toHaveText(`▼ ${n} regression`);
  await expect(page.locator('#counts [data-change="fixed"]')).toBeVisible();
  // a file that is not a results.json is refused with its name
  await page.setInputFiles('#baseline-file', { name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello":1}') });
  await expect(page.locator('#baseline-status')).toHaveText(/notes\.json is not a pvmatrix results\.json/);
  expect(problems).toEqual([]);
});

test('a kernel named like markup renders as text, never as an element', async ({ page }, info) => {
  const problems = await open(page, fx.plain);
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
