/**
 * Debian 12's real Xen 4.17 and Linux 6.1, read from /boot: the emulator's verdicts must be
 * what research/realboot.md saw when booting them under QEMU.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emulator } from '../emulator/index.ts';
import { makeCell, steps, type CellSpec } from './support/emulator-cells.ts';

import { debianXen, NEED, skipUnless } from './support/artifacts.ts';

const skip = skipUnless(NEED.kernel, NEED.kernelConfig, NEED.xen, NEED.xenConfig);

const debian = { xen: 'debian12-4.17', kernel: '6.1', arch: 'x86_64' } as const;

async function run(...specs: CellSpec[]) {
  const em = new Emulator();
  const cells = specs.map(makeCell);
  await em.prepare(cells);
  return { em, results: cells.map((c) => em.run(c)) };
}

test('the profiles read the real files: Xen 4.17.x release build without PV32, Linux 6.1 xz bzImage', { skip }, async () => {
  const { em } = await run({ ...debian, role: 'dom0', format: 'bzImage', compression: 'xz', scenario: 'boot' });
  const xen = em.xenBuild('debian12-4.17')!;
  assert.match(xen.fullVersion, /^4\.17\.\d+/);
  assert.equal(xen.debug, false);
  assert.equal(xen.pv32, false);
  const k = em.kernel('6.1')!;
  assert.match(k.release, /^6\.1\.\d+-\d+-amd64$/);
  assert.equal(k.real?.image?.kind, 'bzImage');
  assert.equal(k.real?.image?.bzImage?.compression, 'xz');
  assert.equal(k.config('x86_64').value('XEN_DOM0'), 'y');
  assert.equal(k.config('x86_64').value('XENFS'), 'm');
});

test('dom0 boots from the bzImage (real xz) and from vmlinux; balloon, CPU hotplug and xenfs work', { skip }, async () => {
  const capabilities = steps([
    { boot: null },
    { mount: { fs: 'xenfs', at: '/proc/xen' } },
    { read: '/proc/xen/capabilities', expect: { equals: 'control_d' } },
    { read: '/proc/xen/privcmd', expect: { exists: true } },
  ]);
  const { results } = await run(
    { ...debian, role: 'dom0', format: 'bzImage', compression: 'xz', scenario: 'boot' },
    { ...debian, role: 'dom0', format: 'vmlinux', scenario: 'boot' },
    { ...debian, role: 'dom0', format: 'vmlinux', scenario: 'balloon' },
    { ...debian, role: 'dom0', format: 'vmlinux', scenario: 'cpu-hotplug' },
    { ...debian, role: 'dom0', format: 'vmlinux', scenario: capabilities },
  );
  for (const r of results) assert.equal(r.outcome, 'works', r.reason);
  assert.ok(results[0]!.transcript.some((l) => l.startsWith('(XEN) Xen version 4.17')));
  assert.ok(results[0]!.transcript.some((l) => l === '(XEN) *** Building a PV Dom0 ***'));
  assert.ok(!results[0]!.transcript.some((l) => l.startsWith('# ')), 'the real file is used as it is, not modelled');
  assert.ok(
    results[1]!.transcript.some((l) => /modelled|models the same kernel rebuilt as vmlinux/.test(l)),
    'vmlinux is the same kernel, rebuilt',
  );
});

test('PV domUs from bzImage, vmlinux.gz and vmlinux boot; mem-set and vcpu-set work; above maxmem is refused', { skip }, async () => {
  const above = steps([
    { boot: { memory: '128M', maxmem: '256M' } },
    { 'set-memory': { target: '200M' } },
    { read: '/sys/devices/system/xen_memory/xen_memory0/info/current_kb', expect: { equals: 204800, within: '5s' } },
    { 'set-memory': { target: '300M' }, expect: { refused: true } },
  ]);
  const { results } = await run(
    { ...debian, role: 'domU', format: 'bzImage', compression: 'xz', scenario: 'boot' },
    { ...debian, role: 'domU', format: 'vmlinux.gz', scenario: 'boot' },
    { ...debian, role: 'domU', format: 'vmlinux', scenario: 'boot' },
    { ...debian, role: 'domU', format: 'vmlinux', scenario: 'balloon' },
    { ...debian, role: 'domU', format: 'vmlinux', scenario: 'cpu-hotplug' },
    { ...debian, role: 'domU', format: 'vmlinux', scenario: above },
  );
  for (const r of results) assert.equal(r.outcome, 'works', r.reason);
  const refusal = results[5]!.steps[3]!;
  assert.match(refusal.detail!, /above the domain's maximum/);
  assert.ok(
    results[5]!.transcript.some((l) =>
      l.includes('libxl_set_memory_target: Domain 1:memory_dynamic_max must be less than or equal to memory_static_max'),
    ),
  );
});

test('32-bit PV guests are refused with the xc_dom_compat_check error; domU earlyprintk stays off a release Xen', { skip }, async () => {
  const { results } = await run(
    { ...debian, kernel: '3.0', arch: 'x86_32-pae', role: 'domU', scenario: 'boot' },
    { ...debian, role: 'domU', format: 'vmlinux', scenario: 'earlyprintk' },
  );
  const [pv32, early] = results;
  assert.equal(pv32!.outcome, 'unsupported');
  assert.match(pv32!.reason!, /32-bit PV/);
  assert.ok(
    pv32!.transcript.some(
      (l) =>
        l ===
        'xc: error: panic: xg_dom_boot.c:86: xc_dom_compat_check: guest type xen-3.0-x86_32p not supported by xen kernel, sorry: Invalid kernel',
    ),
    pv32!.transcript.join('\n'),
  );
  assert.ok(pv32!.facts.some((f) => f.source.includes(debianXen!.config!)));
  assert.equal(early!.outcome, 'unsupported');
  assert.match(early!.reason!, /release build/);
});
