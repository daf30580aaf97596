/**
 * What an image is, once read. The image layer (this folder) fills these from real bytes;
 * the emulator's kernel model fills the same shapes for a kernel described by version,
 * tree, arch and config, so that Xen's loaders are modelled once, over one description.
 * No Xen policy lives here: whether Xen 3.4 can load a protocol 2.07 bzImage is the
 * hypervisor model's business, not the parser's.
 */
import type { Compression } from '../../domain/axes.ts';

export type PaeMode = 'yes' | 'no' | 'bimodal' | 'extended-cr3';

/** Decoded Xen ELF notes (PT_NOTE entries named "Xen"), by XEN_ELFNOTE_* meaning. */
export interface XenNotes {
  guestOs?: string; // XEN_ELFNOTE_GUEST_OS (6): "linux"
  guestVersion?: string; // GUEST_VERSION (7): "2.6"
  xenVersion?: string; // XEN_VERSION (5): "xen-3.0"
  loader?: string; // LOADER (8): "generic"
  virtBase?: string; // VIRT_BASE (3), hex
  paddrOffset?: string; // PADDR_OFFSET (4), hex
  entry?: string; // ENTRY (1), hex
  hypercallPage?: string; // HYPERCALL_PAGE (2), hex
  hvStartLow?: string; // HV_START_LOW (12), hex
  /** FEATURES (10): the `|`-separated list, `!` marks a required feature. */
  features?: string[];
  paeMode?: PaeMode; // PAE_MODE (9)
  l1MfnValid?: string; // L1_MFN_VALID (13)
  suspendCancel?: number; // SUSPEND_CANCEL (14)
  initP2m?: string; // INIT_P2M (15)
  modStartPfn?: number; // MOD_START_PFN (16)
  /** SUPPORTED_FEATURES (17) bitmap; bit XENFEAT_dom0 (11) says the kernel can be dom0. */
  supportedFeatures?: number;
  phys32Entry?: string; // PHYS32_ENTRY (18)
  // Added by the image layer (optional):
  info?: string; // INFO (0)
  bsdSymtab?: string; // BSD_SYMTAB (11): "yes" / "no"
  /** PHYS32_RELOC (19): alignment, minimum, maximum, hex. */
  phys32Reloc?: string[];
  /** PAE_MODE as written, when it is none of the PaeMode values (or to show it verbatim). */
  paeModeRaw?: string;
  /** Every note as found: type number, name, and the descriptor as hex or text. */
  raw: { type: number; name: string; desc: string }[];
}

export interface ElfProgramHeader {
  type: string; // PT_LOAD, PT_NOTE, ... or the number
  offset: number;
  vaddr: string;
  paddr: string;
  filesz: number;
  memsz: number;
  flags: string; // e.g. "R E"
}

export interface ElfInfo {
  class: 32 | 64;
  endian: 'little' | 'big';
  /** x86 (EM_386), x86_64 (EM_X86_64), ia64 (EM_IA_64), or `machine-N`. */
  machine: 'x86' | 'x86_64' | 'ia64' | `machine-${number}`;
  type: string; // ET_EXEC, ...
  entry: string; // hex
  programHeaders: ElfProgramHeader[];
  /** Present when the image carries Xen ELF notes. */
  xenNotes?: XenNotes;
  /** The pre-3.0.3 `__xen_guest` section: raw string and its KEY=VALUE fields. */
  xenGuest?: { raw: string; fields: Record<string, string> };
  // Added by the image layer (optional):
  /** Section names, when the ELF has section headers. */
  sections?: string[];
  /** Things a lenient loader (like Xen's libelf) reads past, e.g. a note overrunning its segment. */
  warnings?: string[];
}

export interface BzImageInfo {
  /** Boot protocol version as "2.08" (from the 16-bit header word 0x0208). */
  protocol: string;
  setupSects: number;
  /** Offset of the payload in the file, and its length (protocol 2.08+). */
  payloadOffset?: number;
  payloadLength?: number;
  /** The version string the header's kernel_version field points to. */
  kernelVersion?: string;
  xloadflags?: number;
  initSize?: number;
  /** The payload's compression by its magic; `none` when the payload is a plain ELF. */
  compression: Compression | 'unknown';
  /** The decompressed payload (protocol 2.08+ carries an ELF vmlinux). */
  payload?: ElfInfo;
  payloadSize?: number;
  // Added by the image layer (optional):
  /** The uncompressed size Linux appends after the compressed payload (last 4 bytes). */
  declaredSize?: number;
  /** Boot sector signature at 0x1FE (0xAA55 as a LE word). */
  bootFlag?: number;
  loadflags?: number;
}

export interface HypervisorInfo {
  /** "4.17.7" or "4.17". */
  version: string;
  extra?: string;
  /** true/false when the image says so (debug build marker); undefined when it does not. */
  debug?: boolean;
  multiboot: 1 | 2 | null;
  elf?: ElfInfo;
  // Added by the image layer (optional):
  /** Every multiboot header found (Xen 4.x carries both 1 and 2; `multiboot` is the newest). */
  multibootHeaders?: (1 | 2)[];
  /** Where version and debug came from: "image", "config", "file name". */
  versionSource?: string;
  debugSource?: string;
  /** Build strings next to the version: compiler, changeset, compile date, and `by` as the banner prints it ("pkg-xen-devel@lists.alioth.debian.org"). */
  build?: { compiler?: string; changeset?: string; date?: string; by?: string };
}

export type ImageKind = 'bzImage' | 'elf' | 'gzip-elf' | 'xen' | 'kconfig' | 'unknown';

export interface ImageInfo {
  path?: string;
  size: number;
  sha256: string;
  kind: ImageKind;
  bzImage?: BzImageInfo;
  /** The kernel ELF: the file itself (elf), its gunzipped content (gzip-elf), or the payload (bzImage). */
  elf?: ElfInfo;
  /** "Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) ..." */
  linuxBanner?: string;
  /** The release from the banner or header, e.g. "6.1.0-56-amd64". */
  linuxRelease?: string;
  /** CONFIG_* values (without the CONFIG_ prefix) from an embedded IKCONFIG or a .config file. */
  config?: Record<string, string>;
  hypervisor?: HypervisorInfo;
  // Added by the image layer (optional):
  /** Where `config` came from: "ikconfig", or the .config file's path. */
  configSource?: string;
  /** A .config's product and version line, e.g. "Xen/x86 4.17.7" or "Linux/x86 6.1.192". */
  configHeader?: string;
}

/** A clear, located error: the file, the byte offset, what was wrong. Never a stack trace. */
export class ImageError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number | undefined,
    readonly problem: string,
  ) {
    super(`${file}${offset === undefined ? '' : ` @ 0x${offset.toString(16)}`}: ${problem}`);
    this.name = 'ImageError';
  }
}
