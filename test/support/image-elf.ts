/**
 * Builds small, structurally valid ELF images: header, PT_LOAD + PT_NOTE program headers,
 * Xen notes, optional `__xen_guest` and SHT_NOTE sections, a body that may carry a Linux
 * banner, an IKCONFIG blob or any bytes. readelf reads them like real kernels.
 */
import { gzipSync } from 'node:zlib';

export type Machine = 'x86' | 'x86_64' | 'ia64';
const EM: Record<Machine, number> = { x86: 3, x86_64: 62, ia64: 50 };

export interface NoteSpec {
  type: number;
  /** string → NUL-terminated text; number/bigint → numeric of `size` bytes; Uint8Array → as is. */
  desc: string | number | bigint | Uint8Array;
  size?: 1 | 2 | 4 | 8;
  name?: string;
}

export interface ElfSpec {
  class: 32 | 64;
  endian?: 'little' | 'big';
  machine: Machine;
  entry?: bigint;
  notes?: NoteSpec[];
  /** Where the notes go: a PT_NOTE segment (default), a SHT_NOTE section only, or both. */
  notesIn?: 'segment' | 'section' | 'both';
  xenGuest?: string;
  /** Text put in the body, e.g. a Linux banner. */
  strings?: string[];
  /** A .config to embed as IKCONFIG (IKCFG_ST + gzip + IKCFG_ED). */
  ikconfig?: string;
  /** Bytes at the very start of the body (8-byte aligned), e.g. multiboot headers. */
  prelude?: Uint8Array;
  /** Filler bytes in the body (makes compressible payloads of a chosen size). */
  bodySize?: number;
  /** Write section headers (default: when notes go in a section or __xen_guest is set). */
  sectionHeaders?: boolean;
}

