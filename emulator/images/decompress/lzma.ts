import { lzma } from '@napi-rs/lzma';
import { checkDeclared, corrupt, type StreamPlace } from './errors.ts';

const UNKNOWN = 0xffffffffffffffffn;

/**
 * Legacy .lzma (13-byte header: properties, dictionary size, u64 LE uncompressed size).
 * Linux writes the size as unknown (-1) and appends its own size trailer instead; the
 * native decoder stops at a known size, so we put the trailer's size in the header, which
 * bounds the output.
 */
export function unlzma(data: Uint8Array, place: StreamPlace): Uint8Array {
  if (data.length < 13) throw corrupt(place, 'lzma', new Error(`header needs 13 bytes, have ${data.length}`));
  const header = Buffer.from(data.buffer, data.byteOffset, 13);
  if (header[0]! >= 9 * 5 * 5) throw corrupt(place, 'lzma', new Error(`bad properties byte 0x${header[0]!.toString(16)}`));
  let size = header.readBigUInt64LE(5);
  let input = data;
  if (size === UNKNOWN) {
    if (place.expectedSize === undefined)
      throw corrupt(place, 'lzma', new Error('the stream does not declare its size and no size trailer gives it'), 5);
    size = BigInt(place.expectedSize);
    input = Buffer.concat([header, data.subarray(13)]);
    (input as Buffer).writeBigUInt64LE(size, 5);
  }
  checkDeclared(place, 'lzma', size, 5);
  try {
    return lzma.decompressSync(input);
  } catch (err) {
    throw corrupt(place, 'lzma', err);
  }
}
