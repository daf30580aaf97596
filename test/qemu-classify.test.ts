import assert from 'node:assert/strict';
import { test } from 'node:test';
import { xenDomain } from '../cli/xen-domain.ts';
import type { Step } from '../domain/steps/schema.ts';
import { scenarioResult, xenConsole } from '../backends/qemu/results.ts';
import type { ScenarioPlan } from '../backends/qemu/translate.ts';
import { cutAt, loadSerialLog } from './support/qemu-fixtures.ts';
import { SMOKE } from './support/qemu-cells.ts';

/**
 * Classification on serial logs recorded from real boots (Debian 12's Xen 4.17 + Linux 6.1
 * under QEMU TCG, on a busy 2-core host; see test/fixtures/qemu/README.md). Each plan holds
 * the steps the log was recorded with.
 */
const fixture = (name: string) => loadSerialLog(new URL(`./fixtures/qemu/${name}`, import.meta.url).pathname);
const steps = (raw: readonly unknown[]) => raw.map((s) => xenDomain.normaliseStep(s) as Step);
const CPU = '/sys/devices/system/cpu';
const SRC = 'recorded boot';

const dom0Plans = (): ScenarioPlan[] =>
  [SMOKE.dom0Balloon, SMOKE.dom0CpuHotplug, SMOKE.dom0Xenfs].map((raw, index) => ({ index, role: 'dom0', axes: {}, steps: steps(raw) }));

test('dom0 on real Xen 4.17: ballooning (sysfs and xl mem-set), CPU hotplug and xenfs all work', () => {
  const boot = fixture('dom0-balloon-cpu-xenfs.serial');
  const [balloon, cpu, xenfs] = dom0Plans().map((p) => scenarioResult(p, boot, SRC));
  for (const r of [balloon!, cpu!, xenfs!]) assert.equal(r.outcome, 'works', r.reason);
  assert.equal(balloon!.steps[3]!.detail, '393216', 'the balloon went down by 128 MiB');
  assert.match(balloon!.steps[0]!.detail!, /6\.1\.0-56-amd64 guest_type=PV xen=4\.17\.7/);
  assert.equal(cpu!.steps[3]!.detail, '0', 'cpu1 went offline');
  assert.equal(xenfs!.steps[3]!.detail, 'control_d');
  assert.ok(xenfs!.steps.every((s) => s.status === 'passed'));
  assert.ok(!xenfs!.transcript.some((l) => l.includes('@@PVM D ')), 'base64 data lines stay out of the transcript');
});

test('the host decides expectations itself: a value the agent accepted still fails a different expectation', () => {
  const plans = dom0Plans();
  plans[1]!.steps = [
    ...plans[1]!.steps.slice(0, 1),
    steps([{ read: `${CPU}/present`, expect: { equals: '0-3' } }])[0]!,
    ...plans[1]!.steps.slice(1 + 1),
  ];
  const r = scenarioResult(plans[1]!, fixture('dom0-balloon-cpu-xenfs.serial'), SRC);
  assert.equal(r.outcome, 'unsupported');
  assert.match(r.reason!, /expected "0-3", saw "0-1\\n"/);
});

test('a PV domU from the bzImage: created, ballooned with xl mem-set, vCPU hot-added, mem-set above maxmem refused', () => {
  const plan: ScenarioPlan = {
    index: 0,
    role: 'domU',
    axes: {},
    domu: { kernel: '/boot/k-bzImage', cmdline: '' },
    steps: steps(SMOKE.domUBoot),
  };
  const r = scenarioResult(plan, fixture('domU-bzimage.serial'), SRC);
  assert.equal(r.outcome, 'works', r.reason);
  assert.match(r.steps[0]!.detail!, /@@PVM READY 6\.1\.0-56-amd64 guest_type=PV/);
  assert.equal(r.steps[3]!.detail, '98304');
  assert.equal(r.steps[5]!.detail, '0-1');
  assert.match(r.steps[6]!.detail!, /memory_dynamic_max must be less than or equal to memory_static_max/);
});

