/**
 * The distro maintainer's workflow of docs/walkthrough.md, as a test: examples/fedora/matrix.yaml
 * goes through the runner's own loader and expansion, its cells run on the emulator, and the
 * maintainer's own build (`our-3.3.1`: upstream 3.3.1 + named backports) is compared cell by
 * cell with the Fedora presets and with itself minus one backport (a copy of the matrix in a
 * temp dir, so that path goes through the loader too).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { xenDomain } from '../cli/xen-domain.ts';
import { Emulator } from '../emulator/index.ts';
import { expand } from '../runner/expand/expand.ts';
import type { BackendResult } from '../contracts/result.ts';
import { loadSpec } from '../runner/load/load.ts';
import { writeTree } from './support/temp-matrix.ts';

const repo = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));
const MATRIX = repo('examples/fedora/matrix.yaml');
const KERNELS_2009 = ['2.6.29-rc7-tip', '2.6.30-rc3-tip', 'xen.git-2.6.31'];

interface Ran {
  axes: Record<string, string>;
  scenario: string;
  result: BackendResult;
}

/** Loads a matrix file through the runner, expands it and runs every cell on a fresh emulator. */
async function runMatrix(file: string): Promise<Map<string, Ran>> {
  const spec = loadSpec(file, xenDomain);
  const cells = [...expand(spec)].filter((p) => !p.excluded).map((p) => p.cell);
  const em = new Emulator();
  await em.prepare(cells);
  return new Map(cells.map((c) => [c.id, { axes: c.axes, scenario: c.scenario, result: em.run(c) }]));
}

/** The example matrix with one backport line of our-3.3.1 removed, written to a temp dir. */
function withoutBackport(capability: string): string {
  const text = readFileSync(MATRIX, 'utf8');
  const line = new RegExp(`^\\s*- ${capability.replace(/\./g, '\\.')}\\b.*\\n`, 'm');
  assert.match(text, line, `examples/fedora/matrix.yaml lists the backport ${capability}`);
  // A relative path: the loader joins even an absolute one to the matrix's folder.
  const dir = writeTree({ 'matrix.yaml': '' });
  const edited = text.replace(line, '').replaceAll('../../scenarios/', `${relative(dir, repo('scenarios'))}/`);
  writeFileSync(join(dir, 'matrix.yaml'), edited);
  return join(dir, 'matrix.yaml');
}

