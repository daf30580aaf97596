import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XenStore, XenStoreError } from '../emulator/xenstore/store.ts';

test('paths: write creates parents, read, directory, rm removes the subtree', () => {
  const s = new XenStore();
  s.write('/local/domain/1/memory/target', '131072');
  assert.equal(s.read('/local/domain/1/memory/target'), '131072');
  assert.equal(s.read('/local/domain/1/memory'), '');
  assert.deepEqual(s.directory('/local/domain/1'), ['memory']);
  s.write('/local/domain/1/name', 'd1');
  assert.deepEqual(s.directory('/local/domain/1'), ['memory', 'name']);
  s.rm('/local/domain/1/memory');
  assert.equal(s.exists('/local/domain/1/memory/target'), false);
  assert.deepEqual(s.directory('/local/domain/1'), ['name']);
  assert.throws(
    () => s.read('/local/domain/1/memory/target'),
    (e: unknown) => e instanceof XenStoreError && e.errno === 'ENOENT',
  );
  assert.throws(() => s.write('relative', 'x'), XenStoreError);
});

test('watches fire once on registration, then for the path and everything below it, with their token', () => {
  const s = new XenStore();
  const seen: string[] = [];
  s.watch('/local/domain/1/cpu', 'tok', (path, token) => seen.push(`${token}:${path}`));
  assert.deepEqual(seen, ['tok:/local/domain/1/cpu']);
  s.write('/local/domain/1/cpu/1/availability', 'online');
  s.write('/local/domain/1/cpuX', 'not below');
  s.write('/local/domain/2/cpu/1/availability', 'other domain');
  assert.deepEqual(seen.slice(1), ['tok:/local/domain/1/cpu/1/availability']);
  s.rm('/local/domain/1/cpu');
  assert.equal(seen.at(-1), 'tok:/local/domain/1/cpu');
  s.unwatch('/local/domain/1/cpu', 'tok');
  s.write('/local/domain/1/cpu/0/availability', 'online');
  assert.equal(seen.length, 3);
});

test('a watch callback that writes does not recurse: the write is delivered after it returns', () => {
  const s = new XenStore();
  const order: string[] = [];
  s.watch('/a', 'w', (p) => {
    order.push(`enter ${p}`);
    if (p === '/a/x') s.write('/a/y', '1');
    order.push(`leave ${p}`);
  });
  order.length = 0;
  s.write('/a/x', '1');
  assert.deepEqual(order, ['enter /a/x', 'leave /a/x', 'enter /a/y', 'leave /a/y']);
});

test('transactions: writes become visible together, and a conflicting commit is retried', () => {
  const s = new XenStore();
  const fired: string[] = [];
  s.watch('/local/domain/1/cpu', 't', (p) => fired.push(p));
  fired.length = 0;
  let attempts = 0;
  s.transaction((tx) => {
    attempts++;
    tx.write('/local/domain/1/cpu/0/availability', 'online');
    assert.equal(s.tryRead('/local/domain/1/cpu/0/availability'), undefined, 'not visible before commit');
    assert.equal(tx.read('/local/domain/1/cpu/0/availability'), 'online', 'visible inside the transaction');
    tx.write('/local/domain/1/cpu/1/availability', 'offline');
    if (attempts === 1) s.write('/other', 'someone else wrote in between');
  });
  assert.equal(attempts, 2);
  assert.equal(s.read('/local/domain/1/cpu/1/availability'), 'offline');
  assert.deepEqual(fired, ['/local/domain/1/cpu/0/availability', '/local/domain/1/cpu/1/availability']);
});