test('a 32-bit PV domU (grub-i386-xen.bin) is refused by Debian 4.17 with the real libxenguest line', () => {
  const plan: ScenarioPlan = {
    index: 0,
    role: 'domU',
    axes: {},
    domu: { kernel: '/boot/k-vmlinux', cmdline: '' },
    steps: steps(SMOKE.domUBootOnly),
  };
  const r = scenarioResult(plan, fixture('domU-pv32-refused.serial'), SRC);
  assert.equal(r.outcome, 'unsupported');
  assert.match(r.reason!, /xc_dom_compat_check: guest type xen-3\.0-x86_32p not supported by xen kernel/);
  assert.deepEqual(
    r.steps.map((s) => s.status),
    ['failed', 'skipped'],
  );
});

test('a 32-bit PV kernel as dom0: Xen panics while building dom0, and that is the platform refusing', () => {
  const plan: ScenarioPlan = { index: 0, role: 'dom0', axes: {}, steps: steps([{ boot: null }]) };
  const boot = fixture('dom0-pv32-refused.serial');
  assert.equal(boot.failure?.kind, 'fatal');
  const r = scenarioResult(plan, boot, SRC);
  assert.equal(r.outcome, 'unsupported');
  assert.match(r.reason!, /Found 32-bit PV kernel, but CONFIG_PV32 missing/);
  assert.match(r.reason!, /Could not construct domain 0/);
  // The same death for a domU cell is the harness's dom0 failing, not the kernel under test.
  assert.equal(scenarioResult({ ...plan, role: 'domU' }, boot, SRC).outcome, 'broken');
});

