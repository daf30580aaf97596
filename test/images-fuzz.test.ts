/**
 * Hundreds of mutated images (deterministic seed): flipped bytes, truncations, header
 * fields set to random or extreme values, corrupt payloads. The readers must return a
 * result or throw an ImageError (file + offset) for every one, each within a time bound:
 * never another exception, never a hang.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMPRESSIONS } from '../domain/axes.ts';
import { ImageError, inspectBytes } from '../emulator/images/index.ts';
import { buildBzImage, buildElf, buildKconfig, buildXenImage, gzipElf, linuxXenNotes } from './support/build-image.ts';

// PVM_FUZZ_SEED / PVM_FUZZ_CASES explore further (e.g. PVM_FUZZ_CASES=500); CI runs the default.
const SEED = Number(process.env.PVM_FUZZ_SEED ?? 0x5eed1e55);
const CASES_PER_BASE = Number(process.env.PVM_FUZZ_CASES ?? 24);
/** Per case; every real decoder finishes these small inputs in milliseconds. */
const CASE_TIME_LIMIT_MS = 3000;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EXTREMES = [0, 1, 0x7f, 0xff, 0xffff, 0x7fffffff, 0xffffffff, 0x80000000, 0x1000];

type Mutation = { name: string; apply(buf: Buffer, rnd: () => number): Buffer };
const int = (rnd: () => number, n: number): number => Math.floor(rnd() * n);

function mutations(fields: number[]): Mutation[] {
  return [
    {
      name: 'flip bytes',
      apply: (b, rnd) => {
        const out = Buffer.from(b);
        for (let i = 0, n = 1 + int(rnd, 16); i < n; i++) {
          const at = int(rnd, out.length);
          out[at] = out[at]! ^ (1 << int(rnd, 8));
        }
        return out;
      },
    },
    {
      name: 'flip header bytes',
      apply: (b, rnd) => {
        const out = Buffer.from(b);
        for (let i = 0, n = 1 + int(rnd, 4); i < n; i++) out[int(rnd, Math.min(out.length, 0x300))] = int(rnd, 256);
        return out;
      },
    },
    { name: 'truncate', apply: (b, rnd) => b.subarray(0, int(rnd, b.length)) },
    {
      name: 'field = extreme',
      apply: (b, rnd) => {
        const out = Buffer.from(b);
        const at = fields[int(rnd, fields.length)]!;
        if (at + 4 <= out.length) out.writeUInt32LE(EXTREMES[int(rnd, EXTREMES.length)]! >>> 0, at);
        return out;
      },
    },
    {
      name: 'trailer = random size',
      apply: (b, rnd) => {
        const out = Buffer.from(b);
        out.writeUInt32LE(int(rnd, 2 ** 32), out.length - 4);
        return out;
      },
    },
    {
      name: 'smash a run in the body',
      apply: (b, rnd) => {
        const out = Buffer.from(b);
        const at = int(rnd, out.length);
        out.fill(int(rnd, 256), at, Math.min(out.length, at + 1 + int(rnd, 64)));
        return out;
      },
    },
  ];
}

// ELF header fields (both classes): phoff/shoff/entry words, phnum/shnum/shentsize/phentsize/shstrndx
const ELF_FIELDS = [0x18, 0x1c, 0x20, 0x28, 0x2a, 0x2c, 0x2e, 0x30, 0x32, 0x34, 0x36, 0x38, 0x3a, 0x3c, 0x3e];
// bzImage: setup_sects, version, kernel_version, payload offset/length, init_size
const BZ_FIELDS = [0x1f0, 0x206, 0x20e, 0x248, 0x24c, 0x260, 0x236];

