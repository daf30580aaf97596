/**
 * Allure HTML generation with the real allure-commandline (Java): the slow part of the
 * report tests, kept in a file of its own so that `npm run test:fast` can leave it out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateAllure } from '../reports/allure/generate.ts';
import { writeAllureResultsFromFile } from '../reports/allure/sink.ts';
import { NEED, present } from './support/artifacts.ts';
import { makeResults } from './support/results-fixture.ts';

const tmp = () => mkdtemp(join(tmpdir(), 'pvm-allure-'));
const bin = fileURLToPath(new URL('../bin/pvmatrix.js', import.meta.url));
const pvmatrix = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });

test('allure generate carries the previous history into the next report (trends)', { timeout: 120_000 }, async (t) => {
  if (!present(t, NEED.java())) return;
  const { file } = makeResults({ xen: ['3.4'], kernels: ['2.6.30'], scenarios: ['boot'], hostile: false });
  const out = await tmp();
  const results = join(out, 'allure-results');
  const reportDir = join(out, 'allure-report');
  await writeAllureResultsFromFile(file, results);
  await generateAllure({ resultsDir: results, reportDir });
  const first = JSON.parse(await readFile(join(reportDir, 'history', 'history-trend.json'), 'utf8'));
  assert.equal(first.length, 1);
  await writeAllureResultsFromFile(file, results);
  await generateAllure({ resultsDir: results, reportDir });
  const second = JSON.parse(await readFile(join(reportDir, 'history', 'history-trend.json'), 'utf8'));
  assert.equal(second.length, 2, 'the second report shows two builds in its trend');
  const history = JSON.parse(await readFile(join(reportDir, 'history', 'history.json'), 'utf8'));
  assert.equal(Object.keys(history).length, file.cells.length, 'one history entry per cell');
  assert.ok(
    (await readdir(out)).every((n) => !n.includes('.tmp') && !n.includes('.old')),
    'no temp dirs left',
  );
  await rm(out, { recursive: true });
});

test('pvmatrix report --single-file: the Allure report, a one-file copy, and no temp dirs', { timeout: 180_000 }, async (t) => {
  if (!present(t, NEED.java())) return;
  const dir = await mkdtemp(join(tmpdir(), 'pvm-report-'));
  await writeFile(join(dir, 'results.json'), JSON.stringify(makeResults({ scenarios: ['boot'], kernels: ['6.1'] }).file));
  const r = pvmatrix(['report', '--out', dir, '--single-file']);
  assert.equal(r.status, 0, r.stderr);
  await stat(join(dir, 'allure-report', 'index.html'));
  await stat(join(dir, 'allure-report', 'history', 'history.json'));
  const single = await readFile(join(dir, 'allure-report.html'), 'utf8');
  assert.ok(single.length > 100_000 && single.includes('<html'));
  assert.deepEqual(
    (await readdir(dir)).filter((n) => /tmp|old/.test(n)),
    [],
  );
  await rm(dir, { recursive: true });
});
