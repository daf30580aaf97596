import lz4js from 'lz4js';
import { ImageError } from '../types.ts';
import { corrupt, tooBig, type StreamPlace } from './errors.ts';

/** The legacy LZ4 frame that Linux's `lz4 -l` writes: magic, then [u32 LE size][block]... */
export const LZ4_LEGACY_MAGIC = 0x184c2102;
/** Legacy blocks hold at most 8 MiB of output (LZ4_DEFAULT_UNCOMPRESSED_CHUNK_SIZE). */
const MAX_BLOCK_OUTPUT = 8 << 20;

export function unlz4(data: Uint8Array, place: StreamPlace): Uint8Array {
  const view = Buffer.from(data.buffer, data.byteOffset, data.length);
  if (data.length < 4 || view.readUInt32LE(0) !== LZ4_LEGACY_MAGIC)
    throw corrupt(place, 'lz4', new Error('no legacy lz4 magic 0x184c2102'));
  const blocks: { at: number; size: number; out: number }[] = [];
  let total = 0;
  let pos = 4;
  while (pos + 4 <= data.length) {
    const size = view.readUInt32LE(pos);
    if (size === LZ4_LEGACY_MAGIC) {
      pos += 4; // a concatenated stream starts again
      continue;
    }
    if (size === 0 || pos + 4 + size > data.length) {
      throw new ImageError(
        place.file,
        place.offset + pos,
        `lz4 block of ${size} bytes runs past the end of the data (${data.length - pos - 4} left)`,
      );
    }
    const out = scanBlock(data, pos + 4, size, place);
    total += out;
    if (total > place.limit) throw tooBig(place, 'lz4', total, pos);
    blocks.push({ at: pos + 4, size, out });
    pos += 4 + size;
  }
  if (pos !== data.length) throw new ImageError(place.file, place.offset + pos, `lz4 data ends inside a block header`);
  const result = new Uint8Array(total);
  let outPos = 0;
  for (const b of blocks) {
    try {
      outPos = lz4js.decompressBlock(data, result, b.at, b.size, outPos);
    } catch (err) {
      throw corrupt(place, 'lz4', err, b.at);
    }
  }
  return result;
}

/**
 * Walks a block's sequences without writing anything, to learn its exact output size and
 * refuse lengths and offsets that point outside the block: lz4js trusts its input and
 * would otherwise loop through billions of bytes on a corrupt length.
 */
function scanBlock(src: Uint8Array, start: number, size: number, place: StreamPlace): number {
  const end = start + size;
  let s = start;
  let out = 0;
  const bad = (what: string): never => {
    throw new ImageError(place.file, place.offset + s, `corrupt lz4 block: ${what}`);
  };
  while (s < end) {
    const token = src[s++]!;
    let lit = token >> 4;
    if (lit === 15) {
      let b: number;
      do {
        if (s >= end) bad('literal length runs past the block');
        b = src[s++]!;
        lit += b;
      } while (b === 255);
    }
    if (s + lit > end) bad('literals run past the block');
    s += lit;
    out += lit;
    if (s === end) break;
    if (s + 2 > end) bad('match offset runs past the block');
    const offset = src[s]! | (src[s + 1]! << 8);
    s += 2;
    if (offset === 0 || offset > out) bad(`match offset ${offset} points before the start of the output`);
    let match = token & 15;
    if (match === 15) {
      let b: number;
      do {
        if (s >= end) bad('match length runs past the block');
        b = src[s++]!;
        match += b;
      } while (b === 255);
    }
    out += match + 4;
    if (out > MAX_BLOCK_OUTPUT) bad(`block expands past ${MAX_BLOCK_OUTPUT} bytes`);
  }
  return out;
}
