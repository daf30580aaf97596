/**
 * No cell can run forever (issue 13): the emulator waits in virtual time, so `within` and
 * `sleep` advance a clock instead of looping, and the cell's --timeout bounds that clock.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Emulator } from '../emulator/index.ts';
import { runSteps } from '../emulator/scenario/interpreter.ts';
import { MAX_TIMER_MS } from '../lib/units.ts';
import { bootedPlatform, makeCell, steps } from './support/emulator-cells.ts';
import { pvmatrix } from './support/spawn-cli.ts';
import { writeTree } from './support/temp-matrix.ts';

const FOREVER = '99999999m';

async function runCell(raw: unknown[], kernel: string, timeoutMs?: number) {
  const cell = makeCell({ xen: '4.17', kernel, arch: 'x86_64', role: 'domU', scenario: steps(raw) });
  const em = new Emulator();
  await em.prepare([cell]);
  return em.run(cell, { timeoutMs });
}

test('a within that never holds ends at the cell --timeout, broken, and the steps before it stand', async () => {
  const r = await runCell(
    [{ boot: null }, { 'guest-console': null, expect: { contains: 'never printed', within: FOREVER } }],
    '6.1',
    10_000,
  );
  assert.equal(r.outcome, 'broken');
  assert.match(r.reason!, /^guest-console: timed out after 10 s \(--timeout\) on the emulator's virtual clock$/);
  assert.deepEqual(
    r.steps.map((s) => s.status),
    ['passed', 'broken'],
  );
});

test('a sleep past the --timeout ends there too; one within it just advances the clock', async () => {
  const long = await runCell([{ boot: null }, { sleep: FOREVER }, { 'guest-console': null }], '6.1', 60_000);
  assert.equal(long.outcome, 'broken');
  assert.match(long.reason!, /^sleep 99999999m: timed out after 60 s/);
  assert.deepEqual(
    long.steps.map((s) => s.status),
    ['passed', 'broken', 'skipped'],
  );
  const short = await runCell(
    [{ boot: null }, { sleep: '59s' }, { 'guest-console': null, expect: { contains: 'Linux version' } }],
    '6.1',
    60_000,
  );
  assert.equal(short.outcome, 'works', short.reason);
});

test('without --timeout the clock stops at the longest a cell may run, even with a timer that never stops', async () => {
  // The worst case for a waiting step: a model timer that never stops (as a frontend retrying
  // to end a grant that stays mapped). The wait still ends, at 596h of virtual time.
  const p = await bootedPlatform();
  let ticks = 0;
  const tick = () => {
    ticks++;
    p.timers.after(10_000, tick);
  };
  p.timers.after(10_000, tick);
  const r = runSteps(p, steps([{ 'guest-console': null, expect: { contains: 'never printed', within: FOREVER } }]), {});
  assert.equal(r.outcome, 'broken');
  assert.match(r.reason!, /^guest-console: the emulator's virtual clock reached 596h, the longest a cell may run/);
  assert.equal(ticks, Math.floor(MAX_TIMER_MS / 10_000), 'every tick up to the limit fired, none after');
});

test('run --timeout: a scenario that waits 99999999m is one broken cell, and the run ends', () => {
  const dir = writeTree({
    'matrix.yaml': 'axes:\n  xen: ["4.17"]\n  kernel: ["6.1"]\n  format: [bzImage]\n  role: [domU]\n',
    'scenarios/wait.yaml': `id: wait\nsteps:\n  - boot: {}\n  - guest-console:\n    expect: { contains: never printed, within: ${FOREVER} }\n`,
  });
  const r = pvmatrix(['run', '--matrix', join(dir, 'matrix.yaml'), '--out', join(dir, 'out'), '--timeout', '30s', '--quiet'], dir);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout + r.stderr, /1 broken/);
});
