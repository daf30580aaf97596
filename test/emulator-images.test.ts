/**
 * Kernels given as real files: synthetic but structurally valid images (test/support),
 * read by the image layer, judged by the same loaders as described kernels.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildBzImage, buildElf, buildKconfig, linuxXenNotes, removeTemps, writeTemp } from './support/build-image.ts';
import { run } from './support/emulator-cells.ts';

after(() => removeTemps());

const config = buildKconfig(
  {
    XEN: 'y',
    XEN_PV: 'y',
    XEN_DOM0: 'y',
    PARAVIRT: 'y',
    HYPERVISOR_GUEST: 'y',
    X86_64: 'y',
    ACPI: 'y',
    PCI: 'y',
    X86_IO_APIC: 'y',
    SMP: 'y',
    HOTPLUG_CPU: 'y',
    XEN_BALLOON: 'y',
  },
  'Linux/x86 3.14.0 Kernel Configuration',
);

test('a SUPPORTED_FEATURES note without the dom0 bit: Xen 4.2+ refuses it as dom0, 4.1 does not check', async () => {
  const elf = buildElf({
    class: 64,
    machine: 'x86_64',
    notes: linuxXenNotes({ is64: true, dom0: false }),
    strings: ['Linux version 3.14.0-synthetic (builder@pvmatrix) #1 SMP'],
  });
  const t = writeTemp({ vmlinux: elf, config });
  const profile = { image: t.path('vmlinux'), config: t.path('config') };
  const cell = { kernel: '3.14', kernelProfile: profile, format: 'vmlinux', arch: 'x86_64', role: 'dom0', scenario: 'boot' } as const;
  const [x41, x42, domU] = await run({ ...cell, xen: '4.1' }, { ...cell, xen: '4.2' }, { ...cell, xen: '4.2', role: 'domU' });
  assert.equal(x41!.outcome, 'works', x41!.reason);
  assert.equal(x42!.outcome, 'unsupported');
  assert.match(x42!.reason!, /SUPPORTED_FEATURES note lacks the dom0 bit/);
  assert.ok(x42!.transcript.includes('(XEN) Kernel does not support Dom0 operation'));
  assert.equal(domU!.outcome, 'works', domU!.reason);
});

test('a real bzImage: its header protocol and payload compression decide, byte for byte', async () => {
  const elf = buildElf({
    class: 64,
    machine: 'x86_64',
    notes: linuxXenNotes({ is64: true }),
    strings: ['Linux version 2.6.32-synthetic (builder@pvmatrix) #1 SMP'],
  });
  const t = writeTemp({
    old: await buildBzImage({ protocol: '2.07', compression: 'gzip', elf }),
    bz2: await buildBzImage({ protocol: '2.10', compression: 'bzip2', elf }),
  });
  const cell = { kernel: '2.6.32', format: 'bzImage', arch: 'x86_64', role: 'domU', scenario: 'boot' } as const;
  const [old, bz39, bz40] = await run(
    { ...cell, xen: '4.0', kernelProfile: { image: t.path('old') } },
    { ...cell, xen: '3.4', compression: 'bzip2', kernelProfile: { image: t.path('bz2') } },
    { ...cell, xen: '4.0', compression: 'bzip2', kernelProfile: { image: t.path('bz2') } },
  );
  assert.equal(old!.outcome, 'unsupported');
  assert.match(old!.reason!, /boot protocol is 2\.07, below 2\.08/);
  assert.equal(bz39!.outcome, 'unsupported');
  assert.match(bz39!.reason!, /bzip2/);
  assert.equal(bz40!.outcome, 'works', bz40!.reason);
});

test('an ELF without Xen notes or __xen_guest is not a PV kernel; a non-PAE 32-bit one needs a non-PAE hypervisor', async () => {
  const plain = buildElf({ class: 64, machine: 'x86_64', strings: ['Linux version 3.0.0-native (builder@pvmatrix) #1 SMP'] });
  const nonpae = buildElf({
    class: 32,
    machine: 'x86',
    notes: linuxXenNotes({ is64: false, pae: 'no' }),
    strings: ['Linux version 2.6.24-synthetic (builder@pvmatrix) #1 SMP'],
  });
  const t = writeTemp({ plain, nonpae });
  const [native, old, modern] = await run(
    {
      xen: '4.0',
      kernel: '3.0',
      format: 'vmlinux',
      arch: 'x86_64',
      role: 'domU',
      scenario: 'boot',
      kernelProfile: { image: t.path('plain') },
    },
    {
      xen: '3.2',
      kernel: '2.6.24',
      format: 'vmlinux',
      arch: 'x86_32',
      role: 'domU',
      scenario: 'boot',
      kernelProfile: { image: t.path('nonpae') },
    },
    {
      xen: '3.3',
      kernel: '2.6.24',
      format: 'vmlinux',
      arch: 'x86_32',
      role: 'domU',
      scenario: 'boot',
      kernelProfile: { image: t.path('nonpae') },
    },
  );
  assert.equal(native!.outcome, 'unsupported');
  assert.match(native!.reason!, /neither Xen ELF notes nor a __xen_guest section/);
  assert.equal(old!.outcome, 'works', old!.reason);
  assert.equal(modern!.outcome, 'unsupported');
  assert.match(modern!.reason!, /PAE/);
});
