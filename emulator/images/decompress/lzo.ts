import { LZO } from 'lzo-ts';
import { ImageError } from '../types.ts';
import { corrupt, tooBig, type StreamPlace } from './errors.ts';

/** lzop's container, which Linux's `lzop -9` writes around LZO1X blocks. */
export const LZOP_MAGIC = [0x89, 0x4c, 0x5a, 0x4f, 0x00, 0x0d, 0x0a, 0x1a, 0x0a] as const;
const F_ADLER32_D = 0x1;
const F_ADLER32_C = 0x2;
const F_H_EXTRA_FIELD = 0x40;
const F_CRC32_D = 0x100;
const F_CRC32_C = 0x200;
const F_H_FILTER = 0x800;
/** lzop never writes blocks larger than this (MAX_BLOCK_SIZE). */
const MAX_BLOCK = 64 << 20;

export function unlzo(data: Uint8Array, place: StreamPlace): Uint8Array {
  const v = Buffer.from(data.buffer, data.byteOffset, data.length);
  let p = 0;
  const need = (n: number, what: string): void => {
    if (p + n > data.length) throw new ImageError(place.file, place.offset + p, `lzop ${what} runs past the end of the data`);
  };
  need(9, 'magic');
  for (let i = 0; i < 9; i++) if (data[i] !== LZOP_MAGIC[i]) throw corrupt(place, 'lzo', new Error('no lzop magic'));
  p = 9;
  need(4, 'header');
  const version = v.readUInt16BE(p);
  p += 4; // version, library version
  if (version >= 0x0940) p += 2; // version needed to extract
  need(1, 'header');
  const method = v[p++]!;
  if (method < 1 || method > 3) throw new ImageError(place.file, place.offset + p - 1, `lzop method ${method} is not LZO1X (1, 2 or 3)`);
  if (version >= 0x0940) p += 1; // level
  need(4, 'header');
  const flags = v.readUInt32BE(p);
  p += 4;
  if (flags & F_H_FILTER) p += 4;
  p += 8; // mode, mtime low
  if (version >= 0x0940) p += 4; // mtime high
  need(1, 'header');
  p += 1 + v[p]!; // file name
  p += 4; // header checksum
  if (flags & F_H_EXTRA_FIELD) {
    need(4, 'extra field');
    p += 4 + v.readUInt32BE(p) + 4;
  }
  const blocks: { at: number; src: number; dst: number }[] = [];
  let total = 0;
  for (;;) {
    need(4, 'block header');
    const dst = v.readUInt32BE(p);
    if (dst === 0) break;
    const head = p;
    p += 4;
    need(4, 'block header');
    const src = v.readUInt32BE(p);
    p += 4;
    if (dst > MAX_BLOCK)
      throw new ImageError(place.file, place.offset + head, `lzop block declares ${dst} bytes, over lzop's ${MAX_BLOCK}-byte block limit`);
    if (src > dst || src === 0)
      throw new ImageError(place.file, place.offset + head, `lzop block sizes are inconsistent (compressed ${src}, uncompressed ${dst})`);
    if (flags & F_ADLER32_D) p += 4;
    if (flags & F_CRC32_D) p += 4;
    if (src < dst) {
      if (flags & F_ADLER32_C) p += 4;
      if (flags & F_CRC32_C) p += 4;
    }
    need(src, 'block');
    total += dst;
    if (total > place.limit) throw tooBig(place, 'lzo', total, head);
    blocks.push({ at: p, src, dst });
    p += src;
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const b of blocks) {
    const input = data.subarray(b.at, b.at + b.src);
    const block = b.src === b.dst ? input : boundedLzo1x(input, b.dst, place, b.at);
    if (block.length !== b.dst)
      throw new ImageError(place.file, place.offset + b.at, `lzo block expands to ${block.length} bytes, its header says ${b.dst}`);
    out.set(block, o);
    o += b.dst;
  }
  return out;
}

/** The minified internals of lzo-ts 0.2 we hook: the output buffer and its grow method. */
interface LzoInternals {
  t: Uint8Array; // output buffer
  l: number; // size the output needs
  b(): void; // grows the output buffer
  F(input: Uint8Array): Uint8Array | boolean; // decompress
}

/**
 * lzo-ts reads past the end of a truncated block as `undefined` and then grows its output
 * forever. We hand it an output buffer of the declared size and make its grow method
 * throw, so a corrupt block fails at once instead of eating memory.
 */
function boundedLzo1x(input: Uint8Array, size: number, place: StreamPlace, at: number): Uint8Array {
  const d = new (LZO as unknown as new () => LzoInternals)();
  if (typeof d.b !== 'function' || typeof d.F !== 'function' || !(d.t instanceof Uint8Array)) {
    throw new ImageError(
      place.file,
      place.offset + at,
      'this lzo-ts version has unknown internals: refusing to decompress without a size bound',
    );
  }
  d.t = new Uint8Array(size + 3); // the decoder writes up to 3 bytes ahead before checking
  d.b = () => {
    throw new ImageError(place.file, place.offset + at, `corrupt lzo block: expands past its declared ${size} bytes`);
  };
  let result: Uint8Array | boolean;
  try {
    result = d.F(input);
  } catch (err) {
    throw corrupt(place, 'lzo', err, at);
  }
  if (!(result instanceof Uint8Array)) throw corrupt(place, 'lzo', new Error('block has no end marker'), at);
  return result;
}
