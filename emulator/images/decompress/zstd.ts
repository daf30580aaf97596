import { decompress } from 'fzstd';
import { checkDeclared, corrupt, type StreamPlace } from './errors.ts';

/**
 * fzstd allocates the frame's declared window (up to 2 GiB) unless handed an output
 * buffer, so the size is always decided here first: the frame's content size, else the
 * container's declared size; both are checked against the limit.
 */
export function unzstd(data: Uint8Array, place: StreamPlace): Uint8Array {
  const size = frameContentSize(data, place) ?? place.expectedSize;
  if (size === undefined)
    throw corrupt(place, 'zstd', new Error('the frame does not declare its content size and no size trailer gives it'));
  checkDeclared(place, 'zstd', size);
  const out = new Uint8Array(size);
  try {
    return decompress(data, out);
  } catch (err) {
    throw corrupt(place, 'zstd', err);
  }
}

function frameContentSize(d: Uint8Array, place: StreamPlace): number | undefined {
  if (d.length < 6 || d[0] !== 0x28 || d[1] !== 0xb5 || d[2] !== 0x2f || d[3] !== 0xfd)
    throw corrupt(place, 'zstd', new Error('no zstd frame magic'));
  const flags = d[4]!;
  const fcsFlag = flags >> 6;
  const single = (flags >> 5) & 1;
  const dictBytes = [0, 1, 2, 4][flags & 3]!;
  const fcsBytes = fcsFlag === 0 ? single : 1 << fcsFlag;
  if (fcsBytes === 0) return undefined;
  const at = 5 + (single ? 0 : 1) + dictBytes;
  if (at + fcsBytes > d.length) throw corrupt(place, 'zstd', new Error('frame header ends early'), at);
  let v = 0;
  for (let i = fcsBytes - 1; i >= 0; i--) v = v * 256 + d[at + i]!;
  return fcsBytes === 2 ? v + 256 : v;
}
