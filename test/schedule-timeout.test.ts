import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../cli/commands/run.ts';
import type { Backend } from '../contracts/backend.ts';
import { HangingBackend, SlowBackend, SMALL_CELLS, captureIo, smallProject } from './support/scale-doubles.ts';

async function run(dir: string, backend: Backend, args: string[], graceMs = 100) {
  const io = captureIo();
  const code = await runCommand(['--matrix', join(dir, 'matrix.yaml'), '--out', join(dir, 'out'), '--backend', 'x', ...args], {
    io,
    backends: { x: async () => backend },
    sinks: () => [],
    graceMs,
  });
  const raw = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')) as {
    run: { partial?: boolean };
    summary: Record<string, number>;
    cells: { id: string; status: string; reason?: string }[];
  };
  return { code, io, results: raw };
}

const hangsOn = (c: { axes: Record<string, string> }) => c.axes.xen === '4.0' && c.axes.role === 'dom0' && c.axes.format === 'vmlinux';

test('--timeout: a backend that honours its signal is told to stop; its cells are broken, saying so, and the rest run', async () => {
  const dir = smallProject();
  const backend = new HangingBackend(hangsOn);
  const t0 = performance.now();
  const { code, results } = await run(dir, backend, ['--timeout', '150ms']);
  assert.ok(performance.now() - t0 < 10_000);
  assert.equal(code, 1);
  const broken = results.cells.filter((c) => c.status === 'broken');
  assert.equal(broken.length, 3); // 3 kernels
  assert.deepEqual(new Set(backend.aborted), new Set(broken.map((c) => c.id)));
  for (const c of broken) assert.match(c.reason!, /timed out after 0\.15 s \(--timeout\): hanging backend was told to stop$/);
  assert.equal(results.summary.passed, SMALL_CELLS - 3);
  assert.equal(results.cells.length, SMALL_CELLS);
});

test('--timeout: a backend that ignores its signal is abandoned after the grace period; the run still ends', async () => {
  const dir = smallProject();
  const backend = new HangingBackend(hangsOn, true);
  const { code, results } = await run(dir, backend, ['--timeout', '100ms'], 200);
  assert.equal(code, 1);
  const broken = results.cells.filter((c) => c.status === 'broken');
  assert.equal(broken.length, 3);
  for (const c of broken) assert.match(c.reason!, /timed out after 0\.1 s .*did not within 0\.2 s; its work was abandoned/);
  assert.equal(results.cells.length, SMALL_CELLS);
});

test('--run-timeout: cells in flight are broken, the rest are not run, results.json is partial, exit 1', async () => {
  const dir = smallProject();
  const { code, io, results } = await run(dir, new SlowBackend(40), ['--run-timeout', '300ms']);
  assert.equal(code, 1);
  assert.equal(results.run.partial, true);
  assert.ok(results.cells.length > 0 && results.cells.length < SMALL_CELLS, `${results.cells.length} cells`);
  const broken = results.cells.filter((c) => c.status === 'broken');
  assert.ok(broken.length >= 1 && broken.length <= 2, `${broken.length} broken`);
  for (const c of broken) assert.match(c.reason!, /the run's --run-timeout of 0\.3 s expired/);
  assert.equal(results.summary.cells, results.cells.length);
  assert.match(io.stderr, /run again with --resume/);
});

test('timeouts are validated before anything runs', async () => {
  const dir = smallProject();
  await assert.rejects(run(dir, new SlowBackend(1), ['--timeout', '5 parsecs']), /--timeout 5 parsecs: expected a duration/);
  await assert.rejects(run(dir, new SlowBackend(1), ['--retries', '-1']), /--retries/);
});
