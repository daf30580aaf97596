import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NamedLocks } from '../runner/schedule/locks.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

test('a named lock lets one holder in at a time, in arrival order; other names do not wait', async () => {
  const locks = new NamedLocks();
  const log: string[] = [];
  let inside = 0;
  let most = 0;
  const job = (name: string, tag: string) =>
    locks.run(name, undefined, async () => {
      inside++;
      most = Math.max(most, inside);
      log.push(`${tag}+`);
      await tick();
      log.push(`${tag}-`);
      inside--;
    });
  await Promise.all([job('console', 'a'), job('console', 'b'), job('console', 'c')]);
  assert.equal(most, 1);
  assert.deepEqual(log, ['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
  most = 0;
  await Promise.all([job('console', 'x'), job('disk', 'y')]);
  assert.equal(most, 2);
  assert.deepEqual(locks.names(), []);
});

test('a waiter whose signal aborts leaves the line without taking the lock; capacity makes a semaphore', async () => {
  const locks = new NamedLocks();
  const release = await locks.acquire('console');
  const ac = new AbortController();
  const waiting = locks.acquire('console', ac.signal);
  ac.abort(new Error('timed out'));
  await assert.rejects(waiting, /timed out/);
  release();
  const again = await locks.acquire('console');
  again();
  let inside = 0;
  let most = 0;
  await Promise.all(
    [1, 2, 3, 4].map(() =>
      locks.run(
        'usb',
        undefined,
        async () => {
          most = Math.max(most, ++inside);
          await tick();
          inside--;
        },
        2,
      ),
    ),
  );
  assert.equal(most, 2);
});
