import { lzma2 } from '@napi-rs/lzma';
import { ImageError } from '../types.ts';
import { checkDeclared, corrupt, type StreamPlace } from './errors.ts';

/**
 * xz, as Linux writes it: one stream, usually one block, filters BCJ-x86 then LZMA2.
 * @napi-rs/lzma's xz decoder rejects the BCJ filter, so we read the stream and block
 * headers ourselves, decode the raw LZMA2 natively and undo BCJ with xz-compat. Any other
 * filter chain goes to xz-compat's pure-JS decoder (about twice as slow, same bytes).
 */
const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const FILTER_BCJ_X86 = 0x04;
const FILTER_LZMA2 = 0x21;
const CHECK_SIZES: Record<number, number> = { 0: 0, 1: 4, 4: 8, 10: 32 };
/** Filter ids xz defines: delta, the BCJ family (x86, PowerPC, IA-64, ARM, ARM-Thumb, SPARC, ARM64, RISC-V), LZMA2. */
const KNOWN_FILTERS = new Set([0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x21]);

interface Block {
  dataAt: number;
  lzma2Length: number;
  unpacked: number;
  bcj: boolean;
}

type XzCompat = typeof import('xz-compat');
let xzCompat: Promise<XzCompat> | undefined;

/** xz-compat tries to `npm install lzma-native` at first use unless told not to. */
export function loadXzCompat(): Promise<XzCompat> {
  process.env.LZMA_NATIVE_DISABLE = '1';
  xzCompat ??= import('xz-compat');
  return xzCompat;
}

