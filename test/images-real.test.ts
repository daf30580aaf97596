/**
 * The image layer over the real files Debian installs here (linux-image-amd64,
 * xen-hypervisor-4.17-amd64, grub-xen-host), cross-checked against the CLI tools (xz,
 * readelf) where they are installed; and payloads made by the real compressors with the
 * command lines Linux's build uses, wrapped in a synthetic bzImage. Each test skips,
 * loudly, when its file or tool is absent.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectFile, extractVmlinux, declaresDom0, inspectBytes, decompress } from '../emulator/images/index.ts';
import { debianKernel, debianXen, GRUB_I386_XEN, GRUB_X86_64_XEN, NEED, present } from './support/artifacts.ts';
import { buildBzImage, buildElf, linuxXenNotes, sizeTrailer } from './support/build-image.ts';

const vmlinuz = debianKernel?.vmlinuz;
const XEN = debianXen?.image ?? '/boot/xen-4.*-amd64.gz';
const XEN_CONFIG = debianXen?.config ?? '/boot/xen-4.*-amd64.config';
const GRUB32 = GRUB_I386_XEN;
const GRUB64 = GRUB_X86_64_XEN;

/** readelf -n's Xen note types, in order: an independent reading of the same notes. */
function readelfXenNoteTypes(path: string): number[] {
  const out = execFileSync('readelf', ['-n', '-W', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 24 });
  return out
    .split('\n')
    .filter((l) => /^\s+Xen\s/.test(l))
    .map((l) => {
      const m = /note type: \(0x([0-9a-f]+)\)/.exec(l);
      if (m) return parseInt(m[1]!, 16);
      // readelf names the generic types 1..4 (NT_VERSION, NT_ARCH, ...) and 0x10-style GO BUILDID (4)
      if (/NT_VERSION/.test(l)) return 1;
      if (/NT_ARCH/.test(l)) return 2;
      if (/GO BUILDID/.test(l)) return 4;
      return -1;
    });
}

