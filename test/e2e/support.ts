import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
}

/** Two small runs (different seeds move a few cells both ways), as JSON and as matrix.html. */
export async function writeFixtures(): Promise<Fixtures> {
  const dir = mkdtempSync(join(tmpdir(), 'pvm-e2e-'));
  const cur = makeResults({ seed: 1 });
  const old = makeResults({ seed: 2 });
  const f: Fixtures = {
    dir,
    current: join(dir, 'results.json'),
    baseline: join(dir, 'baseline.json'),
    withBaseline: join(dir, 'matrix-diff.html'),
    plain: join(dir, 'matrix.html'),
  };
  writeFileSync(f.current, JSON.stringify(cur.file));
  writeFileSync(f.baseline, JSON.stringify(old.file));
  await writeMatrixHtml(f.plain, cur.file);
  await writeMatrixHtml(f.withBaseline, cur.file, { baseline: { file: old.file, label: 'baseline.json' } });
  return f;
}
