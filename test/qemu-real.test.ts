import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createQemuBackend } from '../backends/qemu/index.ts';
import { readCell, resolveImage } from '../backends/qemu/cells.ts';
import { runSetup, SetupError } from '../backends/qemu/setup.ts';
import type { BackendResult } from '../contracts/result.ts';
import type { Cell } from '../contracts/cell.ts';
import { inCI, NEED, present, skipUnless } from './support/artifacts.ts';
import { DEBIAN_KERNEL, GRUB_I386_PV, qemuCell, SMOKE } from './support/qemu-cells.ts';
import { xenDomain } from '../cli/xen-domain.ts';

/** A native-boot cell as the runner builds it: the scenario ignores xen, role and compression. */
const nativeCell = (steps: unknown[], format = 'bzImage'): Cell => ({
  id: `kernel=6.1/format=${format}/arch=x86_64/scenario=native-boot`,
  axes: { kernel: '6.1', format, arch: 'x86_64' },
  scenario: 'native-boot',
  feature: 'native boot',
  profiles: { kernel: DEBIAN_KERNEL },
  steps: steps.map((x) => xenDomain.normaliseStep(x)),
});
const NATIVE_STEPS = [{ boot: { native: true } }, { 'guest-console': null, expect: { contains: 'on bare hardware' } }];

/**
 * The real smoke subset (CI runs it; a few minutes): Debian 12's Xen 4.17 and Linux 6.1
 * booted under QEMU TCG through the Backend interface, one boot per group, one at a time.
 */
const skip = skipUnless(NEED.qemu, NEED.xen, NEED.busybox, NEED.grubXen, NEED.kernel);

async function runGroup(cells: Cell[]): Promise<Map<string, BackendResult>> {
  const backend = createQemuBackend();
  const out = new Map<string, BackendResult>();
  const ac = new AbortController();
  for await (const { id, result } of backend.run(cells, { signal: ac.signal })) out.set(id, result);
  return out;
}

const show = (r: BackendResult | undefined) => (r ? `${r.outcome}: ${r.reason ?? ''}` : 'no result');

test('real boots: setup, then dom0 / PV domU / 32-bit PV refusal on Debian 12', { skip, timeout: 20 * 60_000 }, async (t) => {
  try {
    await runSetup(() => {});
  } catch (e) {
    if (!(e instanceof SetupError) || inCI()) throw e;
    const why = `SKIPPED: pvmatrix setup qemu cannot run here: ${e.message}`;
    console.error(`\n*** qemu-real: ${why} ***\n`);
    return t.skip(why);
  }

  await t.test('dom0: ballooning (sysfs and xl mem-set), CPU hotplug and xenfs in one boot', async () => {
    const cells = [
      qemuCell({ scenario: 'balloon', steps: [...SMOKE.dom0Balloon] }),
      qemuCell({ scenario: 'cpu-hotplug', steps: [...SMOKE.dom0CpuHotplug] }),
      qemuCell({ scenario: 'xenfs', steps: [...SMOKE.dom0Xenfs] }),
    ];
    const started = Date.now();
    const results = await runGroup(cells);
    t.diagnostic(`dom0 group: ${((Date.now() - started) / 1000).toFixed(1)} s for ${cells.length} scenarios`);
    for (const c of cells) assert.equal(results.get(c.id)?.outcome, 'works', `${c.id}: ${show(results.get(c.id))}`);
    const balloon = results.get(cells[0]!.id)!;
    assert.equal(balloon.steps.find((s) => s.title.includes('current_kb'))?.detail, '393216');
    assert.ok(
      balloon.transcript.some((l) => /\(XEN\) Xen version 4\.17/.test(l)),
      'the transcript is the real console',
    );
    // The same kernel as dom0 says where it booted: the native-boot expectation can fail.
    assert.ok(
      balloon.transcript.some((l) => /\] Booting kernel on Xen$/.test(l)),
      'dom0 booted on Xen (6.1 prints "Booting kernel on Xen")',
    );
    assert.ok(!balloon.transcript.some((l) => /on bare hardware/.test(l)));
  });

  await t.test('domU: a PV guest from the bzImage, xl mem-set and vcpu-set, mem-set above maxmem refused', async () => {
    const cell = qemuCell({ scenario: 'domu-boot', role: 'domU', format: 'bzImage', steps: [...SMOKE.domUBoot] });
    const started = Date.now();
    const r = (await runGroup([cell])).get(cell.id);
    t.diagnostic(`domU group: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.equal(r?.outcome, 'works', show(r));
    assert.match(r!.steps.at(-1)!.detail ?? '', /memory_dynamic_max must be less than or equal to memory_static_max/);
  });

  await t.test('native boot: the 6.1 bzImage under QEMU without Xen says "on bare hardware"', async () => {
    const cell = nativeCell(NATIVE_STEPS);
    const started = Date.now();
    const r = (await runGroup([cell])).get(cell.id);
    t.diagnostic(`native group: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.equal(r?.outcome, 'works', show(r));
    assert.match(r!.steps[0]!.detail ?? '', /^6\.1\.\S+ native hypervisor=none$/);
    assert.ok(
      r!.transcript.some((l) => /\] Booting paravirtualized kernel on bare hardware$/.test(l)),
      'the serial console shows it',
    );
    assert.ok(!r!.transcript.some((l) => /\(XEN\)/.test(l)), 'no hypervisor ran');
  });

  await t.test('domU devices: a vbd (loop device through blkback) and a vif (netback) hot-added, the frontends bind', async () => {
    const cell = qemuCell({
      scenario: 'device-hotplug',
      role: 'domU',
      steps: [
        { boot: null },
        { 'attach-device': { kind: 'vbd', vdev: 'xvdb' } },
        { read: '/sys/block/xvdb', expect: { exists: true, within: '5s' } },
        { 'attach-device': { kind: 'vif' } },
        { read: '/sys/class/net/eth0', expect: { exists: true, within: '5s' } },
        { 'detach-device': { kind: 'vbd', vdev: 'xvdb' } },
        { read: '/sys/block/xvdb', expect: { exists: false, within: '5s' } },
      ],
    });
    const started = Date.now();
    const r = (await runGroup([cell])).get(cell.id);
    t.diagnostic(`devices group: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.equal(r?.outcome, 'works', show(r));
  });

  await t.test("32-bit PV: grub-xen-host's grub-i386-xen.bin is refused by Debian's 4.17 (built without PV32)", async () => {
    const cell = qemuCell({
      scenario: 'pv32',
      role: 'domU',
      format: 'vmlinux',
      arch: 'x86_32-pae',
      kernelId: 'grub-i386',
      kernel: GRUB_I386_PV,
      steps: [...SMOKE.domUBootOnly],
    });
    const started = Date.now();
    const r = (await runGroup([cell])).get(cell.id);
    t.diagnostic(`pv32 group: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.equal(r?.outcome, 'unsupported', show(r));
    assert.match(r!.reason!, /xc_dom_compat_check: guest type xen-3\.0-x86_32p not supported/);
  });
});

