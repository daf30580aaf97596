/** Each model on its own: knowledge, versions, config, Xen builds, loaders, drivers, the interpreter. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knowledge, lookup } from '../emulator/knowledge/index.ts';
import { compareVersions, parseVersion } from '../emulator/version.ts';
import { kernelConfig } from '../emulator/kernel/config.ts';
import { parseKconfig } from '../emulator/images/kconfig.ts';
import { XenBuild, XenBuildError } from '../emulator/xen/build.ts';
import { memparse } from '../emulator/kernel/balloon.ts';
import { factText, run, run1, steps } from './support/emulator-cells.ts';

test('every fact in the knowledge files has a source, and unverified ones say so', () => {
  let unverified = 0;
  for (const table of [knowledge.xen, knowledge.linux]) {
    for (const entries of table.values()) {
      for (const e of entries) {
        assert.ok(e.source.length > 3, e.id);
        if (!e.verified) unverified++;
      }
    }
  }
  assert.ok(unverified > 0, 'the research marks some facts unverified; so must the knowledge');
  assert.ok(knowledge.xenReleases.some((r) => r.version === '3.0.2') && knowledge.xenReleases.some((r) => r.version === '4.19'));
});

test('versions: pre-releases sort before their release; backports reach point releases', () => {
  assert.ok(compareVersions('2.6.30-rc3', '2.6.30') < 0);
  assert.ok(compareVersions('2.6.29', '2.6.30-rc1') < 0);
  assert.ok(compareVersions('4.10', '4.9') > 0);
  assert.equal(lookup(knowledge.xen, 'hv.dom0.payload.xz', parseVersion('4.1')).has, false);
  assert.equal(lookup(knowledge.xen, 'hv.dom0.payload.xz', parseVersion('4.1.5')).has, true);
  assert.equal(lookup(knowledge.xen, 'hv.dom0.payload.xz', parseVersion('4.2')).has, true);
  assert.throws(() => lookup(knowledge.xen, 'no.such.capability', parseVersion('4.2')));
  // An absent capability is explained by when it came.
  assert.match(lookup(knowledge.xen, 'hv.dom0.bzimage', parseVersion('3.3')).fact.text, /3\.4/);
});

test('Kconfig: dependencies are evaluated and enforced per version, tree and arch', () => {
  const k = (version: string, arch: 'x86_32' | 'x86_32-pae' | 'x86_64', tree = 'mainline') => ({
    version: parseVersion(version),
    tree,
    arch,
  });
  assert.equal(kernelConfig(k('2.6.25', 'x86_32'), undefined).on('XEN'), true);
  const nonpae = kernelConfig(k('2.6.26', 'x86_32'), undefined);
  assert.equal(nonpae.on('XEN'), false);
  assert.match(nonpae.whyOff('XEN').reason, /X86_PAE/);
  assert.equal(kernelConfig(k('2.6.26', 'x86_64'), undefined).on('XEN'), false);
  assert.equal(kernelConfig(k('2.6.27', 'x86_64'), undefined).on('XEN'), true);
  assert.equal(kernelConfig(k('2.6.36', 'x86_64'), undefined).defined('XEN_DOM0'), false);
  assert.equal(kernelConfig(k('2.6.37', 'x86_64'), undefined).on('XEN_DOM0'), true);
  assert.equal(kernelConfig(k('6.1', 'x86_32-pae'), undefined).on('XEN_PV'), false);
  // A real .config: a value the dependencies forbid is dropped, with the reason.
  const real = kernelConfig(
    k('2.6.31', 'x86_64', 'xen.git'),
    parseKconfig('CONFIG_XEN=y\nCONFIG_XEN_DOM0=y\nCONFIG_PARAVIRT_GUEST=y\nCONFIG_X86_IO_APIC=y\n# CONFIG_ACPI is not set\n').values,
  );
  assert.equal(real.on('XEN_DOM0'), false);
  assert.match(real.whyOff('XEN_DOM0').reason, /ACPI is not set/);
});

test('Xen builds: presets with backports, build options checked against the release', () => {
  const f11 = new XenBuild('fedora11-3.3.1', { preset: 'fedora11-3.3.1' });
  const upstream = new XenBuild('3.3', { version: '3.3' });
  assert.equal(f11.cap('hv.dom0.bzimage').has, true);
  assert.equal(f11.cap('hv.dom0.bzimage').fact.verified, false);
  assert.equal(upstream.cap('hv.dom0.bzimage').has, false);
  assert.equal(f11.cap('hv.dom0.payload.bzip2').has, false, "the backport is Xen 3.4's gzip-only loader");
  assert.equal(upstream.toolstack, 'xend');
  assert.equal(new XenBuild('4.2', { version: '4.2' }).toolstack, 'xl');
  assert.throws(() => new XenBuild('x', { version: '4.11', build: { pv32: false } }), XenBuildError);
  assert.throws(() => new XenBuild('x', { version: '2.0' }), /outside/);
  assert.equal(new XenBuild('x', { version: '4.14', build: { pv32: false } }).pv32, false);
});

test('the dom0 builder: boot protocol 2.08 minimum, payload decompressors per release', async () => {
  const dom0 = { kernel: '2.6.30-rc3-tip', arch: 'x86_64', role: 'dom0', format: 'bzImage', scenario: 'boot' } as const;
  const [proto, bz34, bz40] = await run(
    { ...dom0, xen: '4.0', kernel: '2.6.24', arch: 'x86_32-pae' },
    { ...dom0, xen: '3.4', compression: 'bzip2' },
    { ...dom0, xen: '4.0', compression: 'bzip2' },
  );
  // 2.6.24 cannot be dom0 at all: the kernel check comes first, naming the dom0 fact.
  assert.equal(proto!.outcome, 'unsupported');
  assert.match(proto!.reason!, /dom0/);
  assert.equal(bz34!.outcome, 'unsupported');
  assert.match(bz34!.reason!, /bzip2/);
  assert.equal(bz40!.outcome, 'works', bz40!.reason);
  const domU = await run1({ xen: '4.0', kernel: '2.6.24', arch: 'x86_32-pae', role: 'domU', format: 'bzImage', scenario: 'boot' });
  assert.match(domU.reason!, /boot protocol is 2\.07, below 2\.08/);
});

test('an uncompressed bzImage payload: the domain builder takes it only in 3.3-3.4, the hypervisor from 3.4', async () => {
  // Both loaders pass a payload they do not decompress on to the ELF loader as it is, until
  // libxc 4.0 added "unknown compression format" (d7c9674faa); the hypervisor never refused it.
  const cell = { kernel: '5.8', arch: 'x86_64', format: 'bzImage', compression: 'none', scenario: 'boot' } as const;
  const [domU34, domU40, domU419, dom034, dom041, dom033] = await run(
    { ...cell, xen: '3.4', role: 'domU' },
    { ...cell, xen: '4.0', role: 'domU' },
    { ...cell, xen: '4.19', role: 'domU' },
    { ...cell, xen: '3.4', role: 'dom0' },
    { ...cell, xen: '4.1', role: 'dom0' },
    { ...cell, xen: '3.3', role: 'dom0' },
  );
  assert.equal(domU34!.outcome, 'works', domU34!.reason);
  for (const r of [domU40!, domU419!]) {
    assert.equal(r.outcome, 'unsupported');
    assert.match(r.reason!, /unknown compression format/);
    assert.ok(r.transcript.some((l) => /unknown compression format/.test(l)));
  }
  assert.equal(dom034!.outcome, 'works', dom034!.reason);
  assert.equal(dom041!.outcome, 'works', dom041!.reason);
  assert.match(dom033!.reason!, /bzImage dom0 loader in 3\.4/);
});

test('Xen 3.0.2 cannot boot pv-ops (ELF notes only) but boots 2.6.18-xen (__xen_guest)', async () => {
  const [pvops, classic] = await run(
    { xen: '3.0.2', kernel: '2.6.24', arch: 'x86_32', role: 'domU', scenario: 'boot' },
    { xen: '3.0.2', kernel: '2.6.18-xen', arch: 'x86_32', role: 'domU', scenario: 'boot' },
  );
  assert.equal(pvops!.outcome, 'unsupported');
  assert.match(pvops!.reason!, /__xen_guest/);
  assert.equal(classic!.outcome, 'works', classic!.reason);
});

test('balloon: target_kb took bytes before 2.6.29; no growth above the boot allocation before 2.6.37', async () => {
  assert.equal(memparse('393216'), 393216);
  assert.equal(memparse('384M'), 384 * 1024 * 1024);
  const [b28, b29] = await run(
    { xen: '4.0', kernel: '2.6.28', arch: 'x86_64', role: 'domU', scenario: 'balloon' },
    { xen: '4.0', kernel: '2.6.29', arch: 'x86_64', role: 'domU', scenario: 'balloon' },
  );
  assert.equal(b28!.outcome, 'unsupported');
  assert.match(b28!.reason!, /as bytes/);
  assert.match(factText(b28!), /618b2c8db24/);
  assert.equal(b29!.outcome, 'works', b29!.reason);
  const grow = steps([
    { boot: { memory: '256M', maxmem: '512M' } },
    { 'set-memory': { target: '384M' } },
    { read: '/sys/devices/system/xen_memory/xen_memory0/info/current_kb', expect: { equals: 393216, within: '5s' } },
  ]);
  const [g32, g37] = await run(
    { xen: '4.0', kernel: '2.6.32', role: 'domU', scenario: grow },
    { xen: '4.0', kernel: '2.6.37', role: 'domU', scenario: grow },
  );
  assert.equal(g32!.outcome, 'unsupported');
  assert.match(g32!.reason!, /extra|reversible/);
  assert.equal(g37!.outcome, 'works', g37!.reason);
  const above = await run1({
    xen: '4.17',
    kernel: '3.0',
    role: 'domU',
    scenario: steps([{ boot: { memory: '128M', maxmem: '256M' } }, { 'set-memory': { target: '300M' }, expect: { refused: true } }]),
  });
  assert.equal(above.outcome, 'works', above.reason);
});

test('mem-set above the static maximum: refused by xend from 3.1 (ec2ecedd08) and by xl from 4.1 (c0910cbc5b)', async () => {
  const above = (xen: string, toolstack: 'xm' | 'xl') => ({
    xen,
    kernel: '2.6.32',
    role: 'domU',
    xenProfile: { toolstack: toolstack === 'xm' ? 'xend' : 'xl' },
    scenario: steps([{ boot: { memory: '128M', maxmem: '256M' } }, { 'set-memory': { target: '300M' } }]),
  });
  const [xl40, xl41, xm304, xm31] = await run(above('4.0', 'xl'), above('4.1', 'xl'), above('3.0.4', 'xm'), above('3.1', 'xm'));
  for (const r of [xl40!, xm304!]) assert.equal(r.outcome, 'works', r.reason);
  for (const r of [xl41!, xm31!]) {
    assert.equal(r.outcome, 'unsupported');
    assert.match(r.reason!, /above the domain's maximum/);
    assert.ok(r.transcript.some((l) => /memory_dynamic_max must be less than or equal to memory_static_max/.test(l)));
  }
});

test('CPU hotplug: pv-ops from 2.6.28 and only with HOTPLUG_CPU; 2.6.18-xen onlines by itself', async () => {
  const cell = { xen: '4.1', arch: 'x86_64', role: 'domU', scenario: 'cpu-hotplug' } as const;
  const [k27, k28, noHotplug, classic] = await run(
    { ...cell, kernel: '2.6.27' },
    { ...cell, kernel: '2.6.28' },
    { ...cell, kernel: '2.6.28', kernelProfile: { configOverrides: { HOTPLUG_CPU: 'n' } } },
    { ...cell, kernel: '2.6.18-xen' },
  );
  assert.equal(k27!.outcome, 'unsupported');
  assert.match(k27!.reason!, /2\.6\.28/);
  assert.equal(k28!.outcome, 'works', k28!.reason);
  assert.equal(noHotplug!.outcome, 'unsupported');
  assert.match(noHotplug!.reason!, /HOTPLUG_CPU/);
  assert.equal(classic!.outcome, 'works', classic!.reason);
  // xl in 4.0 had no vcpu-set (4.1).
  const xl40 = await run1({ ...cell, xen: '4.0', kernel: '2.6.28', xenProfile: { toolstack: 'xl' } });
  assert.equal(xl40.outcome, 'unsupported');
  assert.match(xl40.reason!, /vcpu-set in 4\.1/);
});

test('device hotplug: frontend modules autoload from 2.6.26; built-in frontends need no autoload', async () => {
  const cell = { xen: '4.0', arch: 'x86_32-pae', role: 'domU', scenario: 'device-hotplug' } as const;
  const [k24, k26, builtin] = await run(
    { ...cell, kernel: '2.6.24' },
    { ...cell, kernel: '2.6.26' },
    { ...cell, kernel: '2.6.24', kernelProfile: { configOverrides: { XEN_BLKDEV_FRONTEND: 'y', XEN_NETDEV_FRONTEND: 'y' } } },
  );
  assert.equal(k24!.outcome, 'unsupported');
  assert.match(k24!.reason!, /autoload/);
  assert.equal(k26!.outcome, 'works', k26!.reason);
  assert.equal(builtin!.outcome, 'works', builtin!.reason);
});

test('the interpreter: ${var} from `as`, ${axes.NAME}, refused expectations, broken on emulator errors', async () => {
  const ok = await run1({
    xen: '4.4',
    kernel: '3.0',
    role: 'domU',
    scenario: steps([
      { boot: null },
      { read: '/sys/devices/system/xen_memory/xen_memory0/target_kb', as: 'before' },
      { write: { path: '/sys/devices/system/xen_memory/xen_memory0/target_kb', value: '${before}' } },
      { read: '/sys/devices/system/xen_memory/xen_memory0/info/current_kb', expect: { equals: 131072, within: '2s' } },
      { 'guest-console': null, expect: { contains: 'Xen version: ${axes.xen}' } },
      { 'set-vcpus': { count: 9 }, expect: { refused: true } },
    ]),
  });
  assert.equal(ok.outcome, 'works', ok.reason);
  assert.equal(ok.steps.length, 6);
  const undef = await run1({ xen: '4.4', kernel: '3.0', role: 'domU', scenario: steps([{ boot: null }, { read: '/${nothing}' }]) });
  assert.equal(undef.outcome, 'broken');
  assert.match(undef.reason!, /\$\{nothing\} is not defined/);
  const notRefused = await run1({ xen: '4.4', kernel: '3.0', role: 'domU', scenario: steps([{ boot: null, expect: { refused: true } }]) });
  assert.equal(notRefused.outcome, 'unsupported');
  assert.match(notRefused.reason!, /expected the platform to refuse/);
});

test('the hypervisor command line as each release parses it: dom0_mem max: from 3.0.4, loglvl from 3.0.4', async () => {
  const boot = steps([
    { boot: { memory: '512M', maxmem: '512M', xen: 'loglvl=all guest_loglvl=all' } },
    { 'xen-console': null, expect: { contains: 'Std. Loglevel: all' } },
  ]);
  const [old, modern] = await run(
    { xen: '3.0.2', kernel: '2.6.18-xen', role: 'dom0', scenario: boot },
    { xen: '4.17', kernel: '3.0', role: 'dom0', scenario: boot },
  );
  assert.equal(old!.outcome, 'unsupported', 'Xen 3.0.2 has no loglvl= option');
  assert.ok(old!.transcript.some((l) => /dom0_mem: ignoring "max:524288K"/.test(l)));
  assert.equal(modern!.outcome, 'works', modern!.reason);
  // guest_loglvl=all does not make a release build accept a domU's console_io.
  const early = await run1({
    xen: '4.17',
    kernel: '3.0',
    role: 'domU',
    scenario: steps([
      { boot: { cmdline: 'earlyprintk=xen', xen: 'guest_loglvl=all' } },
      { 'xen-console': null, expect: { contains: 'Linux version' } },
    ]),
  });
  assert.equal(early.outcome, 'unsupported');
  assert.match(early.reason!, /release/);
});

test('module unload with a bound device: refused from 5.5 (xenbus module reference), deferred from 3.5, leaked before', async () => {
  const cell = { xen: '4.17', arch: 'x86_64', role: 'domU' } as const;
  const raw = [
    { boot: null },
    { 'attach-device': { kind: 'vbd', vdev: 'xvdc' } },
    { read: '/sys/block/xvdc', expect: { exists: true, within: '5s' } },
    { 'unload-module': { name: 'xen-blkfront' } },
    { sleep: '3s' },
    { read: '/sys/block/xvdc', expect: { exists: false } },
    { 'guest-console': null },
  ];
  const attachThenUnload = steps(raw);
  const [k61, k54, k35, k30] = await run(
    { ...cell, kernel: '6.1', scenario: attachThenUnload },
    { ...cell, kernel: '5.4', scenario: attachThenUnload },
    { ...cell, kernel: '3.5', scenario: attachThenUnload },
    { ...cell, kernel: '3.0', scenario: attachThenUnload },
  );
  // 6.1: delete_module fails, the disk stays, the reason names the mechanism and its commit.
  assert.equal(k61!.outcome, 'unsupported');
  assert.equal(k61!.steps[3]!.status, 'failed');
  assert.match(k61!.reason!, /rmmod: ERROR: Module xen_blkfront is in use \(xenbus holds it for its bound device xvdc/);
  assert.match(factText(k61!), /196748a276b4/);
  // 5.4 and 3.5: the unload goes ahead; the ring page the backend still maps is deferred.
  for (const r of [k54!, k35!]) {
    assert.equal(r.outcome, 'works', r.reason);
    const consoleText = r.steps[6]!.detail ?? '';
    assert.doesNotMatch(consoleText, /leaking g\.e\./);
  }
  // 3.0: the unload goes ahead and the page leaks (the console shows the warning).
  assert.equal(k30!.outcome, 'works', k30!.reason);
  const em = await run({
    ...cell,
    kernel: '3.0',
    scenario: steps([...raw.slice(0, 5), { 'guest-console': null, expect: { absent: 'leaking g.e. and page still in use' } }]),
  });
  assert.equal(em[0]!.outcome, 'unsupported');
  assert.match(em[0]!.reason!, /leaked the page of grant/);
  const deferred = await run1({
    ...cell,
    kernel: '5.4',
    scenario: steps([...raw.slice(0, 4), { 'guest-console': null, expect: { contains: 'deferring g.e.' } }]),
  });
  assert.equal(deferred.outcome, 'works', deferred.reason);
});

test('module unload after the device is detached works on 6.1; a refused unload keeps the disk', async () => {
  const cell = { xen: '4.17', kernel: '6.1', arch: 'x86_64', role: 'domU' } as const;
  const detached = await run1({
    ...cell,
    scenario: steps([
      { boot: null },
      { 'attach-device': { kind: 'vbd', vdev: 'xvdc' } },
      { read: '/sys/block/xvdc', expect: { exists: true, within: '5s' } },
      { 'detach-device': { kind: 'vbd', vdev: 'xvdc' } },
      { read: '/sys/block/xvdc', expect: { exists: false, within: '5s' } },
      { 'unload-module': { name: 'xen-blkfront' } },
      { 'unload-module': { name: 'xen-blkfront' }, expect: { refused: true } },
    ]),
  });
  assert.equal(detached.outcome, 'works', detached.reason);
  assert.match(detached.steps[6]!.detail!, /not currently loaded/);
  const kept = await run1({
    ...cell,
    scenario: steps([
      { boot: null },
      { 'attach-device': { kind: 'vbd', vdev: 'xvdc' } },
      { read: '/sys/block/xvdc', expect: { exists: true, within: '5s' } },
      { 'unload-module': { name: 'xen-blkfront' }, expect: { mayRefuse: true } },
      { read: '/sys/block/xvdc/size', expect: { equals: 2097152 } },
    ]),
  });
  assert.equal(kept.outcome, 'works', kept.reason);
  assert.match(kept.steps[3]!.detail!, /^refused: rmmod: ERROR: Module xen_blkfront is in use .*xenbus pins a PV driver's module/);
});

test('mayRefuse: a refusal passes with its reason in the detail, an acceptance passes too, and 2.6.18-xen unloads', async () => {
  const cell = { xen: '4.17', arch: 'x86_64', role: 'domU', scenario: 'device-unplug' } as const;
  const [k61, k510, k35] = await run({ ...cell, kernel: '6.1' }, { ...cell, kernel: '5.10' }, { ...cell, kernel: '3.5' });
  for (const r of [k61!, k510!]) {
    assert.equal(r.outcome, 'works', r.reason);
    const unload = r.steps.find((s) => s.action === 'unload-module')!;
    assert.equal(unload.status, 'passed');
    assert.match(unload.detail!, /^refused: rmmod: ERROR: Module xen_blkfront is in use/);
    assert.equal(r.steps.at(-1)!.status, 'passed', 'the scenario went on after the refusal');
  }
  assert.equal(k35!.outcome, 'works', k35!.reason);
  assert.equal(k35!.steps.find((s) => s.action === 'unload-module')!.detail, undefined);
  const classic = await run1({ xen: '3.4', kernel: '2.6.18-xen', arch: 'x86_32-pae', role: 'domU', scenario: 'device-unplug' });
  assert.equal(classic.outcome, 'unsupported');
  assert.equal(classic.steps.find((s) => s.action === 'unload-module')!.detail, undefined, 'xenblk unloaded');
  assert.match(classic.reason!, /leak/);
});
