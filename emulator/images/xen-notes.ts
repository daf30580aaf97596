/**
 * Xen ELF notes (name "Xen"), decoded per XEN_ELFNOTE_* type as xen/include/public/elfnote.h
 * defines them and libelf-dominfo.c reads them: strings are NUL-terminated, numbers are
 * 1, 2, 4 or 8 bytes in the ELF's byte order.
 */
import { hex } from './bytes.ts';
import type { PaeMode, XenNotes } from './types.ts';

type NoteKind = 'str' | 'num' | 'array';
/** Type number → name and how its descriptor reads; the first release of each is in research/xen-facts.md. */
export const XEN_ELFNOTES: Record<number, { name: string; kind: NoteKind }> = {
  0: { name: 'INFO', kind: 'str' },
  1: { name: 'ENTRY', kind: 'num' },
  2: { name: 'HYPERCALL_PAGE', kind: 'num' },
  3: { name: 'VIRT_BASE', kind: 'num' },
  4: { name: 'PADDR_OFFSET', kind: 'num' },
  5: { name: 'XEN_VERSION', kind: 'str' },
  6: { name: 'GUEST_OS', kind: 'str' },
  7: { name: 'GUEST_VERSION', kind: 'str' },
  8: { name: 'LOADER', kind: 'str' },
  9: { name: 'PAE_MODE', kind: 'str' },
  10: { name: 'FEATURES', kind: 'str' },
  11: { name: 'BSD_SYMTAB', kind: 'str' },
  12: { name: 'HV_START_LOW', kind: 'num' },
  13: { name: 'L1_MFN_VALID', kind: 'array' }, // mask/value pairs
  14: { name: 'SUSPEND_CANCEL', kind: 'num' },
  15: { name: 'INIT_P2M', kind: 'num' },
  16: { name: 'MOD_START_PFN', kind: 'num' },
  17: { name: 'SUPPORTED_FEATURES', kind: 'array' }, // u32 bitmap words
  18: { name: 'PHYS32_ENTRY', kind: 'num' },
  19: { name: 'PHYS32_RELOC', kind: 'array' }, // u32 alignment, minimum, maximum
};

/** XENFEAT_dom0: bit 11 of the first SUPPORTED_FEATURES word. */
export const XENFEAT_DOM0 = 11;

export interface RawNote {
  type: number;
  desc: Uint8Array;
}

/** Descriptors are short; a corrupt size must not turn into megabytes of text. */
const MAX_TEXT = 4096;

function str(desc: Uint8Array): string {
  const nul = desc.indexOf(0);
  return Buffer.from(desc.buffer, desc.byteOffset, Math.min(MAX_TEXT, nul < 0 ? desc.length : nul)).toString('latin1');
}

function rawHex(desc: Uint8Array): string {
  const shown = Buffer.from(desc.buffer, desc.byteOffset, Math.min(desc.length, MAX_TEXT / 2)).toString('hex');
  return desc.length > MAX_TEXT / 2 ? `${shown}... (${desc.length} bytes)` : shown;
}

function num(desc: Uint8Array, le: boolean): bigint | undefined {
  const v = Buffer.from(desc.buffer, desc.byteOffset, desc.length);
  switch (desc.length) {
    case 1:
      return BigInt(v[0]!);
    case 2:
      return BigInt(le ? v.readUInt16LE(0) : v.readUInt16BE(0));
    case 4:
      return BigInt(le ? v.readUInt32LE(0) : v.readUInt32BE(0));
    case 8:
      return le ? v.readBigUInt64LE(0) : v.readBigUInt64BE(0);
    default:
      return undefined; // libelf reads any other size as 0
  }
}

function words(desc: Uint8Array, size: 4 | 8, le: boolean): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i + size <= desc.length; i += size) out.push(num(desc.subarray(i, i + size), le)!);
  return out;
}

export function paeModeOf(value: string): PaeMode | undefined {
  // libelf: "yes" means extended-cr3 for notes; "bimodal" anywhere in the string means bimodal.
  if (value.includes('bimodal')) return 'bimodal';
  if (value === 'yes') return 'yes';
  if (value === 'yes[extended-cr3]') return 'extended-cr3';
  if (value === 'no') return 'no';
  return undefined;
}

export function decodeXenNotes(notes: readonly RawNote[], le: boolean, elfClass: 32 | 64): XenNotes {
  const out: XenNotes = { raw: [] };
  for (const { type, desc } of notes) {
    const known = XEN_ELFNOTES[type];
    const name = known?.name ?? `UNKNOWN_${type}`;
    if (!known) {
      out.raw.push({ type, name, desc: rawHex(desc) });
      continue;
    }
    if (known.kind === 'str') {
      const s = str(desc);
      out.raw.push({ type, name, desc: s });
      if (type === 0) out.info = s;
      else if (type === 5) out.xenVersion = s;
      else if (type === 6) out.guestOs = s;
      else if (type === 7) out.guestVersion = s;
      else if (type === 8) out.loader = s;
      else if (type === 9) {
        out.paeModeRaw = s;
        const mode = paeModeOf(s);
        if (mode) out.paeMode = mode;
      } else if (type === 10) out.features = s.split('|').filter((f) => f.length > 0);
      else if (type === 11) out.bsdSymtab = s;
      continue;
    }
    if (known.kind === 'array') {
      const size = type === 13 && elfClass === 64 && desc.length % 8 === 0 ? 8 : 4;
      const values = words(desc.subarray(0, 64 * size), size, le);
      out.raw.push({ type, name, desc: values.map(hex).join(' ') });
      if (type === 13) out.l1MfnValid = values.map(hex).join(' ');
      else if (type === 17) out.supportedFeatures = Number(values[0] ?? 0n);
      else if (type === 19) out.phys32Reloc = values.map(hex);
      continue;
    }
    const value = num(desc, le);
    out.raw.push({ type, name, desc: value === undefined ? `(${desc.length}-byte descriptor) ${rawHex(desc)}` : hex(value) });
    if (value === undefined) continue;
    const h = hex(value);
    if (type === 1) out.entry = h;
    else if (type === 2) out.hypercallPage = h;
    else if (type === 3) out.virtBase = h;
    else if (type === 4) out.paddrOffset = h;
    else if (type === 12) out.hvStartLow = h;
    else if (type === 14) out.suspendCancel = Number(value);
    else if (type === 15) out.initP2m = h;
    else if (type === 16) out.modStartPfn = Number(value);
    else if (type === 18) out.phys32Entry = h;
  }
  return out;
}

/** The dom0 bit of SUPPORTED_FEATURES, when the note is there. */
export function declaresDom0(notes: XenNotes): boolean | undefined {
  return notes.supportedFeatures === undefined ? undefined : ((notes.supportedFeatures >>> XENFEAT_DOM0) & 1) === 1;
}