test('killed by the watchdog mid-scenario: finished scenarios keep their verdict, the rest are broken', () => {
  const full = fixture('dom0-balloon-cpu-xenfs.serial');
  const stepOne = full.markers.find((m) => m.marker.kind === 'step' && m.marker.s === 1 && m.marker.k === 2)!.ms / 1000;
  const cut = cutAt(full, stepOne + 0.001, { kind: 'timeout', detail: 'the agent went silent (no progress for 45 s)' });
  const [a, b, c] = dom0Plans().map((p) => scenarioResult(p, cut, SRC));
  assert.equal(a!.outcome, 'works');
  assert.equal(b!.outcome, 'broken');
  assert.match(b!.reason!, /read \/sys\/devices\/system\/cpu\/online: no result \(timeout: the agent went silent/);
  assert.deepEqual(
    b!.steps.map((s) => s.status),
    ['passed', 'passed', 'passed', 'broken', 'skipped', 'skipped'],
  );
  assert.equal(c!.outcome, 'broken');
});

test('a boot that never reached the agent is broken, with the last console lines as the reason', () => {
  const full = fixture('dom0-balloon-cpu-xenfs.serial');
  const cut = cutAt(full, full.milestones['dom0-init']! / 1000 - 0.5, {
    kind: 'timeout',
    detail: "dom0's /init did not start (no progress for 30 s)",
  });
  const r = scenarioResult(dom0Plans()[0]!, cut, SRC);
  assert.equal(r.outcome, 'broken');
  assert.match(r.reason!, /did not reach dom0's \/init \(timeout: dom0's \/init did not start/);
});

test('xen-console is the ring plus the serial line; for domU cells dom0 lines are not the Xen console', () => {
  const boot = fixture('dom0-balloon-cpu-xenfs.serial');
  const until = boot.milestones['dom0-init']!;
  const asDom0 = xenConsole('RING', boot, until, 'dom0');
  const asDomU = xenConsole('RING', boot, until, 'domU');
  assert.match(asDom0, /^RING\n/);
  assert.match(asDom0, /Run \/init as init process/, "dom0's own console output reached the serial line");
  assert.match(asDomU, /\(XEN\) Xen version 4\.17/);
  assert.doesNotMatch(asDomU, /Run \/init as init process/, "dom0's lines are the harness's, not the domU's");
});

test('a value that lost bytes on the console is broken, not a verdict on the platform', () => {
  const boot = fixture('domU-bzimage.serial');
  const step = boot.markers.find((m) => m.marker.kind === 'step' && m.marker.k === 1)!;
  if (step.marker.kind === 'step') step.marker.bytes = 999; // the agent said 999 bytes; "PV\n" arrived
  const plan: ScenarioPlan = {
    index: 0,
    role: 'domU',
    axes: {},
    steps: steps([{ boot: { memory: '128M' } }, { read: '/sys/hypervisor/guest_type', expect: { equals: 'PV' } }]),
  };
  const r = scenarioResult(plan, boot, SRC);
  assert.equal(r.outcome, 'broken');
  assert.match(r.reason!, /the console lost part of the value \(3 of 999 bytes arrived\)/);
});

test('a silent Xen console is reported with what the hypervisor said of itself (a release build: debug=n)', () => {
  const plans = dom0Plans();
  plans[2]!.steps = [
    ...plans[2]!.steps.slice(0, 4),
    steps([{ 'xen-console': null, expect: { contains: 'no such line on any console' } }])[0]!,
    ...plans[2]!.steps.slice(4 + 1),
  ];
  const r = scenarioResult(plans[2]!, fixture('dom0-balloon-cpu-xenfs.serial'), SRC);
  assert.equal(r.outcome, 'unsupported');
  assert.match(
    r.reason!,
    /xen-console: expected it to contain "no such line on any console", saw .*; the hypervisor says: Xen version 4\.17\.7 debug=n/,
  );
});

const nativePlan = (contains: string): ScenarioPlan => ({
  index: 0,
  role: 'dom0',
  native: true,
  axes: {},
  steps: steps([{ boot: { native: true } }, { 'guest-console': null, expect: { contains } }]),
});

test('native boot (no Xen): the real 6.1 bzImage says it booted on bare hardware, and the kernel log is the guest console', () => {
  const boot = fixture('native-bzimage.serial');
  assert.ok(!boot.lines.some((l) => /\(XEN\)/.test(l.text)), 'no hypervisor on this console');
  const r = scenarioResult(nativePlan('on bare hardware'), boot, SRC);
  assert.equal(r.outcome, 'works', r.reason);
  // The release the agent reported is the one the recorded kernel printed in its banner.
  const release = /Linux version (\S+)/.exec(boot.lines.map((l) => l.text).join('\n'))![1];
  assert.equal(r.steps[0]!.detail, `${release} native hypervisor=none`);
  assert.match(r.steps[1]!.detail!, /^\[ +0\.000000\] Linux version 6\.1\.0-56-amd64 /, 'the value is the kernel log (dmesg)');
  assert.ok(
    r.transcript.some((l) => /\] Booting paravirtualized kernel on bare hardware$/.test(l)),
    'and the serial console shows the line as the kernel printed it',
  );
  // The same console judged against what the kernel prints under Xen: the expectation decides.
  const underXen = scenarioResult(nativePlan('Booting paravirtualized kernel on Xen'), boot, SRC);
  assert.equal(underXen.outcome, 'unsupported');
  assert.match(underXen.reason!, /guest-console: expected it to contain "Booting paravirtualized kernel on Xen"/);
});

