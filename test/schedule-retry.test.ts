import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportSinks } from '../reports/sinks.ts';
import { runCommand } from '../cli/commands/run.ts';
import type { Backend } from '../contracts/backend.ts';
import { FlakyBackend, SMALL_CELLS, captureIo, smallProject } from './support/scale-doubles.ts';

type Row = { id: string; status: string; flaky: boolean; attempts: number; reason?: string };

async function run(dir: string, backend: Backend, args: string[]) {
  const io = captureIo();
  const out = join(dir, 'out');
  const code = await runCommand(['--matrix', join(dir, 'matrix.yaml'), '--out', out, '--backend', 'x', ...args], {
    io,
    backends: { x: async () => backend },
    sinks: reportSinks,
  });
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { summary: Record<string, number>; cells: Row[] };
  return { code, io, results, out };
}

const picks = (c: { axes: Record<string, string> }) => c.axes.kernel === '5.10' && c.axes.role === 'domU';

test('--retries: a cell that failed then passed is passed AND flaky, counted and shown as such, with its attempts', async () => {
  const dir = smallProject();
  const backend = new FlakyBackend(picks);
  const { code, io, results, out } = await run(dir, backend, ['--retries', '2']);
  assert.equal(code, 0);
  const flaky = results.cells.filter((c) => c.flaky);
  assert.equal(flaky.length, 8); // 4 xen x 2 formats
  for (const c of flaky) assert.deepEqual([c.status, c.attempts], ['passed', 2]);
  for (const c of results.cells.filter((c) => !c.flaky)) assert.equal(c.attempts, 1);
  assert.equal(results.summary.flaky, 8);
  assert.equal(results.summary.passed, SMALL_CELLS);
  assert.match(io.stdout, /48 passed \(8 flaky\)/);
  // A flaky cell ran twice; the others once.
  assert.equal([...backend.attempts.values()].filter((n) => n === 2).length, 8);
  // The reports carry it through the CellResult fields.
  assert.equal((readFileSync(join(out, 'junit.xml'), 'utf8').match(/name="flaky" value="passed on attempt 2"/g) ?? []).length, 8);
  const allure = readdirSync(join(out, 'allure-results'))
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => readFileSync(join(out, 'allure-results', f), 'utf8'));
  assert.equal(allure.filter((t) => t.includes('"value":"flaky"')).length, 8);
});

test('--retries: a cell that fails every attempt stays failed, with the number of attempts; without --retries it runs once', async () => {
  const dir = smallProject();
  const stubborn = new FlakyBackend(picks, 99);
  const { code, results } = await run(dir, stubborn, ['--retries', '2']);
  assert.equal(code, 1);
  const failed = results.cells.filter((c) => c.status === 'failed');
  assert.equal(failed.length, 8);
  for (const c of failed) assert.deepEqual([c.attempts, c.flaky, c.reason], [3, false, 'attempt 3 went wrong']);
  assert.equal(results.summary.flaky, 0);

  const once = new FlakyBackend(picks);
  const plain = await run(dir, once, []);
  assert.equal(plain.code, 1);
  assert.equal(plain.results.cells.filter((c) => c.status === 'failed').length, 8);
  assert.ok([...once.attempts.values()].every((n) => n === 1));
});
