/**
 * What a file is, from its bytes alone: bzImage, ELF, gzipped ELF, Xen hypervisor,
 * Kconfig, or unknown; with everything about it this folder can read. Pure (no I/O).
 */
import { createHash } from 'node:crypto';
import { Bytes, MAX_OUTPUT } from './bytes.ts';
import { readSetupHeader, isBzImage } from './bzimage.ts';
import { compressionOf, decompress } from './decompress/index.ts';
import { gunzip } from './decompress/gzip.ts';
import { isElf, readElf } from './elf.ts';
import { readHypervisor, looksLikeXen } from './hypervisor.ts';
import { findIkconfig, looksLikeKconfig, parseKconfig, type Kconfig } from './kconfig.ts';
import { findLinuxBanner } from './linux.ts';
import { ImageError, type BzImageInfo, type ImageInfo } from './types.ts';

export interface InspectOptions {
  /** The file's name, for errors and for a hypervisor version in its name. */
  file: string;
  /** A .config that goes with the image (for a hypervisor: its debug setting and version). */
  config?: { text: string; source: string };
  /** Refuse payloads that expand past this (default 256 MiB). */
  limit?: number;
  /** xz: native LZMA2 + BCJ (default) or xz-compat's pure-JS decoder (for comparison). */
  xzMode?: 'hybrid' | 'pure';
  /** The content's SHA-256 when the caller already has it (the file cache does). */
  sha256?: string;
}

/** The kernel ELF inside a file, and how it was found. */
export interface Unpacked {
  kind: ImageInfo['kind'];
  bzImage?: BzImageInfo;
  /** The ELF bytes: the file, its gunzipped content, or the bzImage payload, decompressed. */
  elfBytes?: Uint8Array;
}

const GZIP = [0x1f, 0x8b];

export async function unpack(buf: Uint8Array, opts: InspectOptions): Promise<Unpacked> {
  const b = new Bytes(buf, opts.file);
  const limit = opts.limit ?? MAX_OUTPUT;
  if (isBzImage(buf)) {
    const h = readSetupHeader(b);
    const { protectedModeOffset: _pm, ...header } = h;
    const info: BzImageInfo = { ...header, compression: 'unknown' };
    if (h.payloadOffset === undefined || h.payloadLength === undefined) return { kind: 'bzImage', bzImage: info };
    const payload = buf.subarray(h.payloadOffset, h.payloadOffset + h.payloadLength);
    info.compression = compressionOf(payload);
    if (info.compression === 'unknown') return { kind: 'bzImage', bzImage: info };
    let elfBytes = payload;
    if (info.compression !== 'none') {
      if (payload.length < 8) b.fail(h.payloadOffset, `payload of ${payload.length} bytes is too short for a compressed kernel`);
      // Linux appends the uncompressed size (LE32) after every payload; for gzip it is ISIZE.
      const declared = Buffer.from(payload.buffer, payload.byteOffset, payload.length).readUInt32LE(payload.length - 4);
      info.declaredSize = declared;
      if (declared > limit) {
        throw new ImageError(
          opts.file,
          h.payloadOffset + payload.length - 4,
          `payload declares ${declared} uncompressed bytes, over the ${limit}-byte limit (refused as a decompression bomb)`,
        );
      }
      const stream = info.compression === 'gzip' ? payload : payload.subarray(0, payload.length - 4);
      elfBytes = await decompress(
        info.compression,
        stream,
        { file: opts.file, offset: h.payloadOffset, expectedSize: declared, limit },
        opts.xzMode,
      );
      if (elfBytes.length !== declared) {
        throw new ImageError(
          opts.file,
          h.payloadOffset,
          `${info.compression} payload expands to ${elfBytes.length} bytes, its size trailer says ${declared}`,
        );
      }
    }
    info.payloadSize = elfBytes.length;
    return { kind: 'bzImage', bzImage: info, elfBytes };
  }
  if (isElf(buf)) return { kind: looksLikeXen(buf) ? 'xen' : 'elf', elfBytes: buf };
  if (buf.length >= 2 && buf[0] === GZIP[0] && buf[1] === GZIP[1]) {
    const inner = gunzip(buf, { file: opts.file, offset: 0, limit });
    if (!isElf(inner))
      throw new ImageError(opts.file, 0, 'gzip data that does not hold an ELF image (first bytes after gunzip are not \\x7fELF)');
    return { kind: looksLikeXen(inner) ? 'xen' : 'gzip-elf', elfBytes: inner };
  }
  if (looksLikeKconfig(buf)) return { kind: 'kconfig' };
  return { kind: 'unknown' };
}

export async function inspectBytes(buf: Uint8Array, opts: InspectOptions): Promise<ImageInfo> {
  const u = await unpack(buf, opts);
  const info: ImageInfo = { size: buf.length, sha256: opts.sha256 ?? sha256(buf), kind: u.kind };
  if (u.kind === 'kconfig') {
    const k = parseKconfig(Buffer.from(buf.buffer, buf.byteOffset, buf.length).toString('latin1'));
    info.config = k.values;
    info.configSource = opts.file;
    if (k.product && k.version) info.configHeader = `${k.product} ${k.version}`;
    if (k.product?.startsWith('Linux') && k.version) info.linuxRelease = k.version;
    return info;
  }
  if (u.bzImage) info.bzImage = u.bzImage;
  if (!u.elfBytes) {
    if (u.bzImage?.kernelVersion) info.linuxRelease = u.bzImage.kernelVersion.split(' ')[0];
    return info;
  }
  const inner =
    u.elfBytes === buf
      ? new Bytes(buf, opts.file)
      : new Bytes(u.elfBytes, opts.file, 0, `${u.bzImage?.compression ?? 'gzip'} payload (decompressed)`);
  const elf = readElf(inner);
  const given = opts.config ? parseKconfig(opts.config.text) : undefined;
  if (u.kind === 'xen') {
    info.hypervisor = readHypervisor(u.elfBytes, elf, { config: given, fileName: opts.file });
    if (given && opts.config) {
      info.config = given.values;
      info.configSource = opts.config.source;
    }
    return info;
  }
  info.elf = elf;
  if (u.bzImage) u.bzImage.payload = elf;
  const banner = findLinuxBanner(u.elfBytes);
  if (banner) {
    info.linuxBanner = banner.banner;
    info.linuxRelease = banner.release;
  } else if (u.bzImage?.kernelVersion) {
    info.linuxRelease = u.bzImage.kernelVersion.split(' ')[0];
  }
  const ik: Kconfig | undefined = findIkconfig(u.elfBytes, opts.file);
  if (ik) {
    info.config = ik.values;
    info.configSource = 'ikconfig';
  } else if (given && opts.config) {
    info.config = given.values;
    info.configSource = opts.config.source;
  }
  return info;
}

export function sha256(buf: Uint8Array): string {
  return createHash('sha256').update(buf).digest('hex');
}