class Writer {
  private chunks: Buffer[] = [];
  length = 0;
  constructor(private readonly le: boolean) {}
  bytes(b: Uint8Array): number {
    const at = this.length;
    this.chunks.push(Buffer.from(b));
    this.length += b.length;
    return at;
  }
  align(n: number): void {
    const pad = (n - (this.length % n)) % n;
    if (pad) this.bytes(new Uint8Array(pad));
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
  num(v: number | bigint, size: number): Buffer {
    const b = Buffer.alloc(size);
    const big = BigInt(v);
    if (size === 1) b.writeUInt8(Number(big), 0);
    else if (size === 2) this.le ? b.writeUInt16LE(Number(big)) : b.writeUInt16BE(Number(big));
    else if (size === 4) this.le ? b.writeUInt32LE(Number(big & 0xffffffffn)) : b.writeUInt32BE(Number(big & 0xffffffffn));
    else this.le ? b.writeBigUInt64LE(big) : b.writeBigUInt64BE(big);
    return b;
  }
}

export function noteBytes(notes: readonly NoteSpec[], le: boolean, is64: boolean): Buffer {
  const w = new Writer(le);
  for (const n of notes) {
    const name = Buffer.from(`${n.name ?? 'Xen'}\0`, 'latin1');
    const desc =
      typeof n.desc === 'string'
        ? Buffer.from(`${n.desc}\0`, 'latin1')
        : n.desc instanceof Uint8Array
          ? Buffer.from(n.desc)
          : w.num(n.desc, n.size ?? (is64 ? 8 : 4));
    w.bytes(w.num(name.length, 4));
    w.bytes(w.num(desc.length, 4));
    w.bytes(w.num(n.type, 4));
    w.bytes(name);
    w.align(4);
    w.bytes(desc);
    w.align(4);
  }
  return w.toBuffer();
}

export function buildElf(spec: ElfSpec): Buffer {
  const le = (spec.endian ?? 'little') === 'little';
  const is64 = spec.class === 64;
  const w = new Writer(le);
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const shentsize = is64 ? 64 : 40;
  const notesIn = spec.notesIn ?? 'segment';
  const notes = spec.notes && spec.notes.length > 0 ? noteBytes(spec.notes, le, is64) : undefined;
  const noteSegment = notes && notesIn !== 'section';
  const phnum = 1 + (noteSegment ? 1 : 0);
  const withSections = spec.sectionHeaders ?? (notesIn !== 'segment' || spec.xenGuest !== undefined);

  // Body: filler, strings, IKCONFIG.
  const parts: Buffer[] = [];
  if (spec.prelude) parts.push(Buffer.from(spec.prelude));
  if (spec.bodySize) {
    const filler = Buffer.alloc(spec.bodySize);
    for (let i = 0; i < filler.length; i++) filler[i] = (i * 7 + (i >> 5)) & 0x3f; // compressible, not all zero
    parts.push(filler);
  }
  for (const s of spec.strings ?? []) parts.push(Buffer.from(`\0${s}\0`, 'latin1'));
  if (spec.ikconfig !== undefined) parts.push(Buffer.concat([Buffer.from('IKCFG_ST'), gzipSync(spec.ikconfig), Buffer.from('IKCFG_ED')]));
  const body = Buffer.concat(parts.length ? parts : [Buffer.from([0x90, 0x90, 0xc3, 0])]);

  const bodyAt = (ehsize + phnum * phentsize + 7) & ~7;
  const layout = new Writer(le);
  layout.bytes(new Uint8Array(bodyAt));
  layout.bytes(body);
  layout.align(4);
  const notesAt = notes ? layout.bytes(notes) : 0;
  const guestAt = spec.xenGuest !== undefined ? layout.bytes(Buffer.from(`${spec.xenGuest}\0`, 'latin1')) : 0;
  const sectionNames = [
    '',
    '.text',
    ...(notes && notesIn !== 'segment' ? ['.note.Xen'] : []),
    ...(spec.xenGuest !== undefined ? ['__xen_guest'] : []),
    '.shstrtab',
  ];
  const shstrtab = Buffer.from(`${sectionNames.join('\0')}\0`, 'latin1');
  const shstrAt = withSections ? layout.bytes(shstrtab) : 0;
  layout.align(8);
  const shoff = withSections ? layout.length : 0;

  const vbase = is64 ? 0xffffffff80000000n : 0xc0000000n;
  const entry = spec.entry ?? vbase + BigInt(bodyAt);
  const word = (v: number | bigint): Buffer => w.num(v, is64 ? 8 : 4);
  // ELF header
  const ident = Buffer.from([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, le ? 1 : 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  w.bytes(ident);
  w.bytes(w.num(2, 2)); // ET_EXEC
  w.bytes(w.num(EM[spec.machine], 2));
  w.bytes(w.num(1, 4));
  w.bytes(word(entry));
  w.bytes(word(ehsize)); // phoff
  w.bytes(word(shoff));
  w.bytes(w.num(0, 4)); // flags
  w.bytes(w.num(ehsize, 2));
  w.bytes(w.num(phentsize, 2));
  w.bytes(w.num(phnum, 2));
  w.bytes(w.num(shentsize, 2));
  w.bytes(w.num(withSections ? sectionNames.length : 0, 2));
  w.bytes(w.num(withSections ? sectionNames.length - 1 : 0, 2));
  const phdr = (type: number, flags: number, offset: number, size: number): void => {
    const vaddr = vbase + BigInt(offset);
    const paddr = BigInt(offset);
    if (is64) {
      w.bytes(w.num(type, 4));
      w.bytes(w.num(flags, 4));
      w.bytes(word(offset));
      w.bytes(word(vaddr));
      w.bytes(word(paddr));
      w.bytes(word(size));
      w.bytes(word(size));
      w.bytes(word(type === 1 ? 0x1000 : 4));
    } else {
      w.bytes(w.num(type, 4));
      w.bytes(word(offset));
      w.bytes(word(vaddr));
      w.bytes(word(paddr));
      w.bytes(word(size));
      w.bytes(word(size));
      w.bytes(w.num(flags, 4));
      w.bytes(word(type === 1 ? 0x1000 : 4));
    }
  };
  phdr(1, 5, 0, layout.length); // PT_LOAD R E over the whole image
  if (noteSegment) phdr(4, 4, notesAt, notes.length);
  const out = layout.toBuffer();
  w.toBuffer().copy(out, 0);
  if (!withSections) return out;

  const sw = new Writer(le);
  const nameOff = (name: string): number => (name === '' ? 0 : shstrtab.indexOf(`\0${name}\0`, 0, 'latin1') + 1);
  const shdr = (name: string, type: number, offset: number, size: number): void => {
    sw.bytes(sw.num(nameOff(name), 4));
    sw.bytes(sw.num(type, 4));
    if (is64) {
      sw.bytes(sw.num(type === 1 ? 6 : 0, 8)); // flags: alloc+exec for .text
      sw.bytes(sw.num(0, 8)); // addr
      sw.bytes(sw.num(offset, 8));
      sw.bytes(sw.num(size, 8));
      sw.bytes(sw.num(0, 4));
      sw.bytes(sw.num(0, 4));
      sw.bytes(sw.num(4, 8));
      sw.bytes(sw.num(0, 8));
    } else {
      sw.bytes(sw.num(type === 1 ? 6 : 0, 4));
      sw.bytes(sw.num(0, 4));
      sw.bytes(sw.num(offset, 4));
      sw.bytes(sw.num(size, 4));
      sw.bytes(sw.num(0, 4));
      sw.bytes(sw.num(0, 4));
      sw.bytes(sw.num(4, 4));
      sw.bytes(sw.num(0, 4));
    }
  };
  shdr('', 0, 0, 0);
  shdr('.text', 1, bodyAt, body.length);
  if (notes && notesIn !== 'segment') shdr('.note.Xen', 7, notesAt, notes.length);
  if (spec.xenGuest !== undefined) shdr('__xen_guest', 1, guestAt, spec.xenGuest.length + 1);
  shdr('.shstrtab', 3, shstrAt, shstrtab.length);
  return Buffer.concat([out, sw.toBuffer()]);
}

/** XEN_ELFNOTE_* numbers, for readable specs. */
export const NOTE = {
  INFO: 0,
  ENTRY: 1,
  HYPERCALL_PAGE: 2,
  VIRT_BASE: 3,
  PADDR_OFFSET: 4,
  XEN_VERSION: 5,
  GUEST_OS: 6,
  GUEST_VERSION: 7,
  LOADER: 8,
  PAE_MODE: 9,
  FEATURES: 10,
  BSD_SYMTAB: 11,
  HV_START_LOW: 12,
  L1_MFN_VALID: 13,
  SUSPEND_CANCEL: 14,
  INIT_P2M: 15,
  MOD_START_PFN: 16,
  SUPPORTED_FEATURES: 17,
  PHYS32_ENTRY: 18,
  PHYS32_RELOC: 19,
} as const;

/** The notes a pv-ops Linux kernel of this class carries (arch/x86/xen/xen-head.S). */
export function linuxXenNotes(opts: { is64: boolean; pae?: 'yes' | 'no' | 'bimodal'; dom0?: boolean }): NoteSpec[] {
  const size = opts.is64 ? 8 : 4;
  const notes: NoteSpec[] = [
    { type: NOTE.GUEST_OS, desc: 'linux' },
    { type: NOTE.GUEST_VERSION, desc: '2.6' },
    { type: NOTE.XEN_VERSION, desc: 'xen-3.0' },
    { type: NOTE.VIRT_BASE, desc: opts.is64 ? 0xffffffff80000000n : 0xc0000000n, size },
    { type: NOTE.ENTRY, desc: opts.is64 ? 0xffffffff81000000n : 0xc1000000n, size },
    { type: NOTE.HYPERCALL_PAGE, desc: opts.is64 ? 0xffffffff81001000n : 0xc1001000n, size },
    { type: NOTE.FEATURES, desc: '!writable_page_tables|pae_pgdir_above_4gb' },
    { type: NOTE.LOADER, desc: 'generic' },
    { type: NOTE.L1_MFN_VALID, desc: Buffer.from(opts.is64 ? [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0] : [1, 0, 0, 0, 1, 0, 0, 0]) },
    { type: NOTE.SUSPEND_CANCEL, desc: 1, size: 4 },
    { type: NOTE.HV_START_LOW, desc: opts.is64 ? 0xffff800000000000n : 0xf5800000n, size },
    { type: NOTE.PADDR_OFFSET, desc: 0, size },
  ];
  if (opts.pae) notes.push({ type: NOTE.PAE_MODE, desc: opts.pae });
  if (opts.dom0 !== undefined) notes.push({ type: NOTE.SUPPORTED_FEATURES, desc: opts.dom0 ? 0x801 : 0x1, size: 4 });
  return notes;
}
