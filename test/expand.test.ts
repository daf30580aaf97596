import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { xenDomain } from '../cli/xen-domain.ts';
import { expand } from '../runner/expand/expand.ts';
import { compileSelection, type Selection } from '../runner/expand/select.ts';
import { loadSpec } from '../runner/load/load.ts';
import { UserError } from '../contracts/errors.ts';
import { verdict } from '../runner/results/verdict.ts';
import type { Outcome } from '../contracts/outcome.ts';
import { BOOT_SCENARIO, writeTree } from './support/temp-matrix.ts';
import { normaliseStep } from '../domain/steps/normalise.ts';

function specOf(files: Record<string, string>) {
  const dir = writeTree(files);
  return loadSpec(join(dir, 'matrix.yaml'), xenDomain);
}

function cells(files: Record<string, string>, selection?: Selection, baseline?: Map<string, Outcome>) {
  const spec = specOf(files);
  return [...expand(spec, { selector: selection ? compileSelection(spec, selection) : undefined, baseline })];
}

const ids = (list: { cell: { id: string } }[]) => list.map((p) => p.cell.id);

const MATRIX = `
axes:
  xen: ["3.3", "3.4", fedora11-3.3.1, "4.17"]
  kernel: ["2.6.18", "2.6.30"]
  format: [bzImage, vmlinux]
  compression:
    values: [gzip, xz]
    when: { format: bzImage }
  role: [dom0, domU]
profiles:
  xen:
    fedora11-3.3.1: { preset: fedora11-3.3.1, version: "3.3.1" }
`;

test('the cross product in axis order, with readable ids; a conditional axis only where its when matches', () => {
  const list = cells({ 'matrix.yaml': MATRIX, 'scenarios/boot.yaml': BOOT_SCENARIO });
  // 4 xen x 2 kernels x (bzImage x 2 compressions + vmlinux) x 2 roles
  assert.equal(list.length, 4 * 2 * 3 * 2);
  assert.deepEqual(ids(list).slice(0, 6), [
    'xen=3.3/kernel=2.6.18/format=bzImage/compression=gzip/role=dom0/scenario=boot',
    'xen=3.3/kernel=2.6.18/format=bzImage/compression=gzip/role=domU/scenario=boot',
    'xen=3.3/kernel=2.6.18/format=bzImage/compression=xz/role=dom0/scenario=boot',
    'xen=3.3/kernel=2.6.18/format=bzImage/compression=xz/role=domU/scenario=boot',
    'xen=3.3/kernel=2.6.18/format=vmlinux/role=dom0/scenario=boot',
    'xen=3.3/kernel=2.6.18/format=vmlinux/role=domU/scenario=boot',
  ]);
  assert.equal(new Set(ids(list)).size, list.length);
  const vmlinux = list.find((p) => p.cell.axes.format === 'vmlinux')!;
  assert.equal('compression' in vmlinux.cell.axes, false);
  // Profiles travel with the cell: declared ones and the domain's implicit ones.
  const fedora = list.find((p) => p.cell.axes.xen === 'fedora11-3.3.1')!;
  assert.deepEqual(fedora.cell.profiles.xen, { preset: 'fedora11-3.3.1', version: '3.3.1' });
  assert.deepEqual(fedora.cell.profiles.kernel, { version: '2.6.18', tree: 'mainline' });
  assert.equal(fedora.cell.profiles.role, undefined);
  assert.deepEqual(fedora.cell.steps, [normaliseStep({ boot: {} })], 'the steps as the domain normalised them');
  // Without rules, every cell is expected to work.
  assert.ok(list.every((p) => p.expected === 'works' && p.expectedFrom === 'default' && !p.excluded));
});

test('scenario applies and ignores: ignored axes are absent and never duplicate a cell', () => {
  const list = cells({
    'matrix.yaml': MATRIX,
    'scenarios/boot.yaml': BOOT_SCENARIO,
    'scenarios/native.yaml': `
      id: native
      feature: native boot
      applies: { format: bzImage }
      ignores: [xen, role]
      steps: [ { boot: { native: true } } ]
    `,
  });
  const native = list.filter((p) => p.cell.scenario === 'native');
  assert.deepEqual(ids(native), [
    'kernel=2.6.18/format=bzImage/compression=gzip/scenario=native',
    'kernel=2.6.18/format=bzImage/compression=xz/scenario=native',
    'kernel=2.6.30/format=bzImage/compression=gzip/scenario=native',
    'kernel=2.6.30/format=bzImage/compression=xz/scenario=native',
  ]);
  assert.equal(native[0]!.cell.feature, 'native boot');
  assert.equal(native[0]!.cell.profiles.xen, undefined);
  assert.equal(list.length, 48 + 4);
});

