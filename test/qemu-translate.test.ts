import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { normaliseStep } from '../domain/steps/normalise.ts';
import type { Marker } from '../backends/qemu/markers.ts';
import { runDom0Side } from './support/qemu-agent.ts';
import { shellWord, stepSide, translate, type ScenarioPlan } from '../backends/qemu/translate.ts';
import { planBoots } from '../backends/qemu/boots.ts';
import type { RealCell } from '../backends/qemu/cells.ts';
import { qemuArgv } from '../backends/qemu/qemu.ts';
import { BUSYBOX, NEED, skipUnless } from './support/artifacts.ts';

const steps = (raw: unknown[]) => raw.map(normaliseStep);

const statusOf = (ms: Marker[]) => ms.flatMap((m) => (m.kind === 'step' ? [`${m.k}:${m.status}`] : []));
const dataOf = (ms: Marker[], k: number) =>
  Buffer.from(ms.flatMap((m) => (m.kind === 'data' && m.k === k ? [m.b64] : [])).join(''), 'base64').toString();

test('shellWord quotes literally, resolves ${axes.X} now and ${name} at run time', () => {
  assert.equal(shellWord("it's", {}), `'it'\\''s'`);
  assert.equal(shellWord('/x/${axes.role}/y', { role: 'dom0' }), `'/x/dom0/y'`);
  assert.equal(shellWord('a${before}b', {}), `'a'"$V_before"'b'`);
});

test('steps run where their role puts them', () => {
  const [read, setMem, onDom0] = steps([
    { read: '/proc/meminfo' },
    { 'set-memory': { target: '96M' } },
    { read: '/proc/xen/capabilities', on: 'dom0' },
  ]);
  assert.equal(stepSide(read!, 'dom0'), 'dom0');
  assert.equal(stepSide(read!, 'domU'), 'guest');
  assert.equal(stepSide(setMem!, 'domU'), 'dom0');
  assert.equal(stepSide(onDom0!, 'domU'), 'dom0');
});

test('the agent decides read/write/expect steps in the real busybox sh', {
  skip: skipUnless(NEED.busybox),
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pvm-files-'));
  const target = join(dir, 'target_kb');
  writeFileSync(target, '98304\n');
  const marks = runDom0Side({
    index: 0,
    role: 'dom0',
    axes: { role: 'dom0' },
    steps: steps([
      { read: target, expect: { equals: 98304 } },
      { read: target, expect: { atLeast: 90000, atMost: 100000 }, as: 'kb' },
      { write: { path: target, value: '${kb}0' } },
      { read: target, expect: { equals: 983040 } },
      { read: join(dir, 'missing'), expect: { exists: false } },
      { write: { path: '/proc/version', value: 'x' }, expect: { refused: true } },
      { read: target, expect: { contains: 'nope' } },
      { read: target, title: 'never reached' },
    ]),
  });
  assert.deepEqual(
    statusOf(marks),
    ['0:ok', '1:ok', '2:ok', '3:ok', '4:ok', '5:ok', '6:mismatch'],
    'the scenario stops at the first step that does not hold',
  );
  assert.equal(dataOf(marks, 3).trim(), '983040', 'the stored value was substituted at run time');
  assert.match(dataOf(marks, 5), /write error|Permission denied|Input\/output error/, "the platform's own refusal text is the value");
});

test('within: the agent polls until the value appears', { skip: skipUnless(NEED.busybox) }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pvm-within-'));
  const target = join(dir, 'online');
  writeFileSync(target, '0\n');
  const marks = runDom0Side({
    index: 0,
    role: 'dom0',
    axes: {},
    steps: steps([
      { write: { path: target, value: '0-1' } },
      { read: target, expect: { equals: '0-1', within: '3s' } },
      { read: target, expect: { equals: 'never', within: '500ms' } },
    ]),
  });
  assert.deepEqual(statusOf(marks), ['0:ok', '1:ok', '2:mismatch']);
  const last = marks.find((m) => m.kind === 'step' && m.k === 2);
  assert.ok(
    last && last.kind === 'step' && last.ms >= 400,
    `the failing poll waited its 500 ms (took ${last && 'ms' in last ? last.ms : '?'} ms)`,
  );
});