test('cannotRun: only cells with real artifacts run', (t) => {
  const backend = createQemuBackend();
  const upstream = {
    ...qemuCell({ scenario: 'boot', steps: [{ boot: null }] }),
    profiles: { xen: { version: '3.4' }, kernel: { version: '2.6.30' } },
  };
  assert.match(backend.cannotRun!(upstream) ?? '', /no real hypervisor image/);
  const elsewhere = { ...upstream, profiles: { xen: { version: '4.17', image: '/nonexistent/xen.gz' }, kernel: { version: '6.1' } } };
  assert.match(backend.cannotRun!(elsewhere) ?? '', /\/nonexistent\/xen\.gz is not on this machine/);
  const devices = qemuCell({ scenario: 'device-hotplug', steps: [{ boot: null }, { 'attach-device': { kind: 'vbd' } }] });
  if (present(t, NEED.xen, NEED.kernel)) {
    assert.match(backend.cannotRun!(devices) ?? '', /does not attach devices to dom0 itself/);
    assert.equal(
      backend.cannotRun!(
        qemuCell({ scenario: 'device-hotplug', role: 'domU', steps: [{ boot: null }, { 'attach-device': { kind: 'vbd' } }] }),
      ),
      undefined,
      'a domU gets devices through the backends in dom0',
    );
    assert.equal(backend.cannotRun!(qemuCell({ scenario: 'boot', steps: [{ boot: null }] })), undefined);
    assert.equal(backend.cannotRun!(nativeCell(NATIVE_STEPS)), undefined, 'a native boot needs no Xen image');
    assert.match(backend.cannotRun!(nativeCell(NATIVE_STEPS, 'vmlinux')) ?? '', /native boot under QEMU takes a bzImage, not vmlinux/);
    assert.match(
      backend.cannotRun!(nativeCell([...NATIVE_STEPS, { 'xen-console': null }])) ?? '',
      /xen-console needs Xen, and a native boot has none/,
    );
    assert.match(
      backend.cannotRun!(qemuCell({ scenario: 'boot', arch: 'x86_32-pae', steps: [{ boot: null }] })) ?? '',
      /is x86_64, not x86_32-pae/,
    );
    // A Xen profile's own dom0 kernel for domU cells: used when it exists, named when it does not.
    const domU = qemuCell({ scenario: 'boot', role: 'domU', steps: [{ boot: null }] });
    const withDom0 = (dom0Image: string) => ({
      ...domU,
      profiles: { ...domU.profiles, xen: { ...(domU.profiles.xen as object), dom0Image } },
    });
    assert.match(
      backend.cannotRun!(withDom0('/nonexistent/vmlinuz-dom0')) ?? '',
      /its dom0Image \/nonexistent\/vmlinuz-dom0 is not on this machine/,
    );
    assert.equal(backend.cannotRun!(withDom0('/boot/vmlinuz-6.1.*-amd64')), undefined);
    assert.equal(readCell(withDom0('/boot/vmlinuz-6.1.*-amd64')).dom0Image, resolveImage('/boot/vmlinuz-6.1.*-amd64'));
    assert.equal(readCell(domU).dom0Image, undefined, 'no dom0Image: the host default is chosen at boot');
    assert.match(
      backend.cannotRun!({
        ...qemuCell({ scenario: 'boot', format: 'bzImage', steps: [{ boot: null }] }),
        axes: { xen: 'debian12-4.17', kernel: '6.1', format: 'bzImage', compression: 'gzip', arch: 'x86_64', role: 'dom0' },
      }) ?? '',
      /payload is xz-compressed, not gzip/,
    );
  }
  assert.equal(backend.groupKey!(qemuCell({ scenario: 'a', steps: [] })), backend.groupKey!(qemuCell({ scenario: 'b', steps: [] })));
  assert.notEqual(
    backend.groupKey!(qemuCell({ scenario: 'a', steps: [] })),
    backend.groupKey!(qemuCell({ scenario: 'a', role: 'domU', steps: [] })),
  );
});