test('include keeps only matching cells; exclude keeps cells as skipped with reason and source', () => {
  const list = cells({
    'matrix.yaml': `${MATRIX}
include:
  - when: { role: dom0 }
  - when: { xen: "4.17" }
exclude:
  - when: { format: bzImage, xen: "<3.4" }
    unless: { xen: fedora11-3.3.1 }
    reason: Xen before 3.4 has no bzImage loader
    source: xen/arch/x86/bzimage.c
  - when: { format: bzImage }
    reason: second rule, shadowed for the cells the first one takes
`,
    'scenarios/boot.yaml': BOOT_SCENARIO,
  });
  // dom0 everywhere (24) + domU only on 4.17 (6).
  assert.equal(list.length, 24 + 6);
  assert.ok(list.every((p) => p.cell.axes.role === 'dom0' || p.cell.axes.xen === '4.17'));
  const old = list.find((p) => p.cell.id === 'xen=3.3/kernel=2.6.30/format=bzImage/compression=xz/role=dom0/scenario=boot')!;
  assert.deepEqual(old.excluded, {
    reason: 'Xen before 3.4 has no bzImage loader',
    source: 'xen/arch/x86/bzimage.c',
    from: 'matrix.yaml:17',
  });
  assert.equal(old.expected, 'skipped');
  // `unless` spares the Fedora build (version 3.3.1 < 3.4) from the first rule; the second takes it.
  const fedora = list.find((p) => p.cell.axes.xen === 'fedora11-3.3.1' && p.cell.axes.format === 'bzImage')!;
  assert.equal(fedora.excluded?.from, 'matrix.yaml:21');
  assert.ok(list.filter((p) => p.cell.axes.format === 'vmlinux').every((p) => !p.excluded));
});

test('expect: last matching rule wins, unless, version ranges from profiles, because; baseline overrides', () => {
  const files = {
    'matrix.yaml': `${MATRIX}
expect:
  - when: { role: dom0, format: bzImage, xen: "<3.4" }
    outcome: unsupported
    because: bzImage
  - when: { xen: "3.3..3.3.9", kernel: "2.6.30" }
    unless: { role: domU }
    outcome: broken
  - when: { scenario: boot, xen: "!3.3", kernel: "2.6.18", role: dom0, format: bzImage, compression: xz }
    outcome: works
`,
    'scenarios/boot.yaml': BOOT_SCENARIO,
  };
  const byId = new Map(cells(files).map((p) => [p.cell.id, p]));
  const get = (id: string) => byId.get(id)!;
  const a = get('xen=3.3/kernel=2.6.18/format=bzImage/compression=gzip/role=dom0/scenario=boot');
  assert.deepEqual([a.expected, a.expectedFrom, a.because?.source], ['unsupported', 'matrix.yaml:14', 'bzImage']);
  // fedora11-3.3.1 has version 3.3.1: it is < 3.4 and inside 3.3..3.3.9; the later rule wins for 2.6.30.
  assert.deepEqual([get('xen=fedora11-3.3.1/kernel=2.6.30/format=bzImage/compression=gzip/role=dom0/scenario=boot').expected], ['broken']);
  assert.equal(get('xen=fedora11-3.3.1/kernel=2.6.30/format=bzImage/compression=gzip/role=domU/scenario=boot').expected, 'works');
  assert.equal(get('xen=fedora11-3.3.1/kernel=2.6.18/format=bzImage/compression=xz/role=dom0/scenario=boot').expected, 'works');
  assert.equal(
    get('xen=fedora11-3.3.1/kernel=2.6.18/format=bzImage/compression=xz/role=dom0/scenario=boot').expectedFrom,
    'matrix.yaml:20',
  );
  assert.equal(get('xen=3.4/kernel=2.6.18/format=bzImage/compression=gzip/role=dom0/scenario=boot').expectedFrom, 'default');

  const baseline = new Map<string, Outcome>([
    [a.cell.id, 'works'],
    ['xen=3.4/kernel=2.6.18/format=vmlinux/role=dom0/scenario=boot', 'broken'],
  ]);
  const withBaseline = new Map(cells(files, undefined, baseline).map((p) => [p.cell.id, p]));
  assert.deepEqual([withBaseline.get(a.cell.id)!.expected, withBaseline.get(a.cell.id)!.expectedFrom], ['works', 'baseline']);
  // A broken baseline cell says nothing about what to expect: the rules stand.
  assert.equal(withBaseline.get('xen=3.4/kernel=2.6.18/format=vmlinux/role=dom0/scenario=boot')!.expectedFrom, 'default');
});