export async function unxz(data: Uint8Array, place: StreamPlace, mode: 'hybrid' | 'pure' = 'hybrid'): Promise<Uint8Array> {
  const v = Buffer.from(data.buffer, data.byteOffset, data.length);
  const fail = (at: number, what: string): never => {
    throw new ImageError(place.file, place.offset + at, `xz ${what}`);
  };
  if (data.length < 12 + 12 || !XZ_MAGIC.every((b, i) => data[i] === b)) fail(0, 'stream has no xz magic or is too short');
  if (data[6] !== 0) fail(6, 'stream flags are not supported');
  const check = data[7]! & 0x0f;
  const checkSize = CHECK_SIZES[check] ?? fail(7, `check type ${check} is not supported`);
  const blocks: Block[] = [];
  let simple = true;
  let total = 0;
  let p = 12;
  while (p < data.length && data[p] !== 0) {
    const headerSize = (data[p]! + 1) * 4;
    if (p + headerSize > data.length) fail(p, `block header (${headerSize} bytes) runs past the end`);
    const flags = data[p + 1]!;
    let q = p + 2;
    const varint = (): number => {
      let value = 0;
      for (let i = 0, mul = 1; i < 9; i++, mul *= 128) {
        if (q >= p + headerSize) fail(q, 'block header ends inside a number');
        const b = data[q++]!;
        value += (b & 0x7f) * mul;
        if (!(b & 0x80)) return value;
      }
      return fail(q, 'block header number is too long');
    };
    const declaredPacked = flags & 0x40 ? varint() : undefined;
    const declaredUnpacked = flags & 0x80 ? varint() : undefined;
    const filters: { id: number; props: number }[] = [];
    for (let i = 0; i <= (flags & 3); i++) {
      const id = varint();
      if (!KNOWN_FILTERS.has(id)) fail(q, `block uses filter id 0x${id.toString(16)}, which xz does not define`);
      const size = varint();
      filters.push({ id, props: size });
      q += size;
    }
    if (declaredUnpacked !== undefined) checkDeclared(place, 'xz', declaredUnpacked, p);
    const last = filters[filters.length - 1];
    const bcj = filters.length === 2 && filters[0]!.id === FILTER_BCJ_X86 && filters[0]!.props === 0;
    if (!last || last.id !== FILTER_LZMA2 || !(filters.length === 1 || bcj)) simple = false;
    const dataAt = p + headerSize;
    if (!simple) break;
    const { packed, unpacked } = walkLzma2(data, dataAt, place);
    if (declaredPacked !== undefined && declaredPacked !== packed)
      fail(p, `block says ${declaredPacked} compressed bytes, its LZMA2 chunks hold ${packed}`);
    if (declaredUnpacked !== undefined && declaredUnpacked !== unpacked)
      fail(p, `block says ${declaredUnpacked} bytes, its LZMA2 chunks hold ${unpacked}`);
    total += unpacked;
    checkDeclared(place, 'xz', total, p);
    blocks.push({ dataAt, lzma2Length: packed, unpacked, bcj });
    p = dataAt + packed;
    p += (4 - (packed % 4)) % 4; // block padding
    p += checkSize;
  }
  if (simple && p >= data.length) fail(p, 'stream has no index (truncated)');
  if (!simple || mode === 'pure') return pureXz(data, place, v);
  const { decodeBcj } = blocks.some((b) => b.bcj) ? await loadXzCompat() : { decodeBcj: undefined };
  const chunks: Uint8Array[] = [];
  for (const b of blocks) {
    let chunk: Uint8Array;
    try {
      // Sync: the thread-pool form measured ~0.3 s slower on Debian's 66 MB payload, and images
      // are read once, before any cell runs, so there is nothing to overlap with.
      chunk = lzma2.decompressSync(data.subarray(b.dataAt, b.dataAt + b.lzma2Length));
      if (b.bcj && decodeBcj) chunk = decodeBcj(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    } catch (err) {
      throw corrupt(place, 'xz', err, b.dataAt);
    }
    if (chunk.length !== b.unpacked) fail(b.dataAt, `block decodes to ${chunk.length} bytes, its chunks declare ${b.unpacked}`);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks); // Linux writes one block: no copy
}

/**
 * Reads LZMA2 chunk headers (no decoding) to find where the block's data ends and how much
 * it expands to, so that the output is sized and limited before anything is decoded.
 */
function walkLzma2(d: Uint8Array, start: number, place: StreamPlace): { packed: number; unpacked: number } {
  let p = start;
  let unpacked = 0;
  for (;;) {
    if (p >= d.length) throw new ImageError(place.file, place.offset + p, 'xz LZMA2 data ends without its end marker');
    const c = d[p]!;
    if (c === 0) return { packed: p + 1 - start, unpacked };
    if (c === 1 || c === 2) {
      if (p + 3 > d.length) break;
      const size = ((d[p + 1]! << 8) | d[p + 2]!) + 1;
      unpacked += size;
      p += 3 + size;
    } else if (c >= 0x80) {
      if (p + 5 > d.length) break;
      unpacked += ((c & 0x1f) << 16) + ((d[p + 1]! << 8) | d[p + 2]!) + 1;
      const packed = ((d[p + 3]! << 8) | d[p + 4]!) + 1;
      p += 5 + (c >= 0xc0 ? 1 : 0) + packed;
    } else {
      throw new ImageError(place.file, place.offset + p, `xz LZMA2 chunk has an invalid control byte 0x${c.toString(16)}`);
    }
    if (unpacked > place.limit) checkDeclared(place, 'xz', unpacked, p);
  }
  throw new ImageError(place.file, place.offset + p, 'xz LZMA2 chunk header runs past the end');
}

async function pureXz(data: Uint8Array, place: StreamPlace, v: Buffer): Promise<Uint8Array> {
  checkDeclared(place, 'xz', indexedSize(data, place, v));
  const { decodeXZ } = await loadXzCompat();
  try {
    const out = await decodeXZ(Buffer.from(v));
    const buf = Buffer.isBuffer(out) ? out : (out as { toBuffer(): Buffer }).toBuffer();
    checkDeclared(place, 'xz', buf.length);
    return buf;
  } catch (err) {
    throw corrupt(place, 'xz', err);
  }
}

/** The index at the end of the stream records every block's size: the total, read before decoding. */
function indexedSize(data: Uint8Array, place: StreamPlace, v: Buffer): number {
  const footer = data.length - 12;
  const fail = (at: number, what: string): never => {
    throw new ImageError(place.file, place.offset + at, `xz ${what}`);
  };
  if (v.readUInt16BE(footer + 10) !== 0x595a) fail(footer, 'stream footer has no "YZ" magic (truncated, or data after the stream)');
  const indexSize = (v.readUInt32LE(footer + 4) + 1) * 4;
  let q = footer - indexSize;
  if (q < 12 || data[q] !== 0) fail(Math.max(q, 0), 'index is not where the footer says');
  q++;
  const varint = (): number => {
    let value = 0;
    for (let i = 0, mul = 1; i < 9 && q < footer; i++, mul *= 128) {
      const b = data[q++]!;
      value += (b & 0x7f) * mul;
      if (!(b & 0x80)) return value;
    }
    return fail(q, 'index number is malformed');
  };
  const records = varint();
  let total = 0;
  for (let i = 0; i < records; i++) {
    varint();
    total += varint();
  }
  return total;
}