test("native boot killed before the agent ran: broken, naming the kernel's /init (there is no dom0)", () => {
  const full = fixture('native-bzimage.serial');
  const cut = cutAt(full, full.milestones['dom0-init']! / 1000 - 0.1, {
    kind: 'timeout',
    detail: "the kernel's /init did not start (no progress for 30 s)",
  });
  const r = scenarioResult(nativePlan('on bare hardware'), cut, SRC);
  assert.equal(r.outcome, 'broken');
  assert.match(r.reason!, /did not reach the kernel's \/init \(timeout/);
});

/** scenarios/device-unplug.yaml's steps, as domU-unplug-mayrefuse.serial was recorded with. */
const UNPLUG = [
  { boot: null },
  { 'attach-device': { kind: 'vbd', vdev: 'xvdb' } },
  { read: '/sys/block/xvdb', expect: { exists: true, within: '5s' } },
  { 'detach-device': { kind: 'vbd', vdev: 'xvdb' } },
  { read: '/sys/block/xvdb', expect: { exists: false, within: '5s' } },
  { 'attach-device': { kind: 'vbd', vdev: 'xvdc' } },
  { read: '/sys/block/xvdc', expect: { exists: true, within: '5s' } },
  { 'unload-module': { name: 'xen-blkfront' }, expect: { mayRefuse: true } },
  { sleep: '3s' },
  { 'guest-console': null, expect: { absent: 'leaking g.e. and page still in use' } },
];
const unplugPlan = (raw: readonly unknown[] = UNPLUG): ScenarioPlan => ({
  index: 0,
  role: 'domU',
  axes: {},
  domu: { kernel: '/boot/k-vmlinux', cmdline: '' },
  steps: steps(raw),
});

test('devices of a PV domU on real 6.1: vbd and vif hot-added; unloading xen-blkfront with a disk attached is refused (module in use)', () => {
  const boot = fixture('domU-devices.serial');
  const hotplug: ScenarioPlan = {
    index: 5,
    role: 'domU',
    axes: {},
    steps: steps([
      { boot: null },
      { 'attach-device': { kind: 'vbd', vdev: 'xvdb' } },
      { read: '/sys/block/xvdb', expect: { exists: true, within: '5s' } },
      { 'attach-device': { kind: 'vif' } },
      { read: '/sys/class/net/eth0', expect: { exists: true, within: '5s' } },
    ]),
  };
  const h = scenarioResult(hotplug, boot, SRC);
  assert.equal(h.outcome, 'works', h.reason);
  assert.match(h.steps[1]!.detail!, /^xvdb: phy:\/dev\/loop\d+ /);
  const unplug: ScenarioPlan = {
    index: 6,
    role: 'domU',
    axes: {},
    // device-unplug as it was before mayRefuse: the refusal then decided the cell.
    steps: steps(UNPLUG.map((s) => ('unload-module' in s ? { 'unload-module': s['unload-module'] } : s))),
  };
  const u = scenarioResult(unplug, boot, SRC);
  assert.equal(u.outcome, 'unsupported');
  assert.match(u.reason!, /unload-module name=xen-blkfront: rmmod: can't unload module 'xen_blkfront': Resource temporarily unavailable/);
  assert.deepEqual(
    u.steps.map((s) => s.status),
    ['passed', 'passed', 'passed', 'passed', 'passed', 'passed', 'passed', 'failed', 'skipped', 'skipped'],
  );
});

test('mayRefuse on real 6.1: the refused rmmod passes with its reason line, and the scenario went on to the console check', () => {
  const boot = fixture('domU-unplug-mayrefuse.serial');
  const r = scenarioResult(unplugPlan(), boot, SRC);
  assert.equal(r.outcome, 'works', r.reason);
  assert.deepEqual(
    r.steps.map((s) => s.status),
    Array(10).fill('passed'),
  );
  assert.equal(r.steps[7]!.detail, "refused: rmmod: can't unload module 'xen_blkfront': Resource temporarily unavailable");
  assert.match(r.steps[9]!.detail!, /Linux version 6\.1\.0-56-amd64/, 'the guest console arrived whole after the refusal');
  // The same frames judged without mayRefuse: the refusal decides the cell.
  const strict = UNPLUG.map((s, i) => (i === 7 ? { 'unload-module': { name: 'xen-blkfront' } } : s));
  const u = scenarioResult(unplugPlan(strict), boot, SRC);
  assert.equal(u.outcome, 'unsupported');
  assert.match(u.reason!, /unload-module name=xen-blkfront: rmmod: can't unload module 'xen_blkfront': Resource temporarily unavailable/);
});

test('mayRefuse: an accepted action passes without a refusal and its value is not checked; a timeout is still broken', () => {
  const withStatus = (status: 'ok' | 'timeout') => {
    const boot = fixture('domU-unplug-mayrefuse.serial');
    const m = boot.markers.find((x) => x.marker.kind === 'step' && x.marker.k === 7)!;
    if (m.marker.kind === 'step') m.marker.status = status;
    return scenarioResult(unplugPlan(), boot, SRC);
  };
  const accepted = withStatus('ok');
  assert.equal(accepted.outcome, 'works', accepted.reason);
  assert.equal(accepted.steps[7]!.status, 'passed');
  assert.doesNotMatch(accepted.steps[7]!.detail ?? '', /^refused:/);
  const lost = withStatus('timeout');
  assert.equal(lost.outcome, 'broken');
  assert.equal(lost.steps[7]!.status, 'broken');
});