test('verdict: outcome against expectation, because against the reason', () => {
  assert.equal(verdict('works', 'works', undefined), 'passed');
  assert.equal(verdict('unsupported', 'works', 'no'), 'failed');
  assert.equal(verdict('works', 'unsupported', undefined), 'failed');
  assert.equal(verdict('unsupported', 'unsupported', 'Xen 3.3 has no bzImage loader', /bzImage/), 'passed');
  assert.equal(verdict('unsupported', 'unsupported', 'out of memory', /bzImage/), 'failed');
  assert.equal(verdict('broken', 'broken', 'timeout'), 'broken');
  assert.equal(verdict('skipped', 'works', 'excluded'), 'skipped');
});

test('selection: --filter ORs values of an axis and ANDs axes, takes conditions; --scenario; --grep', () => {
  const files = {
    'matrix.yaml': MATRIX,
    'scenarios/boot.yaml': BOOT_SCENARIO,
    'scenarios/xenfs.yaml': 'id: xenfs\nsteps: [ { mount: { fs: xenfs, at: /proc/xen } } ]\n',
  };
  const all = cells(files);
  const pick = (sel: Selection) => ids(cells(files, sel));
  const expected = (f: (p: (typeof all)[number]) => boolean) => ids(all.filter(f));
  assert.deepEqual(
    pick({ filters: ['xen=3.4,4.17', 'role=dom0'] }),
    expected((p) => ['3.4', '4.17'].includes(p.cell.axes.xen!) && p.cell.axes.role === 'dom0'),
  );
  assert.deepEqual(
    pick({ filters: ['xen=3.4', 'xen=4.17'] }),
    expected((p) => ['3.4', '4.17'].includes(p.cell.axes.xen!)),
  );
  assert.deepEqual(
    pick({ filters: ['xen=<3.4'] }),
    expected((p) => ['3.3', 'fedora11-3.3.1'].includes(p.cell.axes.xen!)),
  );
  assert.deepEqual(
    pick({ filters: ['compression=xz'] }),
    expected((p) => p.cell.axes.compression === 'xz'),
  );
  assert.deepEqual(
    pick({ scenarios: ['xenfs'] }),
    expected((p) => p.cell.scenario === 'xenfs'),
  );
  assert.deepEqual(pick({ scenarios: ['xenfs,boot'] }).length, all.length);
  assert.deepEqual(
    pick({ grep: 'kernel=2\\.6\\.30/format=vmlinux/role=domU' }),
    expected((p) => /kernel=2\.6\.30\/format=vmlinux\/role=domU/.test(p.cell.id)),
  );
  assert.equal(pick({ filters: ['role=!dom0'], scenarios: ['boot'], grep: 'xen=4' }).length, 6);
});

test('selection mistakes are user errors with a did-you-mean', () => {
  const spec = specOf({ 'matrix.yaml': MATRIX, 'scenarios/boot.yaml': BOOT_SCENARIO });
  const err = (sel: Selection) => {
    try {
      compileSelection(spec, sel);
    } catch (e) {
      assert.ok(e instanceof UserError);
      return e.message;
    }
    assert.fail('accepted');
  };
  assert.equal(
    err({ filters: ['rol=dom0'] }),
    '--filter rol=dom0: unknown axis "rol" (did you mean "role"?); axes: xen, kernel, format, compression, role, scenario',
  );
  assert.equal(
    err({ filters: ['xen=3.5'] }),
    '--filter xen=3.5: "3.5" is not a value of axis xen (did you mean "3.3"?); values: 3.3, 3.4, fedora11-3.3.1, 4.17',
  );
  assert.equal(err({ filters: ['xen'] }), '--filter xen: write AXIS=VALUE[,VALUE...], e.g. --filter xen=3.4,4.0');
  assert.equal(err({ scenarios: ['bot'] }), '--scenario: no scenario has the id "bot" (did you mean "boot"?); scenarios: boot');
  assert.match(err({ grep: '(' }), /^--grep \(: not a regular expression RE2 can take: missing closing \)/);
  assert.match(err({ shard: '0/3' }), /^--shard 0\/3: write K\/N/);
});
