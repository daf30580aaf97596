/**
 * Allure HTML generation with the real Allure 3 (Node) and allure-commandline (Allure 2,
 * Java): the slow part of the report tests, kept in a file of its own so that
 * `npm run test:fast` can leave it out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALLURE3_HISTORY, generateAllure, type AllureEngine } from '../reports/allure/generate.ts';
import { writeAllureResultsFromFile } from '../reports/allure/sink.ts';
import { NEED, present } from './support/artifacts.ts';
import { makeResults } from './support/results-fixture.ts';

const tmp = () => mkdtemp(join(tmpdir(), 'pvm-allure-'));
const bin = fileURLToPath(new URL('../bin/pvmatrix.js', import.meta.url));
const pvmatrix = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });

/** The build trend the report shows: Allure 2 keeps it in history/, Allure 3 in widgets/ (its history in history.jsonl). */
const trendOf = async (reportDir: string, engine: AllureEngine) =>
  JSON.parse(await readFile(join(reportDir, engine === 2 ? 'history' : 'widgets', 'history-trend.json'), 'utf8')) as unknown[];

for (const engine of [3, 2] as const)
  test(`Allure ${engine} carries the previous history into the next report (trends)`, { timeout: 180_000 }, async (t) => {
    if (engine === 2 && !present(t, NEED.java())) return;
    const { file } = makeResults({ xen: ['3.4'], kernels: ['2.6.30'], scenarios: ['boot'], hostile: false });
    const out = await tmp();
    const results = join(out, 'allure-results');
    const reportDir = join(out, 'allure-report');
    await writeAllureResultsFromFile(file, results);
    await generateAllure({ resultsDir: results, reportDir, engine });
    assert.equal((await trendOf(reportDir, engine)).length, 1);
    await writeAllureResultsFromFile(file, results);
    await generateAllure({ resultsDir: results, reportDir, engine });
    assert.equal((await trendOf(reportDir, engine)).length, 2, 'the second report shows two builds in its trend');
    const tests = file.cells.filter((c) => c.status !== 'skipped').length;
    if (engine === 2) {
      const history = JSON.parse(await readFile(join(reportDir, 'history', 'history.json'), 'utf8'));
      assert.ok(Object.keys(history).length >= tests, 'a history entry per cell that ran');
    } else {
      const lines = (await readFile(join(reportDir, ALLURE3_HISTORY), 'utf8')).trim().split('\n');
      assert.equal(lines.length, 2, 'one history line per report');
      assert.ok(Object.keys(JSON.parse(lines[1]!).testResults).length >= tests, 'each carrying every cell that ran');
    }
    const index = await readFile(join(reportDir, 'index.html'), 'utf8');
    assert.doesNotMatch(index, /googletagmanager|gtag\(/, 'no analytics: the report loads nothing from outside');
    assert.ok(
      (await readdir(out)).every((n) => !n.includes('.tmp') && !n.includes('.old')),
      'no temp dirs left',
    );
    await rm(out, { recursive: true });
  });

test('pvmatrix report --single-file: the Allure report, a one-file copy, and no temp dirs', { timeout: 180_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pvm-report-'));
  await writeFile(join(dir, 'results.json'), JSON.stringify(makeResults({ scenarios: ['boot'], kernels: ['6.1'] }).file));
  const r = pvmatrix(['report', '--out', dir, '--single-file']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Allure report: npx pvmatrix serve --out /, 'it ends with how to open the report');
  await stat(join(dir, 'allure-report', 'index.html'));
  await stat(join(dir, 'allure-report', ALLURE3_HISTORY));
  const single = await readFile(join(dir, 'allure-report.html'), 'utf8');
  assert.ok(single.length > 100_000 && single.includes('<html'));
  assert.deepEqual(
    (await readdir(dir)).filter((n) => /tmp|old/.test(n)),
    [],
  );
  await rm(dir, { recursive: true });
});
