/**
 * A kernel image as Xen's loaders see it, in the image layer's shapes (ImageInfo): from
 * the real file when the profile has one and the cell asks for that form, otherwise
 * described from version, tree, arch and config ("the same kernel, rebuilt that way").
 * Forms the kernel cannot be built in are refused as `skipped`.
 */
import type { Arch, Compression, Format } from '../../domain/axes.ts';
import type { ElfInfo, ImageInfo, XenNotes } from '../images/types.ts';
import type { KernelConfig } from './config.ts';
import type { KernelModel } from './model.ts';
import type { Trace } from '../trace.ts';

export interface GuestImage {
  info: ImageInfo;
  /** True when described from the model rather than read from a file. */
  modelled: boolean;
  /** A transcript note, e.g. "the real file is an xz bzImage; modelled as rebuilt with gzip". */
  note?: string;
}

const XENFEAT_DOM0 = 11;

function machineOf(arch: Arch): { class: 32 | 64; machine: ElfInfo['machine'] } {
  if (arch === 'x86_64') return { class: 64, machine: 'x86_64' };
  if (arch === 'ia64') return { class: 64, machine: 'ia64' };
  return { class: 32, machine: 'x86' };
}

/** The vmlinux ELF a kernel of this version, tree, arch and config is. */
export function describeElf(k: KernelModel, arch: Arch, cfg: KernelConfig): ElfInfo {
  const m = machineOf(arch);
  const elf: ElfInfo = {
    class: m.class,
    endian: 'little',
    machine: m.machine,
    type: 'ET_EXEC',
    entry: arch === 'x86_64' ? 'ffffffff81000000' : 'c0100000',
    programHeaders: [],
  };
  const xen = cfg.on('XEN') && (!cfg.defined('XEN_PV') || cfg.on('XEN_PV'));
  if (!xen) return elf;
  const pae = arch === 'x86_32' ? 'no' : 'yes';
  const notes: XenNotes = {
    guestOs: 'linux',
    guestVersion: '2.6',
    xenVersion: 'xen-3.0',
    loader: 'generic',
    features: ['!writable_page_tables', 'pae_pgdir_above_4gb'],
    paeMode: arch === 'x86_64' || arch === 'ia64' ? undefined : pae,
    raw: [],
  };
  if (k.cap('linux.elfnote.supported-features').has) {
    notes.supportedFeatures = cfg.on('XEN_DOM0') ? 1 << XENFEAT_DOM0 : 0;
  }
  elf.xenNotes = notes;
  if (k.cap('linux.xen-guest-section').has) {
    const fields: Record<string, string> = { GUEST_OS: 'linux', GUEST_VER: '2.6', XEN_VER: 'xen-3.0', LOADER: 'generic' };
    if (arch === 'x86_32' || arch === 'x86_32-pae') fields.PAE = arch === 'x86_32' ? 'no' : 'yes[extended-cr3]';
    elf.xenGuest = {
      raw: Object.entries(fields)
        .map(([a, b]) => `${a}=${b}`)
        .join(','),
      fields,
    };
  }
  return elf;
}

/**
 * The image for one cell's format and compression. `trace.cannotExist` when the kernel
 * cannot be built that way.
 */
export function imageFor(
  k: KernelModel,
  arch: Arch,
  format: Format,
  compression: Compression | undefined,
  cfg: KernelConfig,
  trace: Trace,
): GuestImage {
  const key = `${arch}/${format}/${compression ?? ''}`;
  const known = k.images.get(key) as GuestImage | undefined;
  if (known) return known;
  const image = describe(k, arch, format, compression, cfg, trace);
  k.images.set(key, image);
  return image;
}

function describe(
  k: KernelModel,
  arch: Arch,
  format: Format,
  cellCompression: Compression | undefined,
  cfg: KernelConfig,
  trace: Trace,
): GuestImage {
  const name = k.displayName;
  // A cell without a compression (a scenario that ignores the axis, as a native boot does:
  // the bzImage decompresses itself) means the kernel as built: the real image's compression
  // when the profile has a real bzImage of this arch, else the kernel's default, gzip.
  const realBz = k.real?.image?.kind === 'bzImage' && k.realArch === arch ? k.real.image.bzImage?.compression : undefined;
  const compression = cellCompression ?? (format === 'bzImage' && realBz && realBz !== 'unknown' ? realBz : undefined);
  if (format === 'bzImage') {
    if (arch === 'ia64')
      trace.cannotExist(`an ia64 kernel is never a bzImage`, {
        text: 'the bzImage format (arch/x86/boot) is x86 only; ia64 kernels are vmlinux or vmlinux.gz',
        source: 'arch/ia64/Makefile',
        verified: true,
      });
    const bz = k.cap('linux.image.bzimage');
    if (!bz.has) trace.cannotExist(`${name} cannot be built as a bzImage for Xen`, bz.fact);
    const c = compression ?? 'gzip';
    const cc = k.cap(`linux.compress.${c}`);
    if (!cc.has) trace.cannotExist(`${name} cannot compress its bzImage with ${c}`, cc.fact);
  }
  const real = k.real?.image;
  if (real && real.kind !== 'xen' && real.kind !== 'kconfig' && k.realArch === arch) {
    const realFormat: Format | undefined =
      real.kind === 'bzImage' ? 'bzImage' : real.kind === 'elf' ? 'vmlinux' : real.kind === 'gzip-elf' ? 'vmlinux.gz' : undefined;
    const realCompression = real.bzImage?.compression;
    // A bzImage older than protocol 2.08 has no payload fields: its compression cannot be
    // told, so the file stands for every compression of the cell.
    if (realFormat === format && (format !== 'bzImage' || realCompression === (compression ?? 'gzip') || realCompression === 'unknown'))
      return { info: real, modelled: false };
    const elf = real.elf ?? real.bzImage?.payload;
    if (elf) {
      const what = realFormat === 'bzImage' ? `a ${realCompression} bzImage` : realFormat;
      return {
        info: shape(k, format, compression, elf),
        modelled: true,
        note: `${real.path ?? 'the real image'} is ${what}; this cell models the same kernel rebuilt as ${format === 'bzImage' ? `a ${compression ?? 'gzip'} bzImage` : format}`,
      };
    }
  }
  const elf = describeElf(k, arch, cfg);
  return { info: shape(k, format, compression, elf), modelled: true };
}

function shape(k: KernelModel, format: Format, compression: Compression | undefined, elf: ElfInfo): ImageInfo {
  const base = { size: 0, sha256: '', linuxRelease: k.release, elf };
  if (format === 'vmlinux') return { ...base, kind: 'elf' };
  if (format === 'vmlinux.gz') return { ...base, kind: 'gzip-elf' };
  const protocol = String(k.cap('linux.bzimage.protocol').value ?? '2.04');
  const hasPayload = protocol >= '2.08';
  return {
    ...base,
    kind: 'bzImage',
    elf: hasPayload ? elf : undefined,
    bzImage: {
      protocol,
      setupSects: 0,
      compression: compression ?? 'gzip',
      payload: hasPayload ? elf : undefined,
      kernelVersion: k.release,
    },
  };
}