describe('Debian linux-image-amd64', () => {
  test('the xz bzImage: header, payload, ELF, Xen notes', async (t) => {
    if (!present(t, NEED.kernel)) return;
    const raw = readFileSync(vmlinuz!);
    const info = await inspectFile(vmlinuz!);
    assert.equal(info.kind, 'bzImage');
    const bz = info.bzImage!;
    // The setup header read independently of the reader.
    assert.equal(bz.protocol, `${raw[0x207]}.${String(raw[0x206]).padStart(2, '0')}`);
    assert.ok(Number(bz.protocol) >= 2.08);
    assert.equal(bz.payloadOffset, (raw[0x1f1]! + 1) * 512 + raw.readUInt32LE(0x248));
    assert.equal(bz.payloadLength, raw.readUInt32LE(0x24c));
    assert.equal(bz.compression, 'xz', 'Debian 12 builds with CONFIG_KERNEL_XZ');
    assert.equal(bz.payloadSize, raw.readUInt32LE(bz.payloadOffset! + bz.payloadLength! - 4), 'the size trailer');
    const release = vmlinuz!.replace('/boot/vmlinuz-', '');
    assert.equal(info.linuxRelease, release);
    assert.ok(bz.kernelVersion?.startsWith(`${release} `));
    assert.match(info.linuxBanner ?? '', new RegExp(`^Linux version ${release.replace(/[.+]/g, '\\$&')} \\(.*\\) #\\d`));
    const elf = info.elf!;
    assert.equal(elf.class, 64);
    assert.equal(elf.machine, 'x86_64');
    const n = elf.xenNotes!;
    assert.equal(n.guestOs, 'linux');
    assert.equal(n.xenVersion, 'xen-3.0');
    assert.equal(n.loader, 'generic');
    assert.equal(declaresDom0(n), true, 'CONFIG_XEN_DOM0=y kernels declare dom0 in SUPPORTED_FEATURES');
    assert.ok(n.phys32Entry, 'CONFIG_XEN_PVH=y kernels carry PHYS32_ENTRY');
  });

  test('the payload decompresses to the same bytes as the xz CLI gives', async (t) => {
    if (!present(t, NEED.kernel, NEED.command('xz', 'xz-utils'))) return;
    const raw = readFileSync(vmlinuz!);
    const info = await inspectFile(vmlinuz!);
    const { payloadOffset: at, payloadLength: len } = info.bzImage!;
    const cli = execFileSync('xz', ['-dc'], { input: raw.subarray(at!, at! + len! - 4), maxBuffer: 1 << 28 });
    const ours = await extractVmlinux(vmlinuz!);
    assert.equal(ours.length, cli.length);
    assert.equal(createHash('sha256').update(ours).digest('hex'), createHash('sha256').update(cli).digest('hex'));
  });

  test('its Xen notes are the ones readelf sees', async (t) => {
    if (!present(t, NEED.kernel, NEED.command('readelf', 'binutils'))) return;
    const dir = mkdtempSync(join(tmpdir(), 'pvm-vmlinux-'));
    t.after(() => rmSync(dir, { recursive: true, force: true })); // 66 MB
    const path = join(dir, 'vmlinux');
    writeFileSync(path, await extractVmlinux(vmlinuz!));
    const info = await inspectFile(path);
    assert.equal(info.kind, 'elf');
    assert.deepEqual(
      info.elf!.xenNotes!.raw.map((r) => r.type),
      readelfXenNoteTypes(path),
    );
  });

  test('its /boot/config-*', async (t) => {
    const config = debianKernel?.config;
    if (!present(t, NEED.kernel, NEED.kernelConfig)) return;
    const text = readFileSync(config!, 'latin1');
    const info = await inspectFile(config!);
    assert.equal(info.kind, 'kconfig');
    const c = info.config!;
    assert.equal(Object.keys(c).length, text.split('\n').filter((l) => /^CONFIG_\w+=|^# CONFIG_\w+ is not set$/.test(l)).length);
    assert.equal(c.XEN, 'y');
    assert.equal(c.KERNEL_XZ, 'y');
    assert.equal(c.IKCONFIG, 'n', 'Debian does not embed its config, so the bzImage has none');
    assert.equal((await inspectFile(vmlinuz!)).configSource, undefined);
  });
});

describe('Debian xen-hypervisor-4.17-amd64', () => {
  test('xen.gz: version, release build, multiboot', async (t) => {
    if (!present(t, NEED.xen)) return;
    const info = await inspectFile(XEN, { sibling: false });
    assert.equal(info.kind, 'xen');
    const hv = info.hypervisor!;
    assert.match(hv.version, /^4\.17(\.\d+)?$/);
    assert.equal(hv.versionSource, 'image');
    assert.equal(hv.debug, false);
    assert.equal(hv.debugSource, 'image');
    assert.deepEqual(hv.multibootHeaders, [1, 2]);
    assert.equal(hv.elf?.class, 32);
    assert.equal(hv.elf?.machine, 'x86');
    // The banner Xen prints at boot ("Xen version 4.17.7 (pkg-xen-devel@lists.alioth.debian.org) (gcc ...)"),
    // from the strings it is made of.
    assert.match(hv.build?.by ?? '', /^[\w.+-]+@[\w.-]+\.\w+$/);
    assert.match(hv.build?.compiler ?? '', /gcc|clang/);
  });

  test('its .config agrees on version and debug', async (t) => {
    if (!present(t, NEED.xen, NEED.xenConfig)) return;
    const text = readFileSync(XEN_CONFIG, 'latin1');
    const header = /^# Xen\/x86 (\S+) Configuration$/m.exec(text)?.[1];
    const info = await inspectFile(XEN);
    assert.equal(info.configSource, XEN_CONFIG, 'the sibling .config is found');
    assert.equal(info.hypervisor?.version, header);
    assert.equal(info.hypervisor?.debug, info.config?.DEBUG === 'y');
    assert.equal(info.config?.DEBUG, 'n');
  });
});

describe('grub-xen-host PV GRUB images (Xen notes that are not Linux)', () => {
  for (const [path, cls, machine] of [
    [GRUB32, 32, 'x86'],
    [GRUB64, 64, 'x86_64'],
  ] as const) {
    test(path, async (t) => {
      if (!present(t, NEED.grubXen)) return;
      const info = await inspectFile(path);
      assert.equal(info.kind, 'elf');
      const e = info.elf!;
      assert.equal(e.class, cls);
      assert.equal(e.machine, machine);
      const n = e.xenNotes!;
      assert.equal(n.guestOs, 'GRUB');
      assert.equal(n.loader, 'generic');
      assert.equal(n.xenVersion, 'xen-3.0');
      assert.equal(n.supportedFeatures, undefined);
      if (cls === 32) {
        assert.equal(n.paeMode, 'yes');
        assert.match(e.warnings?.join('\n') ?? '', /descriptor of 12 bytes overruns/);
      } else {
        assert.equal(n.paeMode, undefined);
      }
      if (present(t, NEED.command('readelf', 'binutils'))) {
        // readelf stops at the overrunning PAE_MODE note (with a warning); Xen's libelf, and we, read it.
        const expected = [...readelfXenNoteTypes(path), ...(cls === 32 ? [9] : [])];
        assert.deepEqual(
          n.raw.map((r) => r.type),
          expected,
        );
      }
    });
  }
});

describe('payloads made by the real compressors, as Linux invokes them', () => {
  const elf = buildElf({
    class: 64,
    machine: 'x86_64',
    notes: linuxXenNotes({ is64: true, dom0: true }),
    strings: ['Linux version 5.10.0-cli (x@y) #1 SMP'],
    bodySize: 200_000,
  });
  // scripts/Makefile.lib and arch/x86/boot/compressed/Makefile
  const tools = [
    ['gzip', 'gzip', ['-n', '-f', '-9']],
    ['bzip2', 'bzip2', ['-9']],
    ['lzma', 'lzma', ['-9']],
    ['xz', 'xz', ['--check=crc32', '--x86', '--lzma2=,dict=32MiB']],
    ['lzo', 'lzop', ['-9']],
    ['lz4', 'lz4', ['-l', '-9', '-c']],
    ['zstd', 'zstd', ['-22', '--ultra', '-c']],
  ] as const;
  for (const [compression, tool, args] of tools) {
    test(`${tool} ${args.join(' ')}`, async (t) => {
      if (!present(t, NEED.command(tool, tool === 'lzma' ? 'xz-utils' : tool))) return;
      const stream = execFileSync(tool, [...args], { input: elf, maxBuffer: 1 << 26, stdio: ['pipe', 'pipe', 'ignore'] });
      const payload = compression === 'gzip' ? stream : Buffer.concat([stream, sizeTrailer(elf.length)]);
      const info = await inspectBytes(await buildBzImage({ protocol: '2.15', compression, payload }), { file: `${tool}.bz` });
      assert.equal(info.bzImage?.compression, compression);
      assert.equal(info.bzImage?.payloadSize, elf.length);
      assert.equal(info.linuxRelease, '5.10.0-cli');
      assert.equal(declaresDom0(info.elf!.xenNotes!), true);
      if (compression === 'xz') {
        // BCJ-x86 + LZMA2 (what Linux writes): the native path and xz-compat's pure decoder agree.
        const place = { file: 'xz', offset: 0, limit: 1 << 26 };
        const hybrid = await decompress('xz', stream, place, 'hybrid');
        const pure = await decompress('xz', stream, place, 'pure');
        assert.ok(Buffer.from(hybrid).equals(elf), 'hybrid xz gives back the ELF');
        assert.ok(Buffer.from(pure).equals(elf), 'pure xz gives back the ELF');
      }
    });
  }
});
