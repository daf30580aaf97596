/**
 * Payload compression by magic, and decompression with maintained libraries, every one
 * bounded: sizes are read from the stream or its container and checked against the limit
 * before any output is allocated.
 */
import type { Compression } from '../../../domain/axes.ts';
import { ImageError } from '../types.ts';
import { bunzip2 } from './bzip2.ts';
import type { StreamPlace } from './errors.ts';
import { gunzip } from './gzip.ts';
import { unlz4 } from './lz4.ts';
import { unlzma } from './lzma.ts';
import { unlzo } from './lzo.ts';
import { unxz } from './xz.ts';
import { unzstd } from './zstd.ts';

export type { StreamPlace } from './errors.ts';

/** Magics as Linux's lib/decompress.c and Xen's xen/common/decompress.c test them. */
const MAGICS: { kind: Exclude<Compression, 'none'>; magic: number[] }[] = [
  { kind: 'gzip', magic: [0x1f, 0x8b] },
  { kind: 'gzip', magic: [0x1f, 0x9e] },
  { kind: 'bzip2', magic: [0x42, 0x5a, 0x68] },
  { kind: 'lzma', magic: [0x5d, 0x00, 0x00] },
  { kind: 'xz', magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { kind: 'lzo', magic: [0x89, 0x4c, 0x5a, 0x4f, 0x00, 0x0d, 0x0a, 0x1a, 0x0a] },
  { kind: 'lz4', magic: [0x02, 0x21, 0x4c, 0x18] },
  { kind: 'zstd', magic: [0x28, 0xb5, 0x2f, 0xfd] },
];
const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

export function compressionOf(data: Uint8Array): Compression | 'unknown' {
  const has = (m: readonly number[]): boolean => data.length >= m.length && m.every((b, i) => data[i] === b);
  if (has(ELF_MAGIC)) return 'none';
  return MAGICS.find((m) => has(m.magic))?.kind ?? 'unknown';
}

/** Decompress `data` (one compressed stream, no container trailer) of the given kind. */
export async function decompress(
  kind: Compression,
  data: Uint8Array,
  place: StreamPlace,
  xzMode: 'hybrid' | 'pure' = 'hybrid',
): Promise<Uint8Array> {
  switch (kind) {
    case 'none':
      return data;
    case 'gzip':
      return gunzip(data, place);
    case 'bzip2':
      return bunzip2(data, place);
    case 'lzma':
      return unlzma(data, place);
    case 'xz':
      return unxz(data, place, xzMode);
    case 'lzo':
      return unlzo(data, place);
    case 'lz4':
      return unlz4(data, place);
    case 'zstd':
      return unzstd(data, place);
    default:
      throw new ImageError(place.file, place.offset, `unknown compression ${String(kind)}`);
  }
}
