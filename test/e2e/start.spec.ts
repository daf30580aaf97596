/**
 * What `npm start` gives a distro maintainer, end to end on the real default matrix: run,
 * report, then matrix.html answers "does Linux 2.6.30-rc3-tip work as dom0 on Fedora 10's
 * Xen, and if not why" in one page load and one click. The answer is checked against the
 * run's own results.json, not against a copy of the rules.
 */
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResultsFile } from '../../contracts/results.ts';
import { NO_BROWSER, openMatrix } from './support.ts';

test.skip(!!NO_BROWSER, NO_BROWSER);

const root = fileURLToPath(new URL('../../', import.meta.url));
const pvmatrix = (args: string[]) =>
  spawnSync(process.execPath, [join(root, 'bin', 'pvmatrix.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });

let out: string;
test.afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

test('from npm start: "Linux 2.6.30-rc3-tip as dom0 on Fedora 10 Xen 3.3.0: no, because ..." in one page load and one click', async ({
  page,
}, info) => {
  test.setTimeout(300_000);
  out = mkdtempSync(join(tmpdir(), 'pvm-start-'));
  // npm start's two commands, on the cells of one kernel (the whole matrix takes minutes on a loaded machine)
  const run = pvmatrix(['run', '--out', out, '--grep', 'kernel=2\\.6\\.30-rc3-tip/']);
  expect(run.status, run.stderr).toBe(0);
  const report = pvmatrix(['report', '--out', out]);
  expect(report.status, report.stderr).toBe(0);
  expect(report.stdout, 'report ends by saying how to open what it wrote').toMatch(/Allure report: npx pvmatrix serve --out \S+\n$/);

  const file = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
  const ours = file.cells.filter((c) => c.axes.kernel === '2.6.30-rc3-tip' && c.axes.xen === 'fedora10-3.3.0' && c.axes.role === 'dom0');
  const refused = [...new Set(ours.map((c) => c.scenario))].filter((s) => {
    const ran = ours.filter((c) => c.scenario === s && c.outcome !== 'skipped');
    return ran.length > 0 && ran.every((c) => c.outcome === 'unsupported');
  });
  expect(refused.length, 'the knowledge says some dom0 feature of this pair does not work').toBeGreaterThan(0);

  // one page load (the summary for dom0 is the landing view), one click
  const problems = await openMatrix(page, join(out, 'matrix.html'));
  await page.locator('td.cell.sum[data-kernel="2.6.30-rc3-tip"][data-xen="fedora10-3.3.0"]').click();
  const answer = page.locator('#answer');
  await expect(answer.locator('h2')).toHaveText(/Linux 2\.6\.30-rc3-tip as dom0 on Fedora 10 Xen 3\.3\.0: no, because$/);
  // each reason given is one the run recorded for that scenario; the scenarios named are exactly those that refused on every image
  const items = await answer.locator('.because li').allTextContents();
  expect(items.map((t) => t.split(':')[0]).sort()).toEqual([...refused].sort());
  for (const t of items) {
    const [scenario, ...rest] = t.split(': ');
    expect(ours.filter((c) => c.scenario === scenario).map((c) => c.reason)).toContain(rest.join(': '));
  }
  await page.screenshot({ path: info.outputPath('start-answer.png') });
  expect(problems).toEqual([]);
});
