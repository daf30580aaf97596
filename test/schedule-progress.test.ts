import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCommand } from '../cli/commands/run.ts';
import { createProgress } from '../runner/schedule/progress.ts';
import type { CellResult } from '../contracts/result.ts';
import { FlakyBackend, SMALL_CELLS, captureIo, smallProject } from './support/scale-doubles.ts';

const run = async (dir: string, args: string[]) => {
  const io = captureIo();
  const code = await runCommand(['--matrix', join(dir, 'matrix.yaml'), '--out', join(dir, 'out'), '--backend', 'x', ...args], {
    io,
    backends: { x: async () => new FlakyBackend((c) => c.axes.xen === '3.4' && c.axes.role === 'dom0', 9) },
    sinks: () => [],
  });
  return { code, io };
};

test('--json: one CellResult per line on stdout, every cell once; the summary on stderr', async () => {
  const { code, io } = await run(smallProject(), ['--json']);
  assert.equal(code, 1);
  const lines = io.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string; status: string });
  assert.equal(lines.length, SMALL_CELLS);
  assert.equal(new Set(lines.map((l) => l.id)).size, SMALL_CELLS);
  assert.equal(lines.filter((l) => l.status === 'failed').length, 6);
  assert.match(io.stderr, /48 cells: 42 passed, 6 failed/);
});

test('--quiet: only the summary line, no failure listing', async () => {
  const { code, io } = await run(smallProject(), ['--quiet']);
  assert.equal(code, 1);
  assert.match(io.stdout, /^48 cells: 42 passed, 6 failed, 0 broken, 0 skipped .* -> .*results\.json\n$/);
  assert.equal(io.stderr, '');
  const loud = await run(smallProject(), []);
  assert.match(loud.io.stderr, /^failed: /m);
  await assert.rejects(run(smallProject(), ['--quiet', '--json']), /--quiet and --json cannot be combined/);
});

test('progress lines (not a terminal): done/total, rate, ETA and failures, periodically', async () => {
  let text = '';
  const stream = {
    write: (t: string) => {
      text += t;
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  const p = createProgress('lines', stream, 30);
  p.total(10, 0);
  const r = (status: CellResult['status']) => ({ status, flaky: false }) as CellResult;
  for (let i = 0; i < 4; i++) p.cell(r('passed'));
  p.cell(r('failed'));
  await new Promise((done) => setTimeout(done, 80));
  p.stop();
  assert.match(text, /^progress: 5\/10 cells \(50%\), [\d,]+ cells\/s, ETA \d+ s, 1 failed, 0 broken$/m);
  const n = text.split('\n').length;
  await new Promise((done) => setTimeout(done, 80));
  assert.equal(text.split('\n').length, n, 'stop() ends the lines');
});
