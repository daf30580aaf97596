/**
 * Bounds-checked reads over an image's bytes. Every read that would leave the buffer
 * throws an ImageError naming the file and the offset, so a header pointing past the end
 * is reported where it points instead of yielding `undefined` or a RangeError.
 */
import { ImageError } from './types.ts';

/** Outputs larger than this are refused: no real kernel payload comes near it. */
export const MAX_OUTPUT = 256 * 1024 * 1024;

export class Bytes {
  readonly length: number;

  constructor(
    readonly buf: Uint8Array,
    readonly file: string,
    /** Where buf starts in the file the user named (for payloads: the payload offset). */
    readonly base = 0,
    /** A label for errors inside a decompressed payload, e.g. "xz payload". */
    readonly within?: string,
  ) {
    this.length = buf.length;
  }

  fail(offset: number | undefined, problem: string): never {
    const where = this.within ? `${this.within}: ` : '';
    const abs = offset === undefined ? undefined : this.within ? offset : this.base + offset;
    throw new ImageError(this.file, abs, where + problem);
  }

  need(offset: number, size: number, what: string): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || size < 0 || offset + size > this.length) {
      this.fail(offset, `${what} (${size} bytes) lies past the end of the data (${this.length} bytes)`);
    }
  }

  u8(o: number, what = 'byte'): number {
    this.need(o, 1, what);
    return this.buf[o]!;
  }

  u16(o: number, le = true, what = 'u16'): number {
    this.need(o, 2, what);
    const b = this.buf;
    return le ? b[o]! | (b[o + 1]! << 8) : (b[o]! << 8) | b[o + 1]!;
  }

  u32(o: number, le = true, what = 'u32'): number {
    this.need(o, 4, what);
    const b = this.buf;
    const v = le
      ? b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)
      : (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
    return v >>> 0;
  }

  u64(o: number, le = true, what = 'u64'): bigint {
    this.need(o, 8, what);
    const lo = BigInt(this.u32(le ? o : o + 4, le));
    const hi = BigInt(this.u32(le ? o + 4 : o, le));
    return (hi << 32n) | lo;
  }

  slice(o: number, size: number, what: string): Uint8Array {
    this.need(o, size, what);
    return this.buf.subarray(o, o + size);
  }

  /** A NUL-terminated string of at most max bytes (the NUL need not be there). */
  cstr(o: number, max: number, what = 'string'): string {
    this.need(o, 0, what);
    const end = Math.min(this.length, o + max);
    let i = o;
    while (i < end && this.buf[i] !== 0) i++;
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + o, i - o).toString('latin1');
  }
}

export function hex(v: number | bigint): string {
  return `0x${v.toString(16)}`;
}

export function startsWith(buf: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (buf.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (buf[at + i] !== magic[i]) return false;
  return true;
}

/** Find an ASCII marker in a buffer (Buffer.indexOf, which is native and fast). */
export function indexOfAscii(buf: Uint8Array, marker: string, from = 0): number {
  // A Buffer needle: a string needle with an encoding takes a much slower path in Node.
  return Buffer.from(buf.buffer, buf.byteOffset, buf.length).indexOf(Buffer.from(marker, 'latin1'), from);
}
