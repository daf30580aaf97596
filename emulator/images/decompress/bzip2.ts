import Bunzip, { type ByteSink, type ByteSource } from 'seek-bzip';
import { ImageError } from '../types.ts';
import { corrupt, tooBig, type StreamPlace } from './errors.ts';

/** seek-bzip reads through these, so that running off the end or past the limit stops it. */
class Source implements ByteSource {
  pos = 0;
  constructor(
    private readonly data: Uint8Array,
    private readonly place: StreamPlace,
  ) {}
  readByte(): number {
    if (this.pos >= this.data.length) throw new ImageError(this.place.file, this.place.offset + this.pos, 'bzip2 data ends early');
    return this.data[this.pos++]!;
  }
  read(buffer: Uint8Array, offset: number, length: number): number {
    for (let i = 0; i < length; i++) buffer[offset + i] = this.readByte();
    return length;
  }
  seek(pos: number): void {
    this.pos = pos;
  }
  eof(): boolean {
    return this.pos >= this.data.length;
  }
}

class Sink implements ByteSink {
  out: Uint8Array;
  pos = 0;
  constructor(
    initial: number,
    private readonly place: StreamPlace,
  ) {
    this.out = new Uint8Array(initial);
  }
  writeByte(byte: number): void {
    if (this.pos >= this.out.length) {
      if (this.out.length >= this.place.limit) throw tooBig(this.place, 'bzip2', `more than ${this.place.limit}`);
      const grown = new Uint8Array(Math.min(this.place.limit, this.out.length * 2));
      grown.set(this.out);
      this.out = grown;
    }
    this.out[this.pos++] = byte;
  }
}

export function bunzip2(data: Uint8Array, place: StreamPlace): Uint8Array {
  const source = new Source(data, place);
  const sink = new Sink(Math.max(1024, Math.min(place.expectedSize ?? 1 << 20, place.limit)), place);
  try {
    Bunzip.decode(source, sink, false);
  } catch (err) {
    throw corrupt(place, 'bzip2', err, source.pos);
  }
  return sink.out.subarray(0, sink.pos);
}
