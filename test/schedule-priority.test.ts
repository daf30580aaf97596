import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCommand } from '../cli/commands/run.ts';
import { FlakyBackend, captureIo, smallProject } from './support/scale-doubles.ts';

const failsOn = (c: { axes: Record<string, string> }) => c.axes.xen === '4.17' && c.axes.kernel === '6.1';

test('a run in a folder with a previous run starts with the cells that failed there', async () => {
  const dir = smallProject();
  const args = ['--matrix', join(dir, 'matrix.yaml'), '--out', join(dir, 'out'), '--backend', 'x'];
  const first = new FlakyBackend(failsOn, 99);
  assert.equal(await runCommand(args, { io: captureIo(), backends: { x: async () => first }, sinks: () => [] }), 1);
  const firstOrder = [...first.attempts.keys()];
  const failed = firstOrder.filter((id) => /xen=4\.17\/kernel=6\.1\//.test(id));
  assert.equal(failed.length, 4);
  assert.ok(firstOrder.indexOf(failed[0]!) > 4, 'in matrix order they were not first');

  const second = new FlakyBackend(() => false);
  assert.equal(await runCommand(args, { io: captureIo(), backends: { x: async () => second }, sinks: () => [] }), 0);
  const order = [...second.attempts.keys()];
  assert.deepEqual(new Set(order.slice(0, 4)), new Set(failed));
  // The rest keep the matrix order.
  assert.deepEqual(
    order.slice(4),
    firstOrder.filter((id) => !failed.includes(id)),
  );
  // ...and with --resume the order hints are not needed: nothing is left to run.
  const third = new FlakyBackend(() => false);
  assert.equal(await runCommand([...args, '--resume'], { io: captureIo(), backends: { x: async () => third }, sinks: () => [] }), 0);
  assert.equal(third.attempts.size, 0);
});
