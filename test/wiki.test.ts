/**
 * The Xen wiki page's statements (XenParavirtOps, seed/000_0ab717d134ba4553.txt), each run
 * through the emulator on the cells it is about: the outcome, and that the reason names
 * the deciding fact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factText, run, steps } from './support/emulator-cells.ts';

test('"a single kernel binary which will either boot native ... or boot fully paravirtualized"', async () => {
  const [native, pv, classic] = await run(
    { kernel: '2.6.30', format: 'bzImage', arch: 'x86_64', scenario: 'native-boot' },
    { xen: '4.0', kernel: '2.6.30', format: 'bzImage', arch: 'x86_64', role: 'domU', scenario: 'boot' },
    { kernel: '2.6.18-xen', format: 'vmlinux.gz', arch: 'x86_64', scenario: 'native-boot' },
  );
  assert.equal(native!.outcome, 'works', native!.reason);
  assert.equal(pv!.outcome, 'works', pv!.reason);
  assert.equal(classic!.outcome, 'unsupported');
  assert.match(classic!.reason!, /bare metal/);
  assert.match(factText(classic!), /sub-architecture|X86_XEN/);
});

test('"Xen only supports 32 bit PAE kernels nowadays": a non-PAE 32-bit guest is refused for PAE', async () => {
  const [nonpae, pae, old33, old32] = await run(
    { xen: '4.0', kernel: '2.6.30', arch: 'x86_32', role: 'domU', scenario: 'boot' },
    { xen: '4.0', kernel: '2.6.30', arch: 'x86_32-pae', role: 'domU', scenario: 'boot' },
    // 2.6.23-2.6.25 could still be built without PAE: then the hypervisor decides.
    { xen: '3.3', kernel: '2.6.24', arch: 'x86_32', role: 'domU', scenario: 'boot' },
    { xen: '3.2', kernel: '2.6.24', arch: 'x86_32', role: 'domU', scenario: 'boot' },
  );
  assert.equal(nonpae!.outcome, 'unsupported');
  assert.match(nonpae!.reason!, /PAE/);
  assert.match(factText(nonpae!), /arch\/x86\/xen\/Kconfig/);
  assert.equal(pae!.outcome, 'works', pae!.reason);
  assert.equal(old33!.outcome, 'unsupported');
  assert.match(old33!.reason!, /PAE/);
  assert.match(factText(old33!), /84d54d5d8b/);
  assert.equal(old32!.outcome, 'works', old32!.reason);
});

test('"only relatively recent versions of the Xen tools stack support loading bzImage files (post-Xen 3.2)"', async () => {
  const [xen32, xen33, vmlinux32, gz32] = await run(
    { xen: '3.2', kernel: '2.6.30', format: 'bzImage', role: 'domU', scenario: 'boot' },
    { xen: '3.3', kernel: '2.6.30', format: 'bzImage', role: 'domU', scenario: 'boot' },
    { xen: '3.2', kernel: '2.6.30', format: 'vmlinux', role: 'domU', scenario: 'boot' },
    { xen: '3.2', kernel: '2.6.30', format: 'vmlinux.gz', role: 'domU', scenario: 'boot' },
  );
  assert.equal(xen32!.outcome, 'unsupported');
  assert.match(xen32!.reason!, /cannot load a bzImage domU/);
  assert.match(xen32!.reason!, /3\.3/);
  assert.match(factText(xen32!), /xc_dom_bzimageloader\.c/);
  assert.ok(xen32!.transcript.some((l) => /xc_dom_find_loader: no loader found/.test(l)));
  assert.equal(xen33!.outcome, 'works', xen33!.reason);
  assert.equal(vmlinux32!.outcome, 'works', vmlinux32!.reason);
  assert.equal(gz32!.outcome, 'works', gz32!.reason);
});

test('a bzImage dom0 needs Xen 3.4 or a backport: Fedora 10 3.3.0 refuses, Fedora 11 3.3.1 boots; vmlinux(.gz) works on 3.3', async () => {
  const dom0 = { kernel: '2.6.30-rc3-tip', arch: 'x86_64', role: 'dom0', scenario: 'boot' } as const;
  const [f10, f11, x33, x34, vml, vgz] = await run(
    { ...dom0, xen: 'fedora10-3.3.0', format: 'bzImage' },
    { ...dom0, xen: 'fedora11-3.3.1', format: 'bzImage' },
    { ...dom0, xen: '3.3', format: 'bzImage' },
    { ...dom0, xen: '3.4', format: 'bzImage' },
    { ...dom0, xen: '3.3', format: 'vmlinux' },
    { ...dom0, xen: 'fedora10-3.3.0', format: 'vmlinux.gz' },
  );
  for (const r of [f10!, x33!]) {
    assert.equal(r.outcome, 'unsupported');
    assert.match(
      r.reason!,
      /cannot load a bzImage dom0: the hypervisor gained its bzImage dom0 loader in 3\.4 \(xen\/arch\/x86\/bzimage\.c/,
    );
  }
  assert.equal(f11!.outcome, 'works', f11!.reason);
  assert.equal(x34!.outcome, 'works', x34!.reason);
  assert.equal(vml!.outcome, 'works', vml!.reason);
  assert.equal(vgz!.outcome, 'works', vgz!.reason);
});

test('"pv_ops sysfs memory ballooning support" came with Xen 3.4 (and Fedora 11\'s backport)', async () => {
  const cell = { kernel: '2.6.30-rc3-tip', arch: 'x86_64', role: 'dom0', scenario: 'balloon' } as const;
  const [x33, f10, x34, f11, domU33] = await run(
    { ...cell, xen: '3.3' },
    { ...cell, xen: 'fedora10-3.3.0' },
    { ...cell, xen: '3.4' },
    { ...cell, xen: 'fedora11-3.3.1' },
    { ...cell, xen: '3.3', kernel: '2.6.30', role: 'domU' },
  );
  for (const r of [x33!, f10!]) {
    assert.equal(r.outcome, 'unsupported');
    assert.match(r.reason!, /\/proc\/xen\/balloon/);
    assert.match(factText(r), /osdep\.py|336c683373/);
  }
  assert.equal(x34!.outcome, 'works', x34!.reason);
  assert.equal(f11!.outcome, 'works', f11!.reason);
  // A domU's target goes through xenstore: xend never needed the sysfs files for it.
  assert.equal(domU33!.outcome, 'works', domU33!.reason);
});

test('"earlyprintk=xen only works for domU if you have Xen hypervisor built in debug mode"', async () => {
  const cell = { kernel: '2.6.30', arch: 'x86_64', role: 'domU', scenario: 'earlyprintk' } as const;
  const [release, debug, dom0] = await run(
    { ...cell, xen: '4.17' },
    { ...cell, xen: '4.17-debug' },
    { ...cell, kernel: '2.6.37', xen: '4.17', role: 'dom0' },
  );
  assert.equal(release!.outcome, 'unsupported');
  assert.match(release!.reason!, /debug/);
  assert.match(factText(release!), /console\.c/);
  assert.equal(debug!.outcome, 'works', debug!.reason);
  assert.ok(
    debug!.transcript.some((l) => l.startsWith('(d1) Linux version')),
    'a 4.4+ debug build prefixes domU lines with (d1)',
  );
  assert.equal(dom0!.outcome, 'works', dom0!.reason);
});

test('"The XENFS and XEN_COMPAT_XENFS config options are needed for /proc/xen support" (and the fstab line)', async () => {
  const cell = { xen: '4.0', kernel: '2.6.31', arch: 'x86_64', role: 'domU', scenario: 'xenfs' } as const;
  const readOnly = steps([{ boot: null }, { read: '/proc/xen/capabilities', expect: { exists: true } }]);
  const [ok, noXenfs, noCompat, unmounted] = await run(
    cell,
    { ...cell, kernelProfile: { configOverrides: { XENFS: 'n' } } },
    { ...cell, kernelProfile: { configOverrides: { XEN_COMPAT_XENFS: 'n' } } },
    { ...cell, scenario: readOnly },
  );
  assert.equal(ok!.outcome, 'works', ok!.reason);
  assert.equal(noXenfs!.outcome, 'unsupported');
  assert.match(noXenfs!.reason!, /XENFS/);
  assert.equal(noCompat!.outcome, 'unsupported');
  assert.match(noCompat!.reason!, /XEN_COMPAT_XENFS/);
  assert.equal(unmounted!.outcome, 'unsupported');
  assert.ok(unmounted!.reason!.includes('none /proc/xen xenfs defaults 0 0'), unmounted!.reason);
});

test('"XEN_DOM0 ... Depends on: PARAVIRT_GUEST && XEN && X86_IO_APIC && ACPI" in the 2009 tree', async () => {
  const cell = { xen: '3.4', kernel: 'xen.git-2.6.31', arch: 'x86_64', role: 'dom0', scenario: 'boot' } as const;
  const off = (sym: string) => ({ ...cell, kernelProfile: { configOverrides: { [sym]: 'n' } } });
  const [ok, noGuest, noAcpi, domU] = await run(cell, off('PARAVIRT_GUEST'), off('ACPI'), { ...off('ACPI'), role: 'domU' });
  assert.equal(ok!.outcome, 'works', ok!.reason);
  assert.equal(noAcpi!.outcome, 'unsupported');
  assert.match(noAcpi!.reason!, /cannot run as dom0 without CONFIG_XEN_DOM0/);
  assert.match(noAcpi!.reason!, /CONFIG_XEN_DOM0 depends on PARAVIRT_GUEST && XEN && X86_IO_APIC && ACPI/);
  assert.match(noAcpi!.reason!, /ACPI is not set/);
  assert.match(factText(noAcpi!), /arch\/x86\/xen\/Kconfig/);
  // The same kernel without ACPI still runs as a domU: only dom0 needs it.
  assert.equal(domU!.outcome, 'works', domU!.reason);
  // Without the "Paravirtualized guest support" menu, XEN itself goes, and XEN_DOM0 with it.
  assert.equal(noGuest!.outcome, 'unsupported');
  assert.match(noGuest!.reason!, /PARAVIRT_GUEST is not set/);
});

test('2.6.18-xen (and pv-ops before 3.5) leak granted pages on unplug; 3.5 defers them', async () => {
  const cell = { xen: '4.1', arch: 'x86_64', role: 'domU', scenario: 'device-unplug' } as const;
  const [classic, pvops34, pvops35] = await run({ ...cell, kernel: '2.6.18-xen' }, { ...cell, kernel: '3.0' }, { ...cell, kernel: '3.5' });
  for (const r of [classic!, pvops34!]) {
    assert.equal(r.outcome, 'unsupported');
    assert.match(r.reason!, /leak/);
    assert.match(factText(r), /gnttab|grant-table/);
  }
  assert.match(factText(classic!), /KERN_DEBUG/);
  assert.equal(pvops35!.outcome, 'works', pvops35!.reason);
  assert.ok(pvops35!.transcript.some((l) => /deferring g\.e\./.test(l)));
  assert.ok(pvops35!.transcript.some((l) => /freed deferred g\.e\./.test(l)));
});
