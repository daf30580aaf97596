import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { xenDomain } from '../cli/xen-domain.ts';
import { expand } from '../runner/expand/expand.ts';
import { compileSelection } from '../runner/expand/select.ts';
import { parseShard } from '../runner/expand/shard.ts';
import { loadSpec } from '../runner/load/load.ts';
import { UserError } from '../contracts/errors.ts';
import { BOOT_SCENARIO, writeTree } from './support/temp-matrix.ts';

function shardsOf(files: Record<string, string>, n: number): { all: string[]; shard: Map<string, number> } {
  const spec = loadSpec(join(writeTree(files), 'matrix.yaml'), xenDomain);
  const all = [...expand(spec)].map((p) => p.cell.id);
  const shard = new Map<string, number>();
  for (let k = 1; k <= n; k++) {
    for (const p of expand(spec, { selector: compileSelection(spec, { shard: `${k}/${n}` }) })) {
      assert.equal(shard.has(p.cell.id), false, `${p.cell.id} is in shard ${shard.get(p.cell.id)} and ${k}`);
      shard.set(p.cell.id, k);
    }
  }
  return { all, shard };
}

const matrix = (xen: string[], kernels: string[]) => `
axes:
  xen: [${xen.map((x) => `"${x}"`).join(', ')}]
  kernel: [${kernels.map((x) => `"${x}"`).join(', ')}]
  format: [bzImage, vmlinux, vmlinux.gz]
  arch: [x86_32-pae, x86_64]
  role: [dom0, domU]
`;

const XENFS = 'id: xenfs\nsteps: [ { mount: { fs: xenfs, at: /proc/xen } } ]\n';

test('shards 1/3, 2/3 and 3/3 together hold every cell exactly once, in even-ish parts', () => {
  const { all, shard } = shardsOf(
    { 'matrix.yaml': matrix(['3.4', '4.0', '4.1'], ['2.6.30', '3.0', '6.1']), 'scenarios/boot.yaml': BOOT_SCENARIO },
    3,
  );
  assert.equal(all.length, 108);
  assert.deepEqual([...shard.keys()].sort(), [...all].sort());
  for (let k = 1; k <= 3; k++) {
    const size = [...shard.values()].filter((s) => s === k).length;
    assert.ok(size > 108 / 3 / 2 && size < (108 / 3) * 1.5, `shard ${k} has ${size} of 108 cells`);
  }
});

test('a cell stays on its shard when other cells come and go', () => {
  const before = shardsOf({ 'matrix.yaml': matrix(['3.4', '4.0', '4.1'], ['2.6.30', '3.0']), 'scenarios/boot.yaml': BOOT_SCENARIO }, 3);
  // Another Xen release first in the list, one kernel dropped, a new scenario.
  const after = shardsOf(
    { 'matrix.yaml': matrix(['3.3', '3.4', '4.0', '4.1'], ['3.0']), 'scenarios/boot.yaml': BOOT_SCENARIO, 'scenarios/xenfs.yaml': XENFS },
    3,
  );
  const common = before.all.filter((id) => after.shard.has(id));
  assert.equal(common.length, 3 * 1 * 3 * 2 * 2);
  for (const id of common) assert.equal(after.shard.get(id), before.shard.get(id), id);
});

test('--shard K/N is checked', () => {
  assert.deepEqual(parseShard('2/3'), { index: 2, count: 3 });
  assert.deepEqual(parseShard('1/1'), { index: 1, count: 1 });
  for (const bad of ['0/3', '4/3', '3', '1/0', 'a/b', '1/3/5', '-1/3']) {
    assert.throws(
      () => parseShard(bad),
      (e: unknown) => e instanceof UserError && /write K\/N with 1 <= K <= N/.test((e as Error).message),
      bad,
    );
  }
});
