/**
 * ELF headers, program headers, section names, Xen notes and the old `__xen_guest`
 * section, read the way Xen's libelf reads them: notes from PT_NOTE segments, else from
 * SHT_NOTE sections; a note whose descriptor overruns its segment is still read (libelf
 * bounds it by the image, not the segment) and reported as a warning.
 */
import { type Bytes, hex } from './bytes.ts';
import type { ElfInfo, ElfProgramHeader } from './types.ts';
import { decodeXenNotes, type RawNote } from './xen-notes.ts';

const MACHINES: Record<number, ElfInfo['machine']> = { 3: 'x86', 62: 'x86_64', 50: 'ia64' };
const TYPES: Record<number, string> = { 0: 'ET_NONE', 1: 'ET_REL', 2: 'ET_EXEC', 3: 'ET_DYN', 4: 'ET_CORE' };
const PT: Record<number, string> = {
  0: 'PT_NULL',
  1: 'PT_LOAD',
  2: 'PT_DYNAMIC',
  3: 'PT_INTERP',
  4: 'PT_NOTE',
  5: 'PT_SHLIB',
  6: 'PT_PHDR',
  7: 'PT_TLS',
  1685382480: 'PT_GNU_EH_FRAME',
  1685382481: 'PT_GNU_STACK',
  1685382482: 'PT_GNU_RELRO',
  1685382483: 'PT_GNU_PROPERTY',
};
const SHT_NOTE = 7;
/** As libelf's ELF_MAX_TOTAL_NOTE_COUNT: a bound on work for a hostile image. */
const MAX_NOTES = 1024;
const MAX_HEADERS = 4096;

export function isElf(buf: Uint8Array): boolean {
  return buf.length >= 4 && buf[0] === 0x7f && buf[1] === 0x45 && buf[2] === 0x4c && buf[3] === 0x46;
}

interface Section {
  name: string;
  type: number;
  offset: number;
  size: number;
}

export function readElf(b: Bytes): ElfInfo {
  if (!isElf(b.buf)) b.fail(0, 'not an ELF file (no \\x7fELF magic)');
  const cls = b.u8(4, 'ELF class');
  if (cls !== 1 && cls !== 2) b.fail(4, `ELF class ${cls} is neither 1 (32-bit) nor 2 (64-bit)`);
  const data = b.u8(5, 'ELF data encoding');
  if (data !== 1 && data !== 2) b.fail(5, `ELF data encoding ${data} is neither 1 (little endian) nor 2 (big endian)`);
  const is64 = cls === 2;
  const le = data === 1;
  b.need(0, is64 ? 64 : 52, 'ELF header');
  const word = (o: number): number => {
    if (!is64) return b.u32(o, le);
    const v = b.u64(o, le);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) b.fail(o, `ELF field value ${hex(v)} is too large`);
    return Number(v);
  };
  const addr = (o: number): string => hex(is64 ? b.u64(o, le) : b.u32(o, le));
  const type = b.u16(16, le);
  const machineNo = b.u16(18, le);
  const entry = addr(24);
  const phoff = word(is64 ? 32 : 28);
  const shoff = word(is64 ? 40 : 32);
  const h = is64 ? 48 : 36; // e_flags.. fields after
  const phentsize = b.u16(h + 6, le);
  const phnum = b.u16(h + 8, le);
  const shentsize = b.u16(h + 10, le);
  const shnum = b.u16(h + 12, le);
  const shstrndx = b.u16(h + 14, le);
  const warnings: string[] = [];

  const programHeaders: ElfProgramHeader[] = [];
  if (phnum > 0) {
    const min = is64 ? 56 : 32;
    if (phentsize < min) b.fail(h + 6, `program header size ${phentsize} is below ${min}`);
    if (phnum > MAX_HEADERS) b.fail(h + 8, `${phnum} program headers is more than ${MAX_HEADERS}`);
    b.need(phoff, phnum * phentsize, 'program header table');
    for (let i = 0; i < phnum; i++) {
      const o = phoff + i * phentsize;
      const ptype = b.u32(o, le);
      const flags = is64 ? b.u32(o + 4, le) : b.u32(o + 24, le);
      programHeaders.push({
        type: PT[ptype] ?? hex(ptype),
        offset: word(is64 ? o + 8 : o + 4),
        vaddr: addr(is64 ? o + 16 : o + 8),
        paddr: addr(is64 ? o + 24 : o + 12),
        filesz: word(is64 ? o + 32 : o + 16),
        memsz: word(is64 ? o + 40 : o + 20),
        flags: `${flags & 4 ? 'R' : ' '}${flags & 2 ? 'W' : ' '}${flags & 1 ? 'E' : ' '}`,
      });
    }
  }

  const sections = readSections(b, { is64, le, shoff, shnum, shentsize, shstrndx, word, warnings });

  const xenNotes: RawNote[] = [];
  const seen = new Set<number>();
  let noteCount = 0;
  const scan = (offset: number, size: number, what: string): void => {
    if (offset + size > b.length) {
      warnings.push(`${what} at ${hex(offset)} (${size} bytes) runs past the end of the file; read up to the end`);
      size = Math.max(0, b.length - offset);
    }
    let p = offset;
    const end = offset + size;
    while (p + 12 <= end) {
      if (++noteCount > MAX_NOTES) {
        warnings.push(`more than ${MAX_NOTES} ELF notes; the rest are ignored`);
        return;
      }
      const namesz = b.u32(p, le);
      const descsz = b.u32(p + 4, le);
      const ntype = b.u32(p + 8, le);
      const nameAt = p + 12;
      const descAt = nameAt + align4(namesz);
      const next = descAt + align4(descsz);
      if (nameAt + namesz > b.length) b.fail(p, `ELF note name (${namesz} bytes) runs past the end of the file`);
      const name = b.cstr(nameAt, namesz, 'ELF note name');
      let descEnd = descAt + descsz;
      if (descEnd > end) {
        warnings.push(`note ${name}/${ntype} at ${hex(p)}: descriptor of ${descsz} bytes overruns its ${what} by ${descEnd - end} bytes`);
        if (descEnd > b.length) descEnd = b.length;
      }
      if (name === 'Xen' && !seen.has(p)) {
        seen.add(p);
        xenNotes.push({ type: ntype, desc: b.buf.subarray(Math.min(descAt, descEnd), descEnd) });
      }
      if (next <= p) break;
      p = next;
    }
  };
  for (const ph of programHeaders) if (ph.type === 'PT_NOTE') scan(ph.offset, ph.filesz, 'PT_NOTE segment');
  // libelf falls back to SHT_NOTE sections when the segments held no Xen note.
  if (xenNotes.length === 0) {
    for (const s of sections) if (s.type === SHT_NOTE) scan(s.offset, s.size, `note section ${s.name}`);
  }

  const info: ElfInfo = {
    class: is64 ? 64 : 32,
    endian: le ? 'little' : 'big',
    machine: MACHINES[machineNo] ?? `machine-${machineNo}`,
    type: TYPES[type] ?? hex(type),
    entry,
    programHeaders,
  };
  if (xenNotes.length > 0) info.xenNotes = decodeXenNotes(xenNotes, le, info.class);
  const guest = sections.find((s) => s.name === '__xen_guest');
  if (guest) {
    const raw = b.cstr(guest.offset, Math.min(4096, guest.size), '__xen_guest section');
    info.xenGuest = { raw, fields: parseXenGuest(raw) };
  }
  if (sections.length > 0) info.sections = sections.map((s) => s.name);
  if (warnings.length > 0) info.warnings = warnings;
  return info;
}