test(`fuzz: mutated images give results or ImageErrors (seed 0x${SEED.toString(16)})`, async (t) => {
  const elf64 = buildElf({
    class: 64,
    machine: 'x86_64',
    notes: linuxXenNotes({ is64: true, dom0: true }),
    strings: ['Linux version 3.0.0-fuzz (f@z) #1'],
    bodySize: 2000,
    ikconfig: buildKconfig({ XEN: 'y' }),
  });
  const elf32 = buildElf({
    class: 32,
    machine: 'x86',
    notes: linuxXenNotes({ is64: false, pae: 'yes' }),
    notesIn: 'both',
    xenGuest: 'GUEST_OS=linux,XEN_VER=xen-3.0,PAE=yes',
  });
  // Note headers (namesz, descsz, type) sit 12 bytes before each "Xen\0" name.
  const noteFields = (b: Buffer): number[] => {
    const out: number[] = [];
    for (let at = b.indexOf('Xen\0'); at >= 12; at = b.indexOf('Xen\0', at + 1)) out.push(at - 12, at - 8, at - 4);
    return out;
  };
  const bases: { name: string; buf: Buffer; fields: number[] }[] = [
    { name: 'elf64', buf: elf64, fields: [...ELF_FIELDS, ...noteFields(elf64)] },
    { name: 'elf32+sections', buf: elf32, fields: [...ELF_FIELDS, ...noteFields(elf32)] },
    {
      name: 'elf-be-ia64',
      buf: buildElf({ class: 64, endian: 'big', machine: 'ia64', notes: linuxXenNotes({ is64: true }) }),
      fields: ELF_FIELDS,
    },
    { name: 'vmlinux.gz', buf: gzipElf(elf64), fields: [4, 8, 10] },
    { name: 'xen.gz', buf: buildXenImage({ extra: '.2', changeset: '4.18.2-1', debug: false }), fields: [4, 8] },
    { name: 'kconfig', buf: Buffer.from(buildKconfig({ XEN: 'y', X86_PAE: 'n', CMDLINE: 'a b' })), fields: [0, 8] },
    { name: 'bz-2.07', buf: await buildBzImage({ protocol: '2.07', compression: 'gzip', elf: elf64 }), fields: BZ_FIELDS },
  ];
  for (const compression of COMPRESSIONS) {
    bases.push({ name: `bz-${compression}`, buf: await buildBzImage({ protocol: '2.15', compression, elf: elf64 }), fields: BZ_FIELDS });
  }
  // Bases read cleanly before mutation: otherwise the test would prove nothing.
  for (const base of bases) await inspectBytes(base.buf, { file: base.name });

  const rnd = prng(SEED);
  const outcomes = { ok: 0, imageError: 0 };
  let slowest = { ms: 0, name: '' };
  for (const base of bases) {
    const muts = mutations(base.fields);
    for (let i = 0; i < CASES_PER_BASE; i++) {
      const m = muts[int(rnd, muts.length)]!;
      const input = m.apply(base.buf, rnd);
      const name = `${base.name} #${i} (${m.name})`;
      const started = performance.now();
      try {
        await inspectBytes(input, { file: name, limit: 16 << 20 });
        outcomes.ok++;
      } catch (e) {
        if (!(e instanceof ImageError))
          assert.fail(`${name}: threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}, not an ImageError`);
        assert.equal(e.file, name, 'the error names the file');
        assert.ok(e.offset === undefined || (Number.isSafeInteger(e.offset) && e.offset >= 0), `${name}: offset ${e.offset}`);
        outcomes.imageError++;
      }
      const ms = performance.now() - started;
      if (ms > slowest.ms) slowest = { ms, name };
      assert.ok(ms < CASE_TIME_LIMIT_MS, `${name} took ${ms.toFixed(0)} ms`);
    }
  }
  const total = outcomes.ok + outcomes.imageError;
  t.diagnostic(
    `${total} cases: ${outcomes.ok} read, ${outcomes.imageError} clean ImageErrors; slowest ${slowest.ms.toFixed(1)} ms (${slowest.name})`,
  );
  assert.ok(total >= 15 * Math.min(CASES_PER_BASE, 20), `ran ${total} cases`);
  assert.ok(outcomes.imageError > total / 4, 'most mutations must actually break something');
});
