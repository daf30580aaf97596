import { gunzipSync } from 'node:zlib';
import { checkDeclared, corrupt, tooBig, type StreamPlace } from './errors.ts';

export function gunzip(data: Uint8Array, place: StreamPlace): Uint8Array {
  // ISIZE (last 4 bytes) is the size modulo 2^32: a cheap first check before inflating.
  if (data.length >= 18) {
    const isize = Buffer.from(data.buffer, data.byteOffset, data.length).readUInt32LE(data.length - 4);
    checkDeclared(place, 'gzip', isize, data.length - 4);
  }
  try {
    return gunzipSync(data, { maxOutputLength: place.limit });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooBig(place, 'gzip', `more than ${place.limit}`);
    throw corrupt(place, 'gzip', err);
  }
}
