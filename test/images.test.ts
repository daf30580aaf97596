/**
 * The image layer over synthetic images: every boot protocol, every compression, ELF
 * classes, byte orders and machines, every Xen note type, __xen_guest, gzipped ELFs,
 * IKCONFIG, .config files, hypervisor images, bad input, the caches and `pvmatrix inspect`.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { COMPRESSIONS } from '../domain/axes.ts';
import {
  ImageError,
  inspectBytes,
  inspectFile,
  extractVmlinux,
  clearImageCache,
  imageCacheStats,
  useImageInfoStore,
  declaresDom0,
  parseKconfig,
  type ImageInfo,
} from '../emulator/images/index.ts';
import { inspect } from '../cli/commands/inspect.ts';
import { diskImageStore } from '../backends/image-store.ts';
import {
  PROTOCOLS,
  NOTE,
  buildBzImage,
  buildElf,
  buildKconfig,
  buildXenImage,
  gzipElf,
  linuxXenNotes,
  sizeTrailer,
  compressStream,
  writeTemp,
  removeTemps,
  type NoteSpec,
} from './support/build-image.ts';

after(removeTemps);

const banner = 'Linux version 2.6.32-synthetic (builder@pvmatrix) (gcc 4.4) #3 SMP Tue Dec 1 2009';
const kernel64 = buildElf({
  class: 64,
  machine: 'x86_64',
  notes: linuxXenNotes({ is64: true, dom0: true }),
  strings: [banner],
  bodySize: 3000,
});

async function rejects(p: Promise<unknown>, match: RegExp, offset?: number): Promise<ImageError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ImageError, `expected an ImageError, got ${String(e)}`);
    assert.match(e.message, match);
    if (offset !== undefined) assert.equal(e.offset, offset, `offset of: ${e.message}`);
    return e;
  }
  assert.fail(`expected an ImageError matching ${match}`);
}

describe('bzImage setup header', () => {
  for (const protocol of PROTOCOLS) {
    test(`boot protocol ${protocol}`, async () => {
      const img = await buildBzImage({ protocol, compression: 'gzip', elf: kernel64, setupSects: 7, kernelVersion: '2.6.32-synthetic #3' });
      const info = await inspectBytes(img, { file: 'bz' });
      const minor = Number(protocol.split('.')[1]);
      assert.equal(info.kind, 'bzImage');
      const bz = info.bzImage!;
      assert.equal(bz.protocol, protocol);
      assert.equal(bz.setupSects, 7);
      assert.equal(bz.kernelVersion, '2.6.32-synthetic #3');
      assert.equal(bz.payloadOffset !== undefined, minor >= 8, 'payload fields exist from 2.08');
      assert.equal(bz.initSize !== undefined, minor >= 10, 'init_size exists from 2.10');
      assert.equal(bz.xloadflags !== undefined, minor >= 12, 'xloadflags exist from 2.12');
      if (minor >= 8) {
        assert.equal(bz.payloadOffset, 8 * 512 + 0x200);
        assert.equal(bz.compression, 'gzip');
        assert.equal(bz.payloadSize, kernel64.length);
        assert.equal(info.linuxRelease, '2.6.32-synthetic');
        assert.equal(bz.payload?.machine, 'x86_64');
      } else {
        assert.equal(bz.compression, 'unknown');
        assert.equal(bz.payload, undefined);
        assert.equal(info.linuxRelease, '2.6.32-synthetic', 'from the header when there is no payload');
      }
    });
  }

  test('setup_sects 0 means 4', async () => {
    const fixed = await buildBzImage({ protocol: '2.08', compression: 'none', elf: kernel64, setupSects: 4 });
    fixed.writeUInt8(0, 0x1f1);
    const info = await inspectBytes(fixed, { file: 'bz4' });
    assert.equal(info.bzImage?.setupSects, 4);
    assert.equal(info.bzImage?.compression, 'none');
  });
});

describe('payload compressions', () => {
  for (const compression of COMPRESSIONS) {
    test(`${compression} payload is detected and read`, async () => {
      const img = await buildBzImage({ protocol: '2.15', compression, elf: kernel64 });
      const info = await inspectBytes(img, { file: `bz-${compression}` });
      assert.equal(info.bzImage?.compression, compression);
      assert.equal(info.bzImage?.payloadSize, kernel64.length);
      assert.equal(info.linuxBanner, banner);
      assert.equal(info.elf?.xenNotes?.guestOs, 'linux');
      const dir = writeTemp({ bz: img });
      const vmlinux = await extractVmlinux(dir.path('bz'));
      assert.ok(vmlinux.equals(kernel64), 'extractVmlinux gives back the exact ELF');
    });
  }

  test('an unknown payload magic is reported, not guessed', async () => {
    const img = await buildBzImage({
      protocol: '2.15',
      compression: 'none',
      payload: Buffer.from('PK\x03\x04 not a kernel payload at all'),
    });
    const info = await inspectBytes(img, { file: 'bz-zip' });
    assert.equal(info.bzImage?.compression, 'unknown');
    assert.equal(info.elf, undefined);
    const dir = writeTemp({ bz: img });
    await rejects(extractVmlinux(dir.path('bz')), /no vmlinux to extract: its payload compression is unknown/);
  });
});

describe('ELF images and Xen notes', () => {
  for (const [cls, machine, endian] of [
    [32, 'x86', 'little'],
    [64, 'x86_64', 'little'],
    [64, 'ia64', 'little'],
    [64, 'ia64', 'big'],
    [32, 'x86', 'big'],
  ] as const) {
    test(`ELF${cls} ${machine} ${endian} endian`, async () => {
      const elf = buildElf({
        class: cls,
        machine,
        endian,
        entry: 0xc0100000n,
        notes: linuxXenNotes({ is64: cls === 64, pae: cls === 32 ? 'yes' : undefined, dom0: false }),
      });
      const info = await inspectBytes(elf, { file: 'elf' });
      assert.equal(info.kind, 'elf');
      const e = info.elf!;
      assert.equal(e.class, cls);
      assert.equal(e.machine, machine);
      assert.equal(e.endian, endian);
      assert.equal(e.entry, '0xc0100000');
      assert.equal(e.type, 'ET_EXEC');
      assert.deepEqual(
        e.programHeaders.map((p) => p.type),
        ['PT_LOAD', 'PT_NOTE'],
      );
      const n = e.xenNotes!;
      assert.equal(n.virtBase, cls === 64 ? '0xffffffff80000000' : '0xc0000000');
      assert.equal(n.hvStartLow, cls === 64 ? '0xffff800000000000' : '0xf5800000');
      assert.deepEqual(n.features, ['!writable_page_tables', 'pae_pgdir_above_4gb']);
      assert.equal(n.paeMode, cls === 32 ? 'yes' : undefined);
      assert.equal(declaresDom0(n), false);
    });
  }

  test('every XEN_ELFNOTE type 0..19, strings and numbers', async () => {
    const notes: NoteSpec[] = [
      { type: NOTE.INFO, desc: 'FEATURES=x' },
      { type: NOTE.ENTRY, desc: 0xffffffff81234567n, size: 8 },
      { type: NOTE.HYPERCALL_PAGE, desc: 0xffffffff81001000n, size: 8 },
      { type: NOTE.VIRT_BASE, desc: 0xffffffff80000000n, size: 8 },
      { type: NOTE.PADDR_OFFSET, desc: 0x1000, size: 4 },
      { type: NOTE.XEN_VERSION, desc: 'xen-3.0' },
      { type: NOTE.GUEST_OS, desc: 'linux' },
      { type: NOTE.GUEST_VERSION, desc: '2.6' },
      { type: NOTE.LOADER, desc: 'generic' },
      { type: NOTE.PAE_MODE, desc: 'no' },
      { type: NOTE.FEATURES, desc: 'writable_page_tables|writable_descriptor_tables|auto_translated_physmap|!supervisor_mode_kernel' },
      { type: NOTE.BSD_SYMTAB, desc: 'yes' },
      { type: NOTE.HV_START_LOW, desc: 0xf5800000, size: 4 },
      { type: NOTE.L1_MFN_VALID, desc: Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]) },
      { type: NOTE.SUSPEND_CANCEL, desc: 1, size: 4 },
      { type: NOTE.INIT_P2M, desc: 0x8000000000n, size: 8 },
      { type: NOTE.MOD_START_PFN, desc: 1, size: 4 },
      { type: NOTE.SUPPORTED_FEATURES, desc: Buffer.from([0x01, 0x08, 0, 0, 0, 0, 0, 0]) },
      { type: NOTE.PHYS32_ENTRY, desc: 0x1000850, size: 4 },
      { type: NOTE.PHYS32_RELOC, desc: Buffer.from([0, 0, 0x20, 0, 0, 0, 0, 1, 0, 0, 0, 0x40]) },
      { type: 6, desc: 'ignored', name: 'GNU' }, // not Xen's: skipped
      { type: 42, desc: Buffer.from([0xde, 0xad]) }, // unknown type: kept raw
    ];
    const info = await inspectBytes(buildElf({ class: 64, machine: 'x86_64', notes }), { file: 'all-notes' });
    const n = info.elf!.xenNotes!;
    assert.deepEqual(
      n.raw.map((r) => r.type),
      [...Array.from({ length: 20 }, (_, i) => i), 42],
    );
    assert.equal(n.info, 'FEATURES=x');
    assert.equal(n.entry, '0xffffffff81234567');
    assert.equal(n.hypercallPage, '0xffffffff81001000');
    assert.equal(n.virtBase, '0xffffffff80000000');
    assert.equal(n.paddrOffset, '0x1000');
    assert.equal(n.xenVersion, 'xen-3.0');
    assert.equal(n.guestOs, 'linux');
    assert.equal(n.guestVersion, '2.6');
    assert.equal(n.loader, 'generic');
    assert.equal(n.paeMode, 'no');
    assert.deepEqual(n.features, [
      'writable_page_tables',
      'writable_descriptor_tables',
      'auto_translated_physmap',
      '!supervisor_mode_kernel',
    ]);
    assert.equal(n.bsdSymtab, 'yes');
    assert.equal(n.hvStartLow, '0xf5800000');
    assert.equal(n.l1MfnValid, '0x1 0x1');
    assert.equal(n.suspendCancel, 1);
    assert.equal(n.initP2m, '0x8000000000');
    assert.equal(n.modStartPfn, 1);
    assert.equal(n.supportedFeatures, 0x801);
    assert.equal(declaresDom0(n), true);
    assert.equal(n.phys32Entry, '0x1000850');
    assert.deepEqual(n.phys32Reloc, ['0x200000', '0x1000000', '0x40000000']);
    assert.equal(n.raw.at(-1)?.desc, 'dead');
  });

  for (const [value, mode] of [
    ['yes', 'yes'],
    ['no', 'no'],
    ['bimodal', 'bimodal'],
    ['yes,bimodal', 'bimodal'],
  ] as const) {
    test(`PAE_MODE "${value}" reads as ${mode}`, async () => {
      const info = await inspectBytes(buildElf({ class: 32, machine: 'x86', notes: [{ type: NOTE.PAE_MODE, desc: value }] }), {
        file: 'pae',
      });
      assert.equal(info.elf?.xenNotes?.paeMode, mode);
      assert.equal(info.elf?.xenNotes?.paeModeRaw, value);
    });
  }

  test('notes in a SHT_NOTE section only (no PT_NOTE) are read', async () => {
    const info = await inspectBytes(buildElf({ class: 64, machine: 'x86_64', notes: linuxXenNotes({ is64: true }), notesIn: 'section' }), {
      file: 'sec',
    });
    assert.deepEqual(
      info.elf?.programHeaders.map((p) => p.type),
      ['PT_LOAD'],
    );
    assert.equal(info.elf?.xenNotes?.guestOs, 'linux');
    assert.ok(info.elf?.sections?.includes('.note.Xen'));
  });

  test('notes in both a segment and a section are not counted twice', async () => {
    const info = await inspectBytes(buildElf({ class: 64, machine: 'x86_64', notes: linuxXenNotes({ is64: true }), notesIn: 'both' }), {
      file: 'both',
    });
    assert.equal(info.elf?.xenNotes?.raw.length, linuxXenNotes({ is64: true }).length);
  });

  test('the pre-3.0.3 __xen_guest section', async () => {
    const raw =
      'GUEST_OS=linux,GUEST_VER=2.6,XEN_VER=xen-3.0,VIRT_BASE=0xC0000000,ELF_PADDR_OFFSET=0xC0000000,HYPERCALL_PAGE=0x104,PAE=yes[extended-cr3],LOADER=generic';
    const info = await inspectBytes(buildElf({ class: 32, machine: 'x86', xenGuest: raw }), { file: 'guest' });
    assert.equal(info.elf?.xenNotes, undefined);
    assert.equal(info.elf?.xenGuest?.raw, raw);
    assert.deepEqual(info.elf?.xenGuest?.fields, {
      GUEST_OS: 'linux',
      GUEST_VER: '2.6',
      XEN_VER: 'xen-3.0',
      VIRT_BASE: '0xC0000000',
      ELF_PADDR_OFFSET: '0xC0000000',
      HYPERCALL_PAGE: '0x104',
      PAE: 'yes[extended-cr3]',
      LOADER: 'generic',
    });
  });

  test('a note whose descriptor overruns its segment is read, with a warning (as libelf does)', async () => {
    const elf = buildElf({
      class: 32,
      machine: 'x86',
      notes: [
        { type: NOTE.GUEST_OS, desc: 'GRUB' },
        { type: NOTE.PAE_MODE, desc: 'yes' },
      ],
    });
    // Claim a 12-byte descriptor for the last note, as grub-i386-xen.bin does.
    const descsz = elf.lastIndexOf(Buffer.from('yes\0')) - 12; // namesz, descsz, type, "Xen\0", desc
    elf.writeUInt32LE(12, descsz);
    const info = await inspectBytes(elf, { file: 'overrun' });
    assert.equal(info.elf?.xenNotes?.paeMode, 'yes');
    assert.match(info.elf?.warnings?.join('\n') ?? '', /overruns its PT_NOTE segment/);
  });

  test('a plain ELF without Xen metadata', async () => {
    const info = await inspectBytes(buildElf({ class: 64, machine: 'x86_64' }), { file: 'plain' });
    assert.equal(info.elf?.xenNotes, undefined);
    assert.equal(info.elf?.xenGuest, undefined);
  });
});

describe('gzipped ELF, IKCONFIG, .config', () => {
  test('vmlinux.gz', async () => {
    const info = await inspectBytes(gzipElf(kernel64), { file: 'vmlinux.gz' });
    assert.equal(info.kind, 'gzip-elf');
    assert.equal(info.linuxRelease, '2.6.32-synthetic');
    assert.equal(info.elf?.xenNotes?.supportedFeatures, 0x801);
  });

  test('gzip data that is not an ELF', async () => {
    await rejects(inspectBytes(gzipSync(Buffer.from('hello')), { file: 'x.gz' }), /does not hold an ELF/);
  });

  const values = {
    XEN: 'y',
    XEN_DOM0: 'y',
    X86_PAE: 'n',
    XENFS: 'm',
    NR_CPUS: '64',
    PHYSICAL_START: '0x1000000',
    CMDLINE: 'console=hvc0 "quoted"',
  };
  test('embedded IKCONFIG', async () => {
    const elf = buildElf({ class: 64, machine: 'x86_64', strings: [banner], ikconfig: buildKconfig(values) });
    const img = await buildBzImage({ protocol: '2.10', compression: 'xz', elf });
    const info = await inspectBytes(img, { file: 'ik', config: { text: 'CONFIG_OTHER=y', source: 'given' } });
    assert.equal(info.configSource, 'ikconfig', 'the kernel own config wins over a given one');
    assert.deepEqual(info.config, values);
  });

  test('.config files', async () => {
    const text = buildKconfig(values, 'Linux/x86 2.6.32 Kernel Configuration');
    const info = await inspectBytes(Buffer.from(text), { file: 'config-2.6.32' });
    assert.equal(info.kind, 'kconfig');
    assert.equal(info.linuxRelease, '2.6.32');
    assert.deepEqual(info.config, values);
    assert.equal(
      parseKconfig("#\n# Automatically generated make config: don't edit\n# Linux kernel version: 2.6.18\nCONFIG_X86_32=y\n").version,
      '2.6.18',
    );
    assert.deepEqual(parseKconfig('# comment\nCONFIG_A=y\n\n# CONFIG_B is not set\nCONFIG_C="a\\"b"\nnot a line\n').values, {
      A: 'y',
      B: 'n',
      C: 'a"b',
    });
  });
});

describe('Xen hypervisor images', () => {
  test('version from the changeset and extra version, debug from build_info', async () => {
    const info = await inspectBytes(buildXenImage({ extra: '.1', changeset: '4.19.1-1+b1', debug: true }), { file: 'xen.gz' });
    assert.equal(info.kind, 'xen');
    const hv = info.hypervisor!;
    assert.equal(hv.version, '4.19.1');
    assert.equal(hv.extra, '.1');
    assert.equal(hv.debug, true);
    assert.equal(hv.debugSource, 'image');
    assert.deepEqual(hv.multibootHeaders, [1, 2]);
    assert.equal(hv.multiboot, 2);
    assert.equal(hv.elf?.class, 32);
    assert.equal(hv.build?.by, 'builder@pvmatrix.test');
    assert.equal(hv.build?.compiler, 'gcc (GCC) 12.2.0');
  });

  test('an upstream changeset: version from the .config header, then from the file name', async () => {
    const img = buildXenImage({ extra: '-rc', changeset: 'git:0123abcd', multiboot: [1] });
    const cfg = buildKconfig({ DEBUG: 'y' }, 'Xen/x86 4.20-rc Configuration');
    const withConfig = (await inspectBytes(img, { file: 'xen.gz', config: { text: cfg, source: 'xen.config' } })).hypervisor!;
    assert.equal(withConfig.version, '4.20');
    assert.equal(withConfig.versionSource, 'config');
    assert.equal(withConfig.extra, '-rc');
    assert.equal(withConfig.debug, true);
    assert.equal(withConfig.debugSource, 'config');
    assert.equal(withConfig.multiboot, 1);
    const byName = (await inspectBytes(img, { file: '/boot/xen-4.20-amd64.gz' })).hypervisor!;
    assert.equal(byName.version, '4.20');
    assert.equal(byName.versionSource, 'file name');
    assert.equal(byName.debug, undefined, 'no build_info and no config: unknown');
  });

  test('sibling .config is found by inspectFile', async () => {
    const dir = writeTemp({
      'xen-4.20-amd64.gz': buildXenImage({ extra: '.0', changeset: 'git:abc' }),
      'xen-4.20-amd64.config': buildKconfig({ DEBUG: 'n' }, 'Xen/x86 4.20.0 Configuration'),
    });
    const hv = (await inspectFile(dir.path('xen-4.20-amd64.gz'))).hypervisor!;
    assert.equal(hv.version, '4.20.0');
    assert.equal(hv.debug, false);
    assert.equal(hv.debugSource, 'config');
  });
});

describe('bad input', () => {
  test('wrong magic, truncated header, payload past the end', async () => {
    const img = await buildBzImage({ protocol: '2.15', compression: 'gzip', elf: kernel64 });
    const info = await inspectBytes(Buffer.from('just text, no image'), { file: 'junk' });
    assert.equal(info.kind, 'unknown');
    await rejects(
      inspectBytes(img.subarray(0, 0x250), { file: 'short' }),
      /^short @ 0x1f1: setup_sects 4 puts the kernel at 2560, past the end/,
      0x1f1,
    );
    const past = Buffer.from(img);
    past.writeUInt32LE(0x7fffffff, 0x24c);
    await rejects(inspectBytes(past, { file: 'past' }), /payload .* past the end of the file/, 0x248);
    const protocol = Buffer.from(img);
    protocol.writeUInt16LE(0x0310, 0x206);
    await rejects(inspectBytes(protocol, { file: 'v3' }), /boot protocol version 3.16 is not 2.x/, 0x206);
  });

  test('ELF headers pointing past the end', async () => {
    const elf = buildElf({ class: 64, machine: 'x86_64', notes: linuxXenNotes({ is64: true }) });
    const bad = Buffer.from(elf);
    bad.writeBigUInt64LE(0xfffffn, 32); // e_phoff
    await rejects(inspectBytes(bad, { file: 'phoff' }), /program header table .* past the end/, 0xfffff);
    await rejects(inspectBytes(elf.subarray(0, 40), { file: 'tiny' }), /ELF header .* past the end/, 0);
  });

  for (const compression of ['gzip', 'bzip2', 'lzma', 'xz', 'lzo', 'lz4', 'zstd'] as const) {
    test(`corrupt ${compression} payload`, async () => {
      const img = await buildBzImage({ protocol: '2.15', compression, elf: kernel64 });
      const start = 5 * 512 + 0x200;
      const bad = Buffer.from(img);
      for (let i = start + 24; i < bad.length - 40; i += 7) bad[i] = bad[i]! ^ 0x5a;
      await rejects(
        inspectBytes(bad, { file: `corrupt-${compression}` }),
        /corrupt|expands|declares|past|ends|ELF|invalid|inconsistent|no end marker|points before|xz/,
      );
    });
  }

  test('a declared size over the limit is refused before decompressing', async () => {
    const img = await buildBzImage({ protocol: '2.15', compression: 'xz', elf: kernel64 });
    img.writeUInt32LE(0xfffffff0, img.length - 4);
    await rejects(
      inspectBytes(img, { file: 'bomb' }),
      /declares 4294967280 uncompressed bytes, over the 268435456-byte limit/,
      img.length - 4,
    );
  });

  for (const compression of ['gzip', 'bzip2', 'lzma', 'xz', 'lzo', 'lz4', 'zstd'] as const) {
    test(`${compression}: a payload that expands past the limit is stopped`, async () => {
      const big = Buffer.alloc(4 << 20); // zeros: compresses to almost nothing
      const stream = await compressStream(compression, big);
      // Lie in the trailer (claims 1000 bytes) so only the decoder's own bound can stop it:
      // either it refuses, or it stops at the declared size and the 1000 zeros are no ELF.
      const img = await buildBzImage({
        protocol: '2.15',
        compression,
        payload: Buffer.concat([stream, compression === 'gzip' ? Buffer.alloc(0) : sizeTrailer(1000)]),
      });
      if (compression === 'gzip') img.writeUInt32LE(1000, img.length - 4);
      await rejects(inspectBytes(img, { file: `bomb-${compression}`, limit: 1 << 20 }), /limit|expands|declares|corrupt|not an ELF/);
    });
  }

  test('missing files, directories', async () => {
    await rejects(inspectFile('/nonexistent/vmlinuz'), /^\/nonexistent\/vmlinuz: cannot read: no such file$/);
    await rejects(inspectFile('/tmp'), /is a directory/);
    await rejects(extractVmlinux('/nonexistent/vmlinuz'), /no such file/);
  });
});

describe('caches', () => {
  test('stat cache, content cache, and re-reading a changed file', async () => {
    clearImageCache();
    const img = await buildBzImage({ protocol: '2.12', compression: 'lz4', elf: kernel64 });
    const dir = writeTemp({ a: img });
    copyFileSync(dir.path('a'), dir.path('b'));
    const first = await inspectFile(dir.path('a'));
    assert.deepEqual(imageCacheStats, { reads: 1, inspections: 1 });
    const again = await inspectFile(dir.path('a'));
    assert.deepEqual(imageCacheStats, { reads: 1, inspections: 1 }, 'same file, same stat: not even read');
    assert.deepEqual(again, first);
    const copy = await inspectFile(dir.path('b'));
    assert.deepEqual(
      imageCacheStats,
      { reads: 2, inspections: 1 },
      'same content under another name: read and hashed, not inspected again',
    );
    assert.equal(copy.path, dir.path('b'));
    assert.equal(copy.sha256, first.sha256);
    writeFileSync(dir.path('a'), await buildBzImage({ protocol: '2.12', compression: 'gzip', elf: kernel64 }));
    utimesSync(dir.path('a'), new Date(), new Date(Date.now() + 5000));
    const changed = await inspectFile(dir.path('a'));
    assert.equal(changed.bzImage?.compression, 'gzip');
    assert.deepEqual(imageCacheStats, { reads: 3, inspections: 2 });
  });

  test('the lasting store on disk: a later process reads nothing; a changed file or a corrupt entry is a miss', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'pvm-image-store-'));
    const dir = writeTemp({ k: await buildBzImage({ protocol: '2.12', compression: 'xz', elf: kernel64 }) });
    try {
      useImageInfoStore(diskImageStore(cache));
      clearImageCache();
      const first = await inspectFile(dir.path('k'));
      assert.deepEqual(imageCacheStats, { reads: 1, inspections: 1 });
      assert.equal(readdirSync(cache).filter((f) => f.endsWith('.json')).length, 1, 'one entry written');
      clearImageCache(); // as a new process starts
      const again = await inspectFile(dir.path('k'));
      assert.deepEqual(imageCacheStats, { reads: 0, inspections: 0 }, 'answered from the store: not even read');
      assert.deepEqual(again, first);
      writeFileSync(dir.path('k'), await buildBzImage({ protocol: '2.12', compression: 'gzip', elf: kernel64 }));
      utimesSync(dir.path('k'), new Date(), new Date(Date.now() + 5000));
      clearImageCache();
      assert.equal((await inspectFile(dir.path('k'))).bzImage?.compression, 'gzip', 'the changed file is read again');
      for (const f of readdirSync(cache)) writeFileSync(join(cache, f), '{ not json');
      clearImageCache();
      assert.equal((await inspectFile(dir.path('k'))).bzImage?.compression, 'gzip', 'a corrupt entry is a miss');
      assert.equal(imageCacheStats.inspections, 1);
    } finally {
      useImageInfoStore(undefined);
      rmSync(cache, { recursive: true, force: true });
    }
  });

  test('a thousand concurrent inspections of one file read it once', async () => {
    clearImageCache();
    const dir = writeTemp({ k: await buildBzImage({ protocol: '2.15', compression: 'gzip', elf: kernel64 }) });
    const all = await Promise.all(Array.from({ length: 1000 }, () => inspectFile(dir.path('k'))));
    assert.equal(new Set(all.map((i) => i.sha256)).size, 1);
    assert.deepEqual(imageCacheStats, { reads: 1, inspections: 1 });
  });

  test('errors are not cached', async () => {
    clearImageCache();
    const dir = writeTemp({ k: Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]) });
    await rejects(inspectFile(dir.path('k')), /corrupt gzip data/);
    await rejects(inspectFile(dir.path('k')), /corrupt gzip data/);
    assert.equal(imageCacheStats.inspections, 2, 'the corrupt file was inspected twice: its error was not cached');
    writeFileSync(dir.path('k'), gzipElf(kernel64));
    utimesSync(dir.path('k'), new Date(), new Date(Date.now() + 5000));
    assert.equal((await inspectFile(dir.path('k'))).kind, 'gzip-elf');
  });
});

describe('pvmatrix inspect', () => {
  function io(): { out: string; err: string; io: { out(t: string): void; err(t: string): void } } {
    const r = { out: '', err: '', io: { out: (t: string) => void (r.out += t), err: (t: string) => void (r.err += t) } };
    return r;
  }

  test('JSON for good files, exit 2 and a message for the bad ones', async () => {
    const dir = writeTemp({
      bz: await buildBzImage({ protocol: '2.10', compression: 'bzip2', elf: kernel64 }),
      'vmlinux.gz': gzipElf(kernel64),
      config: buildKconfig({ XEN: 'y' }),
      junk: 'hello',
    });
    const r = io();
    const code = await inspect(
      [dir.path('bz'), dir.path('missing'), dir.path('vmlinux.gz'), dir.path('junk'), dir.path('config'), '--json'],
      r.io,
    );
    assert.equal(code, 2);
    const json = JSON.parse(r.out) as { schema: string; files: (Partial<ImageInfo> & { path: string; ok: boolean; error?: string })[] };
    assert.equal(json.schema, 'pvmatrix/inspect@1');
    assert.deepEqual(
      json.files.map((f) => [f.path.split('/').at(-1), f.ok, f.kind]),
      [
        ['bz', true, 'bzImage'],
        ['missing', false, undefined],
        ['vmlinux.gz', true, 'gzip-elf'],
        ['junk', false, undefined],
        ['config', true, 'kconfig'],
      ],
    );
    assert.equal(json.files[0]?.bzImage?.compression, 'bzip2');
    assert.match(r.err, /missing: cannot read: no such file/);
    assert.match(r.err, /junk: not a recognised image/);
  });

  test('text summary, exit 0', async () => {
    const dir = writeTemp({ bz: await buildBzImage({ protocol: '2.15', compression: 'zstd', elf: kernel64 }) });
    const r = io();
    assert.equal(await inspect([dir.path('bz')], r.io), 0);
    assert.match(r.out, /bzImage \(Linux 2\.6\.32-synthetic\)/);
    assert.match(r.out, /boot protocol 2\.15/);
    assert.match(r.out, /zstd -> \d+ bytes/);
    assert.match(r.out, /SUPPORTED_FEATURES 0x801 \(dom0 yes\)/);
    assert.equal(r.err, '');
  });

  test('usage errors', async () => {
    await assert.rejects(inspect([], io().io), /expected at least one FILE/);
    await assert.rejects(inspect(['--jsn', 'x'], io().io), /unknown option --jsn/);
  });
});