/** Cell id with the xen value replaced, to find the same cell on another build. */
const onXen = (id: string, xen: string) => id.replace(/^xen=[^/]+\//, `xen=${xen}/`);
const cellsOf = (m: Map<string, Ran>, xen: string) => [...m].filter(([, r]) => r.axes.xen === xen);
const explain = (r: BackendResult) => `${r.outcome}: ${r.reason ?? ''}\n${r.facts.map((f) => `${f.text} [${f.source}]`).join('\n')}`;

const full = await runMatrix(MATRIX);

test('the example matrix covers the wiki question: 2009 dom0 kernels x bzImage/vmlinux/vmlinux.gz x boot/balloon', () => {
  const ours = cellsOf(full, 'our-3.3.1');
  assert.deepEqual(new Set(ours.map(([, r]) => r.axes.kernel)), new Set(KERNELS_2009));
  assert.deepEqual(new Set(ours.map(([, r]) => r.axes.format)), new Set(['bzImage', 'vmlinux', 'vmlinux.gz']));
  assert.deepEqual(new Set(ours.map(([, r]) => r.scenario)), new Set(['boot', 'balloon']));
  assert.ok(ours.every(([, r]) => r.axes.role === 'dom0'));
  for (const xen of ['fedora10-3.3.0', 'fedora11-3.3.1', '3.3.1']) assert.equal(cellsOf(full, xen).length, ours.length, xen);
});

test('vmlinux and vmlinux.gz dom0 of the 2009 trees boot on Fedora 10, Fedora 11, plain 3.3.1 and ours', () => {
  for (const [id, r] of full) {
    if (r.scenario !== 'boot' || r.axes.format === 'bzImage') continue;
    assert.equal(r.result.outcome, 'works', `${id}\n${explain(r.result)}`);
  }
});

test('Fedora 10 (3.3.0) and plain 3.3.1 cannot boot a bzImage dom0: the loader came with Xen 3.4', () => {
  for (const xen of ['fedora10-3.3.0', '3.3.1']) {
    for (const [id, r] of cellsOf(full, xen)) {
      if (r.scenario !== 'boot' || r.axes.format !== 'bzImage') continue;
      assert.equal(r.result.outcome, 'unsupported', id);
      assert.match(r.result.reason ?? '', /cannot load a bzImage dom0/, id);
      assert.match(explain(r.result), /bzImage dom0 loader in 3\.4/, id);
      assert.match(explain(r.result), /xen\/arch\/x86\/bzimage\.c/, id);
    }
  }
});

test('Fedora 11 (3.3.1 + backports) boots the same bzImage dom0s, and says which backport it owes that to', () => {
  for (const [id, r] of cellsOf(full, 'fedora11-3.3.1')) {
    if (r.scenario !== 'boot' || r.axes.format !== 'bzImage') continue;
    assert.equal(r.result.outcome, 'works', `${id}\n${explain(r.result)}`);
    assert.match(explain(r.result), /Fedora 11 backported the hypervisor's bzImage dom0 loader from Xen 3\.4/, id);
  }
  for (const [id, r] of cellsOf(full, 'our-3.3.1')) {
    if (r.scenario !== 'boot' || r.axes.format !== 'bzImage' || r.result.outcome !== 'works') continue;
    assert.match(explain(r.result), /carries a backport of hv\.dom0\.bzimage/, id);
  }
  // Upstream 3.4 has the loader by its history: nothing to owe, no facts.
  const upstream = [...cellsOf(full, '3.4')].filter(([, r]) => r.result.outcome === 'works');
  assert.ok(upstream.length > 0);
  for (const [id, r] of upstream) assert.deepEqual(r.result.facts, [], id);
});

test('balloon: xend of 3.3.0 and plain 3.3.1 reads /proc/xen/balloon, which a pv-ops dom0 lacks; Fedora 11 and ours balloon', () => {
  for (const [id, r] of full) {
    if (r.scenario !== 'balloon') continue;
    const backported = r.axes.xen === 'fedora11-3.3.1' || r.axes.xen === 'our-3.3.1' || r.axes.xen === '3.4';
    if (backported) {
      assert.equal(r.result.outcome, 'works', `${id}\n${explain(r.result)}`);
    } else {
      assert.equal(r.result.outcome, 'unsupported', id);
      assert.match(explain(r.result), /\/proc\/xen\/balloon/, id);
    }
  }
});

test('our 3.3.1 with the backports behaves like the Fedora 11 preset on every vmlinux, vmlinux.gz and balloon cell', () => {
  for (const [id, r] of cellsOf(full, 'our-3.3.1')) {
    if (r.axes.format === 'bzImage') continue;
    const fedora = full.get(onXen(id, 'fedora11-3.3.1'));
    assert.ok(fedora, `no fedora11 twin for ${id}`);
    assert.equal(r.result.outcome, fedora.result.outcome, id);
  }
});

test('our 3.3.1 with the bzImage backport boots the 2009 bzImage dom0s like Fedora 11', () => {
  for (const [id, r] of cellsOf(full, 'our-3.3.1')) {
    if (r.axes.format !== 'bzImage') continue;
    const fedora = full.get(onXen(id, 'fedora11-3.3.1'))!;
    assert.equal(r.result.outcome, fedora.result.outcome, `${id}\n${explain(r.result)}`);
  }
});

/** The ids whose outcome differs between two runs of the same cells. */
function flipped(a: Map<string, Ran>, b: Map<string, Ran>): string[] {
  assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort(), 'same cells');
  return [...a]
    .filter(([id, r]) => b.get(id)!.result.outcome !== r.result.outcome)
    .map(([id]) => id)
    .sort();
}

test("removing the xend sysfs balloon backport flips exactly our build's balloon cells, with the /proc/xen/balloon reason", async () => {
  const less = await runMatrix(withoutBackport('tools.xend.balloon-sysfs'));
  const expected = cellsOf(full, 'our-3.3.1')
    .filter(([, r]) => r.scenario === 'balloon')
    .map(([id]) => id)
    .sort();
  assert.ok(expected.length > 0);
  assert.deepEqual(flipped(full, less), expected);
  for (const id of expected) {
    assert.equal(less.get(id)!.result.outcome, 'unsupported', id);
    assert.match(explain(less.get(id)!.result), /\/proc\/xen\/balloon/, id);
  }
});

test("removing the bzImage loader backport flips exactly our build's bzImage dom0 boot cells", async () => {
  const less = await runMatrix(withoutBackport('hv.dom0.bzimage'));
  const expected = cellsOf(full, 'our-3.3.1')
    .filter(([, r]) => r.scenario === 'boot' && r.axes.format === 'bzImage')
    .map(([id]) => id)
    .sort();
  assert.deepEqual(flipped(full, less), expected);
  for (const id of expected) assert.match(less.get(id)!.result.reason ?? '', /cannot load a bzImage dom0/, id);
});

test('without the bzImage loader backport our build refuses a bzImage dom0 for the reason Fedora 10 does', async () => {
  // Holds today and after the fix: the loader itself is the first check.
  const less = await runMatrix(withoutBackport('hv.dom0.bzimage'));
  for (const [id, r] of cellsOf(less, 'our-3.3.1')) {
    if (r.scenario !== 'boot' || r.axes.format !== 'bzImage') continue;
    assert.equal(r.result.outcome, 'unsupported', id);
    assert.match(explain(r.result), /bzImage dom0 loader in 3\.4/, id);
    assert.equal(
      r.result.reason?.replace(/^.*? cannot/, ''),
      full.get(onXen(id, 'fedora10-3.3.0'))!.result.reason?.replace(/^.*? cannot/, ''),
      id,
    );
  }
});

test('upgrade-f10.yaml -> upgrade-f11.yaml (same cell ids): exactly the bzImage dom0 boots and the balloon cells flip to works', async () => {
  const f10 = await runMatrix(repo('examples/fedora/upgrade-f10.yaml'));
  const f11 = await runMatrix(repo('examples/fedora/upgrade-f11.yaml'));
  const expected = [...f10]
    .filter(([, r]) => (r.scenario === 'boot' && r.axes.format === 'bzImage') || r.scenario === 'balloon')
    .map(([id]) => id)
    .sort();
  assert.equal(expected.length, 6);
  assert.deepEqual(flipped(f10, f11), expected);
  for (const id of expected) {
    assert.equal(f10.get(id)!.result.outcome, 'unsupported', id);
    assert.equal(f11.get(id)!.result.outcome, 'works', id);
  }
});
