import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Server } from 'node:http';
import { makeReports } from '../../reports/report.ts';
import { serveDir } from '../../reports/serve.ts';
import { HOSTILE, makeResults } from '../support/results-fixture.ts';
import { KNOWN, NO_BROWSER } from './support.ts';

// The default Allure (3, in Node): no Java needed. --allure 2 is covered by test/allure-generate.test.ts.
test.skip(!!NO_BROWSER, NO_BROWSER);
test.describe.configure({ mode: 'serial' });

let out: string;
let server: Server | undefined;
let url: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  out = mkdtempSync(join(tmpdir(), 'pvm-allure-e2e-'));
  // small, with more failures than usual so that every category below has members
  writeFileSync(
    join(out, 'results.json'),
    JSON.stringify(makeResults({ scenarios: ['boot'], kernels: ['2.6.30', '6.1'], regressionRate: 0.1, brokenRate: 0.05 }).file),
  );
  await makeReports({ out, singleFile: true });
  ({ server, url } = await serveDir(out));
});
test.afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  if (out) rmSync(out, { recursive: true, force: true });
});

function watch(page: Page) {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return problems;
}

/**
 * Blocks and counts every request that leaves the report: anything not under `base` (the
 * served folder, or the single file's own URL) and not an inline data: or blob: URL.
 */
async function fenceOff(page: Page, base: string): Promise<string[]> {
  const outside: string[] = [];
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(base) || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
    outside.push(u);
    return route.abort('blockedbyclient');
  });
  return outside;
}

/** A node of Allure's tree by its exact name (its title also holds the counts). */
const node = (page: Page, name: string) =>
  page
    .locator('.side-by-side__left .node__name')
    .filter({ hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) })
    .first();

/** Suites tab: Xen build > kernel > image, then the cell's test (named by kernel, image, arch, role). */
async function openKnownCell(page: Page) {
  await node(page, 'Xen 3.3').click();
  await node(page, 'Linux 2.6.30').click();
  await node(page, 'bzImage (gzip)').click();
  await node(page, 'boot: Linux 2.6.30 · bzImage (gzip) · x86_64 · dom0 on Xen 3.3').click();
}

test('the single-file report opens from file://: a known cell shows its reason, source link and parameters', async ({ page }, info) => {
  const problems = watch(page);
  await page.goto(`${pathToFileURL(join(out, 'allure-report.html')).href}#suites`);
  await openKnownCell(page);
  const right = page.locator('.side-by-side__right, .test-result');
  await expect(right.getByText(KNOWN.reason).first()).toBeVisible();
  const link = right.locator(`a[href*="xenbits.xen.org"]`, { hasText: KNOWN.source });
  await expect(link).toBeVisible();
  await expect(right.getByText('fedora11-3.3.1')).toHaveCount(0);
  await expect(right.getByText('scenario').first()).toBeVisible();
  await page.screenshot({ path: info.outputPath('allure-single-file.png') });
  expect(problems).toEqual([]);
});

test('the served multi-file report: categories sort the failures, and the known cell opens', async ({ page }, info) => {
  const problems = watch(page);
  await page.goto(`${url}allure-report/index.html#categories`);
  await expect(node(page, 'Regression against the baseline')).toBeVisible();
  await expect(node(page, 'Harness or infrastructure error')).toBeVisible();
  await page.screenshot({ path: info.outputPath('allure-categories.png') });
  await page.goto(`${url}allure-report/index.html#suites`);
  await openKnownCell(page);
  await expect(page.getByText(KNOWN.reason).first()).toBeVisible();
  expect(problems).toEqual([]);
});

test('a kernel named like markup renders as text in Allure too', async ({ page }, info) => {
  const problems = watch(page);
  await page.goto(`${url}allure-report/index.html#suites`);
  await node(page, 'Xen 3.4').click();
  const hostile = node(page, HOSTILE);
  await expect(hostile).toBeVisible();
  await hostile.click();
  await node(page, 'vmlinux').click();
  await page
    .locator('.side-by-side__left .node__name', { hasText: `boot: ${HOSTILE} · vmlinux` })
    .first()
    .click();
  await expect(page.locator('.side-by-side__right').getByText(HOSTILE).first()).toBeVisible();
  await page.screenshot({ path: info.outputPath('allure-xss.png') });
  expect(await page.evaluate(() => [...document.querySelectorAll('img')].filter((i) => i.getAttribute('src') === 'x').length)).toBe(0);
  expect(problems).toEqual([]);
});

test('Allure groups cells by feature and scenario, and its search narrows the tree', async ({ page }) => {
  const problems = watch(page);
  await page.goto(`${url}allure-report/index.html#behaviors`);
  await expect(node(page, 'boot')).toBeVisible();
  await page.goto(`${url}allure-report/index.html#suites`);
  await page.locator('.search__input').fill('Linux 6.1 · bzImage (xz)');
  await node(page, 'Xen 3.4').click();
  await expect(node(page, 'Linux 6.1')).toBeVisible();
  await expect(node(page, 'Linux 2.6.30')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('the Allure report and matrix.html load nothing from outside their own files', async ({ page }) => {
  // served multi-file report: every view the tests open, with time for late scripts (analytics load async)
  let outside = await fenceOff(page, url);
  for (const view of ['', '#suites', '#categories', '#behaviors', '#graph', '#timeline']) {
    await page.goto(`${url}allure-report/index.html${view}`);
    await page.waitForLoadState('networkidle');
  }
  await page.goto(`${url}allure-report/index.html#suites`);
  await openKnownCell(page);
  await page.waitForTimeout(1000);
  expect(outside, 'requests outside the served report').toEqual([]);
  // the single file from disk
  const single = pathToFileURL(join(out, 'allure-report.html')).href;
  await page.unrouteAll();
  outside = await fenceOff(page, single);
  await page.goto(`${single}#suites`);
  await openKnownCell(page);
  await page.waitForTimeout(1000);
  expect(outside, 'requests outside the single-file report').toEqual([]);
  // matrix.html from disk, with a cell and a summary cell opened
  const matrix = pathToFileURL(join(out, 'matrix.html')).href;
  await page.unrouteAll();
  outside = await fenceOff(page, matrix);
  await page.goto(`${matrix}#cell=${KNOWN.id}`);
  await expect(page.locator('#details .cell-id')).toHaveText(KNOWN.id);
  await page.getByRole('tab', { name: 'Summary' }).click();
  await page.locator('td.cell.sum').first().click();
  await page.waitForTimeout(500);
  expect(outside, 'requests outside matrix.html').toEqual([]);
});