test('domU scenarios: dom0 creates the domain and forwards guest steps; the guest holds their code', () => {
  const t = translate([
    {
      index: 0,
      role: 'domU',
      axes: {},
      steps: steps([
        { boot: { memory: '128M', maxmem: '256M', vcpus: 1, maxvcpus: 2 } },
        { 'set-vcpus': { count: 2 } },
        { read: '/sys/devices/system/cpu/online', expect: { equals: '0-1', within: '5s' } },
      ]),
      domu: { kernel: '/boot/k-bzImage', cmdline: 'loglevel=4' },
    },
  ]);
  assert.match(t.dom0Init, /pvm_domu 0 0 pvm0 '\/boot\/k-bzImage' 128 256 1 2 'console=hvc0 loglevel=4' 60000/);
  assert.match(t.dom0Init, /xl vcpu-set pvm0 2/);
  assert.match(t.dom0Init, /pvm_guest 0 2 35000/);
  assert.ok(t.guestInit, 'a guest /init exists');
  assert.match(t.guestInit!, /^g_0_2\(\) \{ pvm_step 0 2 5000 0 a_0_2 c_0_2/m);
  assert.match(t.guestInit!, /^a_0_1\(\) \{ pvm_online 2; \}/m, 'the guest onlines the vCPUs it was given (no udev)');
  assert.ok(!/g_0_0/.test(t.guestInit!), 'creating the domain is dom0 business');
  for (const script of [t.dom0Init, t.guestInit!]) {
    const dir = mkdtempSync(join(tmpdir(), 'pvm-syntax-'));
    writeFileSync(join(dir, 's.sh'), script);
    if (existsSync(BUSYBOX)) execFileSync(BUSYBOX, ['sh', '-n', join(dir, 's.sh')]);
  }
});

test('native boot: QEMU boots the bzImage itself (no multiboot Xen), the agent needs no toolstack', () => {
  const rc = (scenario: string, cmdline?: string): RealCell => ({
    cell: {
      id: `kernel=6.1/format=bzImage/arch=x86_64/scenario=${scenario}`,
      axes: { kernel: '6.1', format: 'bzImage', arch: 'x86_64' },
      scenario,
      feature: scenario,
      profiles: { kernel: { version: '6.1' } },
      steps: [],
    },
    kernelImage: '/k/bzImage',
    kernelCmdline: cmdline,
    role: 'dom0',
    format: 'bzImage',
    steps: steps([{ boot: { native: true } }, { 'guest-console': null, expect: { contains: 'on bare hardware' } }]),
    native: true,
  });
  const boots = planBoots([rc('native-boot'), rc('other'), rc('quiet', 'quiet')]);
  assert.equal(boots.length, 2, 'one boot per kernel and command line');
  assert.deepEqual(
    boots.map((b) => [b.native, b.cells.length, b.dom0Cmdline]),
    [
      [true, 2, 'console=ttyS0,115200 panic=-1'],
      [true, 1, 'console=ttyS0,115200 panic=-1 quiet'],
    ],
  );
  const argv = qemuArgv({
    qemu: 'q',
    xenCmdline: '',
    dom0Kernel: '/k/bzImage',
    dom0Cmdline: boots[0]!.dom0Cmdline,
    initrd: '/r/initrd',
    initrdBytes: 1,
    memMiB: 512,
    cpu: 'qemu64',
  });
  assert.deepEqual(argv.slice(argv.indexOf('-kernel')), [
    '-kernel',
    '/k/bzImage',
    '-append',
    'console=ttyS0,115200 panic=-1',
    '-initrd',
    '/r/initrd',
  ]);
  const plan: ScenarioPlan = { index: 0, role: 'dom0', native: true, axes: {}, steps: rc('native-boot').steps };
  const t = translate([plan]);
  const scenario = t.dom0Init.slice(t.dom0Init.indexOf('s_0() {'));
  const calls =
    t.dom0Init
      .split('\n')
      .filter((l) => /^a_0_\d+\(\)/.test(l))
      .join('\n') + scenario;
  assert.doesNotMatch(calls, /pvm_need_toolstack|pvm_toolstack|guest_type|\bxl /, 'no Xen to ask');
  assert.match(t.dom0Init, /^a_0_1\(\) \{ dmesg; \}/m, "the guest console of a native boot is the kernel's log");
  if (!existsSync(BUSYBOX)) return;
  const frames = runDom0Side({ ...plan, steps: plan.steps.slice(0, 1) });
  assert.deepEqual(statusOf(frames), ['0:ok']);
  assert.match(dataOf(frames, 0), /^\S+ native hypervisor=\S+\n$/);
});

test('device steps of a PV domU run in dom0 (xl block-attach through blkback, network-attach through netback)', () => {
  const plan: ScenarioPlan = {
    index: 0,
    role: 'domU',
    axes: {},
    steps: steps([
      { boot: null },
      { 'attach-device': { kind: 'vbd', vdev: 'xvdb' } },
      { read: '/sys/block/xvdb', expect: { exists: true, within: '5s' } },
      { 'attach-device': { kind: 'vif' } },
      { 'detach-device': { kind: 'vbd', vdev: 'xvdb' } },
      { 'unload-module': { name: 'xen-blkfront' } },
      { 'guest-console': null },
    ]),
    domu: { kernel: '/boot/k-vmlinux', cmdline: '' },
  };
  assert.deepEqual(
    plan.steps.map((s) => stepSide(s, 'domU')),
    ['guest', 'dom0', 'guest', 'dom0', 'dom0', 'guest', 'dom0'],
  );
  const t = translate([plan]);
  assert.match(t.dom0Init, /^a_0_1\(\) \{ pvm_attach pvm0 vbd 'xvdb'; \}/m);
  assert.match(t.dom0Init, /^a_0_3\(\) \{ pvm_attach pvm0 vif ''; \}/m);
  assert.match(t.dom0Init, /^a_0_4\(\) \{ pvm_detach pvm0 vbd 'xvdb'; \}/m);
  assert.match(
    t.dom0Init,
    /^a_0_6\(\) \{ pvm_klog && tr -d '\\r' < \/var\/log\/xen\/console\/guest-pvm0\.log; \}/m,
    "the domU's console, then its kernel log",
  );
  assert.match(
    t.dom0Init,
    /xl block-attach \$1 "phy:\$loop,\$3,w,script=\/etc\/xen\/scripts\/pvm-block"/,
    'a loop device, no qdisk/tap, our own hotplug script',
  );
  assert.match(t.guestInit!, /^a_0_5\(\) \{ rmmod 'xen-blkfront'; \}/m);
  assert.match(t.guestInit!, /klog\*\) .*dmesg/);
  assert.match(t.guestInit!, /uevent \/sbin\/pvm-hotplug/, 'hot-added devices get their driver by MODALIAS, as udev would load it');
});

