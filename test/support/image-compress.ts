/**
 * Compresses a kernel payload the way Linux's build does (scripts/Makefile.lib): each
 * stream followed by the uncompressed size as LE32 (gzip carries it as ISIZE), lz4 in the
 * legacy frame, lzo in an lzop container. With the npm compressors, not the CLI tools.
 */
import { gzipSync } from 'node:zlib';
import { lzma, xz } from '@napi-rs/lzma';
import compressjs from 'compressjs';
import lz4js from 'lz4js';
import { LZO } from 'lzo-ts';
import type { Compression } from '../../domain/axes.ts';

let zstdReady: Promise<typeof import('@bokuweb/zstd-wasm')> | undefined;
async function zstd(): Promise<typeof import('@bokuweb/zstd-wasm')> {
  zstdReady ??= import('@bokuweb/zstd-wasm').then(async (m) => {
    await m.init();
    return m;
  });
  return zstdReady;
}

export function sizeTrailer(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

/** The bare compressed stream (no Linux size trailer). */
export async function compressStream(kind: Exclude<Compression, 'none'>, data: Uint8Array): Promise<Buffer> {
  switch (kind) {
    case 'gzip':
      return gzipSync(data, { level: 9 });
    case 'bzip2':
      return Buffer.from(compressjs.Bzip2.compressFile(Buffer.from(data), undefined, 9));
    case 'lzma':
      return lzma.compressSync(data);
    case 'xz':
      return xz.compressSync(data);
    case 'zstd':
      return Buffer.from((await zstd()).compress(Buffer.from(data), 19));
    case 'lz4':
      return lz4Legacy(data);
    case 'lzo':
      return lzop(data);
  }
}

/** What Linux puts in a bzImage: the stream, then the size (gzip's ISIZE already is). */
export async function linuxPayload(kind: Exclude<Compression, 'none'>, data: Uint8Array): Promise<Buffer> {
  const stream = await compressStream(kind, data);
  return kind === 'gzip' ? stream : Buffer.concat([stream, sizeTrailer(data.length)]);
}

const LZ4_LEGACY_BLOCK = 8 << 20;
export function lz4Legacy(data: Uint8Array): Buffer {
  const parts: Buffer[] = [Buffer.from([0x02, 0x21, 0x4c, 0x18])];
  for (let at = 0; at < data.length; at += LZ4_LEGACY_BLOCK) {
    const n = Math.min(LZ4_LEGACY_BLOCK, data.length - at);
    const dst = new Uint8Array(lz4js.compressBound(n));
    const size = lz4js.compressBlock(data, dst, at, n, new Uint32Array(1 << 16));
    parts.push(sizeTrailer(size), Buffer.from(dst.subarray(0, size)));
  }
  return Buffer.concat(parts);
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; i++) {
    a = (a + data[i]!) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const u32be = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

/** An lzop file (version 0x1030, LZO1X-1, adler32 of the uncompressed data), 256 KiB blocks as lzop writes. */
export function lzop(data: Uint8Array): Buffer {
  const F_ADLER32_D = 1;
  const header = Buffer.concat([
    Buffer.from([0x10, 0x30, 0x20, 0xa0, 0x09, 0x40, 1, 5]), // version, lib version, version needed, method, level
    u32be(F_ADLER32_D | 0x03000000), // flags (OS: Unix)
    u32be(0o100644), // mode
    u32be(0), // mtime low
    u32be(0), // mtime high
    Buffer.from([0]), // name length
  ]);
  const parts: Buffer[] = [Buffer.from([0x89, 0x4c, 0x5a, 0x4f, 0x00, 0x0d, 0x0a, 0x1a, 0x0a]), header, u32be(adler32(header))];
  const block = 256 * 1024;
  for (let at = 0; at < data.length; at += block) {
    const chunk = data.subarray(at, Math.min(data.length, at + block));
    const packed = LZO.compress(chunk) as Uint8Array;
    const stored = packed.length < chunk.length ? packed : chunk;
    parts.push(u32be(chunk.length), u32be(stored.length), u32be(adler32(chunk)), Buffer.from(stored));
  }
  parts.push(u32be(0));
  return Buffer.concat(parts);
}
