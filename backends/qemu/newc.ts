/**
 * A cpio "newc" (SVR4, no CRC) writer: what the Linux initramfs unpacker reads. Written here
 * rather than through `cpio -o` so that device nodes and modes need no root and no staging
 * directory, and entries come straight from memory or from the cache.
 */
export type CpioEntry =
  | { name: string; kind: 'dir'; mode?: number }
  | { name: string; kind: 'file'; data: Uint8Array; mode?: number }
  | { name: string; kind: 'symlink'; target: string }
  | { name: string; kind: 'chardev'; major: number; minor: number; mode?: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

const hex8 = (n: number) => n.toString(16).padStart(8, '0');
const pad4 = (n: number) => (4 - (n % 4)) % 4;

function header(ino: number, mode: number, size: number, name: string, rdev: [number, number] = [0, 0]): Buffer {
  const nameBytes = Buffer.from(`${name}\0`, 'utf8');
  const fields = [ino, mode, 0, 0, mode & S_IFDIR ? 2 : 1, 0, size, 0, 0, rdev[0], rdev[1], nameBytes.length, 0];
  const head = Buffer.from(`070701${fields.map(hex8).join('')}`, 'latin1');
  return Buffer.concat([head, nameBytes, Buffer.alloc(pad4(head.length + nameBytes.length))]);
}

/** The archive as a list of chunks (file data is not copied), ending with the trailer. */
export function* newcChunks(entries: Iterable<CpioEntry>): Generator<Uint8Array> {
  let ino = 1;
  for (const e of entries) {
    const name = e.name.replace(/^\/+/, '');
    if (!name) continue;
    if (e.kind === 'dir') yield header(ino++, S_IFDIR | (e.mode ?? 0o755), 0, name);
    else if (e.kind === 'chardev') yield header(ino++, S_IFCHR | (e.mode ?? 0o600), 0, name, [e.major, e.minor]);
    else {
      const data = e.kind === 'file' ? e.data : Buffer.from(e.target, 'utf8');
      const mode = e.kind === 'file' ? S_IFREG | (e.mode ?? 0o644) : S_IFLNK | 0o777;
      yield header(ino++, mode, data.length, name);
      yield data;
      const p = pad4(data.length);
      if (p) yield Buffer.alloc(p);
    }
  }
  yield header(0, 0, 0, 'TRAILER!!!');
}

/** The whole archive in one buffer, padded to a multiple of 4 (appendable to another). */
export function newcArchive(entries: Iterable<CpioEntry>): Buffer {
  return padTo4(Buffer.concat([...newcChunks(entries)]));
}

/** Concatenated initramfs parts must each start 4-byte aligned, or the kernel ignores the rest. */
export function padTo4(b: Buffer): Buffer {
  const p = pad4(b.length);
  return p ? Buffer.concat([b, Buffer.alloc(p)]) : b;
}

/** Every parent directory of `path`, outermost first (`a/b/c` -> `a`, `a/b`). */
export function parentsOf(path: string): string[] {
  const parts = path.replace(/^\/+/, '').split('/').slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}
