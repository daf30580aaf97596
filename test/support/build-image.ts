/**
 * The synthetic image builder: structurally valid bzImages (boot protocol 2.00–2.15, any
 * of the seven compressions or none), ELF kernels (image-elf.ts), gzipped ELFs, Xen
 * hypervisor images and .config files, written so that the same readers that read
 * Debian's real files read these, and the CLI tools (readelf, xz, lzop...) accept them.
 */
import { gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Compression } from '../../domain/axes.ts';
import { linuxPayload } from './image-compress.ts';
import { buildElf, type ElfSpec } from './image-elf.ts';

export { buildElf, linuxXenNotes, noteBytes, NOTE, type ElfSpec, type NoteSpec, type Machine } from './image-elf.ts';
export { compressStream, linuxPayload, lz4Legacy, lzop, sizeTrailer } from './image-compress.ts';

export const PROTOCOLS = [
  '2.00',
  '2.01',
  '2.02',
  '2.03',
  '2.04',
  '2.05',
  '2.06',
  '2.07',
  '2.08',
  '2.09',
  '2.10',
  '2.11',
  '2.12',
  '2.13',
  '2.14',
  '2.15',
] as const;

export interface BzImageSpec {
  protocol: (typeof PROTOCOLS)[number];
  compression: Compression;
  /** The kernel ELF (default: a small x86_64 pv-ops-like ELF). */
  elf?: Uint8Array;
  /** Instead of compressing `elf`: an exact payload (stream + trailer), e.g. made by a CLI tool. */
  payload?: Uint8Array;
  setupSects?: number;
  kernelVersion?: string;
  xloadflags?: number;
  initSize?: number;
}

/** A bzImage: boot sector + setup header, setup code, then the protected-mode part holding the payload. */
export async function buildBzImage(spec: BzImageSpec): Promise<Buffer> {
  const [major, minor] = spec.protocol.split('.').map(Number) as [number, number];
  const setupSects = spec.setupSects ?? 4;
  const setup = Buffer.alloc((setupSects + 1) * 512);
  setup.writeUInt8(setupSects, 0x1f1);
  setup.writeUInt16LE(0xaa55, 0x1fe);
  setup.writeUInt16LE(0x66eb, 0x200); // jmp over the header, as real setup code does
  setup.write('HdrS', 0x202, 'latin1');
  setup.writeUInt16LE((major << 8) | minor, 0x206);
  setup.writeUInt8(0x01, 0x211); // loadflags: LOADED_HIGH
  const version = spec.kernelVersion ?? '6.1.0-synthetic (builder@pvmatrix) #1 SMP';
  setup.write(`${version}\0`, 0x300, 'latin1');
  setup.writeUInt16LE(0x300 - 0x200, 0x20e);
  const elf = spec.elf ?? buildElf({ class: 64, machine: 'x86_64', strings: [`Linux version ${version}`] });
  const payload = spec.payload ?? (spec.compression === 'none' ? Buffer.from(elf) : await linuxPayload(spec.compression, elf));
  const head = Buffer.alloc(0x200, 0xcc); // stands for the decompressor's code
  if (minor >= 8) {
    setup.writeUInt32LE(head.length, 0x248);
    setup.writeUInt32LE(payload.length, 0x24c);
  }
  if (minor >= 10) setup.writeUInt32LE(spec.initSize ?? elf.length + (1 << 20), 0x260);
  if (minor >= 12) setup.writeUInt16LE(spec.xloadflags ?? 0x7f, 0x236);
  return Buffer.concat([setup, head, payload]);
}

export function gzipElf(elf: Uint8Array): Buffer {
  return gzipSync(elf, { level: 6 });
}

/** A .config as Kconfig writes it: `CONFIG_X=y`, strings quoted, `# CONFIG_X is not set` for n. */
export function buildKconfig(values: Record<string, string>, header = 'Linux/x86 6.1.0 Kernel Configuration'): string {
  const lines = ['#', '# Automatically generated file; DO NOT EDIT.', `# ${header}`, '#'];
  for (const [k, v] of Object.entries(values)) {
    if (v === 'n') lines.push(`# CONFIG_${k} is not set`);
    else if (/^(y|m|-?\d+|0x[0-9a-fA-F]+)$/.test(v)) lines.push(`CONFIG_${k}=${v}`);
    else lines.push(`CONFIG_${k}="${v.replace(/(["\\])/g, '\\$1')}"`);
  }
  return `${lines.join('\n')}\n`;
}

export interface XenImageSpec {
  /** XEN_EXTRAVERSION, e.g. ".1" or "-rc". */
  extra: string;
  /** XEN_CHANGESET (distros often put the package version here), e.g. "4.19.1-1" or "git:abc". */
  changeset: string;
  /** build_info's debug flag; undefined leaves it out (as Xen 3.x images do). */
  debug?: boolean;
  multiboot?: (1 | 2)[];
}

/** A gzipped multiboot ELF32 with the strings Xen's version.c and console.c leave in a real xen.gz. */
export function buildXenImage(spec: XenImageSpec): Buffer {
  const headers: Buffer[] = [];
  for (const mb of spec.multiboot ?? [1, 2]) {
    if (mb === 1) {
      const h = Buffer.alloc(16); // 12 bytes, padded so a following v2 header stays 8-aligned
      h.writeUInt32LE(0x1badb002, 0);
      h.writeUInt32LE(0x00010003, 4);
      h.writeUInt32LE((0 - 0x1badb002 - 0x00010003) >>> 0, 8);
      headers.push(h);
    } else {
      const h = Buffer.alloc(24);
      h.writeUInt32LE(0xe85250d6, 0);
      h.writeUInt32LE(0, 4);
      h.writeUInt32LE(24, 8);
      h.writeUInt32LE((0 - 0xe85250d6 - 0 - 24) >>> 0, 12);
      h.writeUInt16LE(0, 16); // end tag
      h.writeUInt32LE(8, 20);
      headers.push(h);
    }
  }
  const versionStrings = [
    'Mon Jan  6 12:00:00 UTC 2025',
    '12:00:00',
    'builder',
    'pvmatrix.test',
    spec.changeset,
    'gcc (GCC) 12.2.0',
    spec.extra,
    '<denied>',
  ];
  const strings = [
    'Xen version %d.%d%s (%s %s) (%s@%s) (%s) %s %s\n',
    versionStrings.join('\0'),
    ...(spec.debug === undefined ? [] : [`debug=${spec.debug ? 'y' : 'n'}`]),
  ];
  return gzipSync(buildElf({ class: 32, machine: 'x86', entry: 0x200000n, prelude: Buffer.concat(headers), strings }));
}

const temps: string[] = [];

/** Writes files into a fresh temp directory (removed by removeTemps); returns their paths by name. */
export function writeTemp(files: Record<string, Uint8Array | string>): { dir: string; path: (name: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'pvm-images-'));
  temps.push(dir);
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
  return { dir, path: (name) => join(dir, name) };
}

export function removeTemps(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export type { ElfSpec as ElfImageSpec };
