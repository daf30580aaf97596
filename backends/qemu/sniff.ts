import { open, stat } from 'node:fs/promises';

/**
 * Just enough of an image to pick QEMU flags and say "cannot run": kind, architecture,
 * bzImage payload compression and kernel release. The full reading is the image layer's.
 */
export interface KernelSniff {
  kind: 'bzImage' | 'elf' | 'gzip' | 'unknown';
  arch?: 'x86_64' | 'x86_32';
  compression?: string;
  release?: string;
}

const MAGICS: [string, number[]][] = [
  ['gzip', [0x1f, 0x8b]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['lzma', [0x5d, 0x00, 0x00]],
  ['lzo', [0x89, 0x4c, 0x5a, 0x4f]],
  ['lz4', [0x02, 0x21, 0x4c, 0x18]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
  ['none', [0x7f, 0x45, 0x4c, 0x46]],
];

async function readAt(path: string, offset: number, length: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(length);
    const { bytesRead } = await fh.read(b, 0, length, offset);
    return b.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export async function sniffKernel(path: string): Promise<KernelSniff> {
  const head = await readAt(path, 0, 0x1000);
  if (head.length > 0x260 && head.toString('latin1', 0x202, 0x206) === 'HdrS') {
    const setupSects = head[0x1f1] || 4;
    const protocol = head.readUInt16LE(0x206);
    const xloadflags = protocol >= 0x20c ? head.readUInt16LE(0x236) : 0;
    let compression: string | undefined;
    if (protocol >= 0x208) {
      const payloadAt = (setupSects + 1) * 512 + head.readUInt32LE(0x248);
      const p = await readAt(path, payloadAt, 8);
      compression = MAGICS.find(([, m]) => m.every((b, i) => p[i] === b))?.[0] ?? 'unknown';
    }
    const verPtr = head.readUInt16LE(0x20e);
    const ver = verPtr ? (await readAt(path, verPtr + 0x200, 128)).toString('latin1').split(/[\0 ]/)[0] : undefined;
    return { kind: 'bzImage', arch: xloadflags & 1 ? 'x86_64' : 'x86_32', compression, release: ver || undefined };
  }
  if (head.readUInt32BE(0) === 0x7f454c46) {
    const machine = head.readUInt16LE(18);
    const arch = machine === 62 ? 'x86_64' : machine === 3 ? 'x86_32' : undefined;
    return { kind: 'elf', arch, release: await bannerRelease(path) };
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return { kind: 'gzip' };
  return { kind: 'unknown' };
}

/** "Linux version 6.1.0-56-amd64 (...)" inside a vmlinux gives the modules directory name. */
async function bannerRelease(path: string): Promise<string | undefined> {
  const size = (await stat(path)).size;
  const fh = await open(path, 'r');
  try {
    const chunk = Buffer.alloc(4 << 20);
    const needle = Buffer.from('Linux version ');
    for (let off = 0; off < size; off += chunk.length - 256) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, off);
      const at = chunk.subarray(0, bytesRead).indexOf(needle);
      if (at >= 0) {
        const rel = chunk.toString('latin1', at + needle.length, at + needle.length + 80).split(/[\0 ]/)[0];
        if (rel && /^\d/.test(rel)) return rel;
      }
    }
  } finally {
    await fh.close();
  }
  return undefined;
}