test('mayRefuse: pvm_step mode 2 reports what happened and the scenario goes on either way', {
  skip: skipUnless(NEED.busybox),
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pvm-mayrefuse-'));
  const target = join(dir, 'value');
  writeFileSync(target, 'a\n');
  const plan: ScenarioPlan = {
    index: 0,
    role: 'dom0',
    axes: {},
    steps: steps([
      { write: { path: '/proc/version', value: 'x' }, expect: { mayRefuse: true } },
      { write: { path: target, value: 'b' }, expect: { mayRefuse: true } },
      { read: target, expect: { equals: 'b' } },
      { write: { path: '/proc/version', value: 'x' } },
      { read: target, title: 'never reached' },
    ]),
  };
  const t = translate([plan]);
  assert.match(t.dom0Init, /^ {2}pvm_step 0 0 0 2 a_0_0 c_0_0 \|\| return$/m, 'mode 2 for mayRefuse');
  assert.match(t.dom0Init, /^ {2}pvm_step 0 2 0 0 a_0_2 c_0_2 \|\| return$/m, 'mode 0 otherwise');
  assert.match(t.dom0Init, /^c_0_0\(\) \{ return 0; \}$/m, 'no value check for a mayRefuse step');
  const marks = runDom0Side(plan);
  assert.deepEqual(
    statusOf(marks),
    ['0:fail', '1:ok', '2:ok', '3:fail'],
    'a refused mayRefuse step does not stop the scenario; a refused plain step does',
  );
  assert.match(dataOf(marks, 0), /Permission denied|write error|Input\/output error/, 'the refusal text is kept as the value');
});

test('mayRefuse in a domU: the guest runs mode 2, and dom0 goes on when the guest reports fail', () => {
  const plan: ScenarioPlan = {
    index: 3,
    role: 'domU',
    axes: {},
    domu: { kernel: '/boot/k-vmlinux', cmdline: '' },
    steps: steps([
      { boot: null },
      { 'unload-module': { name: 'xen-blkfront' }, expect: { mayRefuse: true } },
      { 'unload-module': { name: 'xen-netfront' } },
      { 'set-vcpus': { count: 2 }, expect: { mayRefuse: true } },
      { 'guest-console': null },
    ]),
  };
  const t = translate([plan]);
  assert.match(t.guestInit!, /^g_3_1\(\) \{ pvm_step 3 1 0 2 a_3_1 c_3_1 && :; \}$/m);
  assert.match(t.guestInit!, /^g_3_2\(\) \{ pvm_step 3 2 0 0 a_3_2 c_3_2 && :; \}$/m);
  assert.match(t.dom0Init, /^ {2}pvm_guest 3 1 \d+ \|\| grep -q "@@PVM STEP 3 1 fail " "\$PVM_LOG" \|\| return$/m);
  assert.match(t.dom0Init, /^ {2}pvm_guest 3 2 \d+ \|\| return$/m);
  // set-vcpus: xl's refusal is reported and passed over; when xl accepts, the guest half runs.
  assert.match(
    t.dom0Init,
    /if \[ \$rc -ne 0 \]; then pvm_report 3 3 fail \$t0 "\$PVM_OUT"; else\n {2}pvm_guest 3 3 \d+ \|\| grep -q "@@PVM STEP 3 3 fail " "\$PVM_LOG" \|\| return\n {2}fi/,
  );
});
