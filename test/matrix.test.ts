/**
 * The shipped matrix: it validates, stays nightly-sized, its "cannot exist" exclusions agree
 * with the kernel model, and a default emulator run meets every expectation (exit 0).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { xenDomain } from '../cli/xen-domain.ts';
import { Emulator } from '../emulator/index.ts';
import { expand } from '../runner/expand/expand.ts';
import { loadSpec } from '../runner/load/load.ts';

const matrixFile = fileURLToPath(new URL('../matrix.yaml', import.meta.url));
const spec = loadSpec(matrixFile, xenDomain);
const planned = [...expand(spec)];

test('the default matrix validates, with the axis values scripts rely on', () => {
  const values = (name: string) => spec.axes.find((a) => a.name === name)!.values.map((v) => v.id);
  for (const x of [
    '3.0.2',
    '3.1',
    '3.2',
    '3.3',
    '3.4',
    '4.0',
    '4.1',
    '4.2',
    '4.4',
    '4.5',
    '4.11',
    '4.14',
    '4.15',
    '4.17',
    '4.19',
    'fedora10-3.3.0',
    'fedora11-3.3.1',
    'debian12-4.17',
  ]) {
    assert.ok(values('xen').includes(x), x);
  }
  for (const k of [
    '2.6.18-xen',
    '2.6.23',
    '2.6.24',
    '2.6.26',
    '2.6.27',
    '2.6.28',
    '2.6.29',
    '2.6.30',
    '2.6.31',
    '2.6.32',
    '2.6.37',
    '2.6.38',
    '3.0',
    '3.5',
    '3.11',
    '4.19',
    '5.8',
    '5.10',
    '6.1',
    '2.6.29-rc7-tip',
    '2.6.30-rc3-tip',
    'xen.git-2.6.31',
  ]) {
    assert.ok(values('kernel').includes(k), k);
  }
  const debug = spec.axes.find((a) => a.name === 'xen')!.values.filter((v) => (v.profile as { debug?: boolean }).debug === true);
  assert.ok(debug.length >= 1, 'at least one debug build ships');
  assert.deepEqual(spec.scenarios.map((s) => s.id).sort(), [
    'balloon',
    'boot',
    'cpu-hotplug',
    'device-hotplug',
    'device-unplug',
    'earlyprintk',
    'native-boot',
    'xenfs',
  ]);
  // Preset profiles resolve their version, so that ranges such as xen: "<3.4" apply to them.
  const f11 = spec.axes.find((a) => a.name === 'xen')!.byId.get('fedora11-3.3.1')!;
  assert.deepEqual(f11.version?.parts, [3, 3, 1]);
});

test('the nightly stays useful: tens of thousands of cells at most', () => {
  assert.ok(planned.length >= 15000 && planned.length <= 25000, `${planned.length} cells`);
  const native = planned.filter((p) => p.cell.scenario === 'native-boot');
  assert.ok(
    native.every((p) => p.cell.axes.xen === undefined && p.cell.axes.role === undefined),
    'native-boot ignores xen and role',
  );
  assert.ok(planned.filter((p) => p.cell.scenario.startsWith('device-')).every((p) => p.cell.axes.role === 'domU'));
});

test('every excluded "cannot exist" cell is one the kernel model cannot build either', async () => {
  const excluded = planned.filter((p) => p.excluded);
  assert.ok(excluded.length > 0);
  const em = new Emulator();
  await em.prepare(excluded.map((p) => p.cell));
  for (const p of excluded) {
    const r = em.run(p.cell);
    assert.equal(r.outcome, 'skipped', `${p.cell.id}: excluded (${p.excluded!.reason}) but the emulator says ${r.outcome}: ${r.reason}`);
    assert.ok(r.facts.length > 0, p.cell.id);
  }
});

test('a default run on the emulator meets every expectation, and every non-working cell names its facts', async () => {
  const cells = planned.filter((p) => !p.excluded);
  const em = new Emulator();
  await em.prepare(cells.map((p) => p.cell));
  const failed: string[] = [];
  let unsupported = 0;
  let works = 0;
  for (const p of cells) {
    const r = em.run(p.cell);
    if (r.outcome === 'works') works++;
    if (r.outcome === 'unsupported') {
      unsupported++;
      assert.ok(r.reason && r.facts.length > 0, `${p.cell.id}: unsupported without reason or facts`);
      assert.ok(r.facts.every((f) => f.source.length > 0));
    }
    const ok = r.outcome === p.expected && (!p.because || p.because.test(r.reason ?? ''));
    if (!ok) failed.push(`${p.cell.id}: expected ${p.expected} (${p.expectedFrom}), got ${r.outcome}: ${r.reason}`);
  }
  assert.deepEqual(failed.slice(0, 20), [], `${failed.length} cells disagree with their expectation`);
  assert.ok(works > 1000 && unsupported > 1000, `${works} works, ${unsupported} unsupported`);
});
