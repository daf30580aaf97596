import { ImageError } from '../types.ts';

/** Where a compressed stream sits: the file it came from and its offset there, for errors. */
export interface StreamPlace {
  file: string;
  offset: number;
  /** The size the container declares for the output (Linux's size trailer), if any. */
  expectedSize?: number;
  /** Refuse to produce more than this many bytes. */
  limit: number;
}

export function corrupt(place: StreamPlace, kind: string, err: unknown, at = 0): ImageError {
  if (err instanceof ImageError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new ImageError(place.file, place.offset + at, `corrupt ${kind} data: ${msg}`);
}

export function tooBig(place: StreamPlace, kind: string, size: number | bigint | string, at = 0): ImageError {
  return new ImageError(
    place.file,
    place.offset + at,
    `${kind} data declares or expands to ${size} bytes, over the ${place.limit}-byte limit (refused as a decompression bomb)`,
  );
}

export function checkDeclared(place: StreamPlace, kind: string, size: number | bigint, at = 0): void {
  if (size > place.limit) throw tooBig(place, kind, size, at);
}