function align4(n: number): number {
  return Math.ceil(n / 4) * 4; // not `& ~3`: sizes near 2^32 must not wrap
}

function readSections(
  b: Bytes,
  e: {
    is64: boolean;
    le: boolean;
    shoff: number;
    shnum: number;
    shentsize: number;
    shstrndx: number;
    word: (o: number) => number;
    warnings: string[];
  },
): Section[] {
  if (e.shoff === 0 || e.shnum === 0) return [];
  const min = e.is64 ? 64 : 40;
  if (e.shentsize < min || e.shnum > MAX_HEADERS || e.shoff + e.shnum * e.shentsize > b.length) {
    // Loaders use program headers; broken section headers only cost us section names.
    e.warnings.push(`section header table at ${hex(e.shoff)} (${e.shnum} x ${e.shentsize} bytes) is unusable; sections ignored`);
    return [];
  }
  const raw: { nameOff: number; type: number; offset: number; size: number }[] = [];
  for (let i = 0; i < e.shnum; i++) {
    const o = e.shoff + i * e.shentsize;
    raw.push({
      nameOff: b.u32(o, e.le),
      type: b.u32(o + 4, e.le),
      offset: e.word(e.is64 ? o + 24 : o + 16),
      size: e.word(e.is64 ? o + 32 : o + 20),
    });
  }
  const strtab = raw[e.shstrndx];
  return raw.map((s, i) => {
    let name = `#${i}`;
    if (strtab && strtab.offset + s.nameOff < b.length && s.nameOff < strtab.size) {
      name = b.cstr(strtab.offset + s.nameOff, Math.min(256, strtab.size - s.nameOff), 'section name');
    }
    const inFile = s.type === 8 /* SHT_NOBITS */ || s.offset + s.size <= b.length;
    if (!inFile) e.warnings.push(`section ${name} at ${hex(s.offset)} (${s.size} bytes) runs past the end of the file`);
    return { name, type: s.type, offset: s.offset, size: inFile ? s.size : Math.max(0, b.length - s.offset) };
  });
}

/** `GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0xC0000000,...`: split as libelf does, on `,` then the first `=`. */
export function parseXenGuest(raw: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const part of raw.split(',')) {
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    if (eq < 0) fields[part] = '';
    else fields[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return fields;
}
