import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, type Page } from '@playwright/test';
import { writeMatrixHtml } from '../../reports/matrix-html/write.ts';
import { javaVersion } from '../../reports/allure/generate.ts';
import { inCI } from '../support/ci.ts';
import { makeResults } from '../support/results-fixture.ts';

export const CHROMIUM = process.env.PVMATRIX_CHROMIUM ?? '/usr/bin/chromium';
export const NO_BROWSER = existsSync(CHROMIUM)
  ? ''
  : `CHROMIUM NOT FOUND at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) to run the report browser tests`;
// In CI (.ci/run installs chromium and Java) a missing one fails the suite instead of skipping it.
if (NO_BROWSER && inCI()) throw new Error(`missing in CI: ${NO_BROWSER}`);
export const NO_JAVA = javaVersion() ? '' : 'JAVA NOT FOUND: install default-jre-headless to test the generated Allure report';
if (NO_JAVA && inCI()) throw new Error(`missing in CI: ${NO_JAVA}`);

/** A cell whose verdict the fixture's rules fix: unsupported by Xen 3.3, with a sourced fact. */
export const KNOWN = {
  id: 'xen=3.3/kernel=2.6.30/format=bzImage/compression=gzip/arch=x86_64/role=dom0/scenario=boot',
  reason: 'Xen 3.3 cannot load a bzImage dom0: the hypervisor gained its bzImage loader in 3.4',
  source: 'xen/arch/x86/bzimage.c @ RELEASE-3.4.0',
};

export interface Fixtures {
  dir: string;
  current: string;
  baseline: string;
  withBaseline: string;
  plain: string;
  /** With xenfs too (2.6.18-xen has none in the fixture's rules). */
  scenarios: string;
  scenariosHtml: string;
  /** Twenty Xen builds, as many as the default matrix has. */
  wide: string;
  /** One kernel on two Xen builds whose outcomes are set by hand (see craftedRun). */
  crafted: ReturnType<typeof craftedRun>['facts'] & { html: string };
}

/** Opens matrix.html (a path, with or without a #fragment, or a URL) and collects script errors, dialogs (an XSS would raise one) and any request off the page. */
export async function openMatrix(page: Page, where: string): Promise<string[]> {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`network request: ${r.url()}`);
  });
  const [path, hash] = where.startsWith('file:') ? [where, undefined] : where.split('#');
  await page.goto(where.startsWith('file:') ? where : `${pathToFileURL(path!).href}${hash === undefined ? '' : `#${hash}`}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  return problems;
}

/**
 * Linux 6.1 as dom0: on Xen 4.0 balloon broke on every image and xenfs refused on every
 * image, boot works; on Xen 4.1 only balloon broke.
 */
function craftedRun() {
  const { file } = makeResults({
    scenarios: ['boot', 'balloon', 'xenfs'],
    kernels: ['6.1'],
    xen: ['4.0', '4.1'],
    brokenRate: 0,
    regressionRate: 0,
    flakyRate: 0,
    hostile: false,
  });
  const brokenReason = 'timeout: no login prompt within 120s';
  const unsupportedReason = 'Linux 6.1 here has no xenfs: CONFIG_XENFS is not set';
  for (const c of file.cells) {
    if (c.axes.role !== 'dom0' || c.outcome === 'skipped') continue;
    if (c.scenario === 'balloon') Object.assign(c, { outcome: 'broken', status: 'broken', reason: brokenReason });
    if (c.scenario === 'xenfs' && c.axes.xen === '4.0')
      Object.assign(c, { outcome: 'unsupported', status: 'failed', reason: unsupportedReason });
  }
  return { file, facts: { kernel: '6.1', xen: '4.0', brokenOnlyXen: '4.1', brokenReason, unsupportedReason } };
}

/** Small runs (different seeds move a few cells both ways), as JSON and as matrix.html. */
export async function writeFixtures(): Promise<Fixtures> {
  const dir = mkdtempSync(join(tmpdir(), 'pvm-e2e-'));
  const cur = makeResults({ seed: 1 });
  const old = makeResults({ seed: 2 });
  const withXenfs = makeResults({ scenarios: ['boot', 'balloon', 'xenfs', 'native-boot'] });
  const wide = makeResults({
    xen: Array.from({ length: 20 }, (_, i) => (i < 16 ? `${3 + Math.floor(i / 6)}.${i % 6}` : `distro${i}-4.${i}`)),
    kernels: ['2.6.30', '6.1'],
  });
  const crafted = craftedRun();
  const f: Fixtures = {
    dir,
    current: join(dir, 'results.json'),
    baseline: join(dir, 'baseline.json'),
    withBaseline: join(dir, 'matrix-diff.html'),
    plain: join(dir, 'matrix.html'),
    scenarios: join(dir, 'results-xenfs.json'),
    scenariosHtml: join(dir, 'matrix-xenfs.html'),
    wide: join(dir, 'matrix-wide.html'),
    crafted: { ...crafted.facts, html: join(dir, 'matrix-crafted.html') },
  };
  writeFileSync(f.current, JSON.stringify(cur.file));
  writeFileSync(f.baseline, JSON.stringify(old.file));
  writeFileSync(f.scenarios, JSON.stringify(withXenfs.file));
  await writeMatrixHtml(f.plain, cur.file);
  await writeMatrixHtml(f.withBaseline, cur.file, { baseline: { file: old.file, label: 'baseline.json' } });
  await writeMatrixHtml(f.scenariosHtml, withXenfs.file);
  await writeMatrixHtml(f.wide, wide.file);
  await writeMatrixHtml(f.crafted.html, crafted.file);
  return f;
}
