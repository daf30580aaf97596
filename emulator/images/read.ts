/**
 * The file-reading entry points. Results are cached twice: by (path, size, mtime, inode),
 * so a second look at the same file costs one stat(); and by content hash, so a thousand
 * cells over one image, under any name, decompress it once. A caller may add a third,
 * lasting level (useImageInfoStore): the CLI keeps inspections on disk between runs, since
 * decompressing a distro's xz kernel costs more than a whole emulated matrix.
 */
import { readFile, stat } from 'node:fs/promises';
import { Bytes } from './bytes.ts';
import { inspectBytes, sha256, unpack, type InspectOptions } from './inspect.ts';
import { ImageError, type ImageInfo } from './types.ts';

/** Files larger than this are refused before reading (no kernel or hypervisor is near it). */
export const MAX_FILE = 1024 * 1024 * 1024;

export interface InspectFileOptions {
  /** A .config to read with the image. For a hypervisor `xen-X.gz`, `xen-X.config` beside it is used when this is absent. */
  config?: string;
  /** Look for the hypervisor's sibling .config (default true). */
  sibling?: boolean;
  limit?: number;
  xzMode?: InspectOptions['xzMode'];
}

type StatKey = string;

/** Inspections kept beyond this process, by a key that changes whenever the file or its .config does. */
export interface ImageInfoStore {
  get(key: string): ImageInfo | undefined;
  set(key: string, info: ImageInfo): void;
}
let store: ImageInfoStore | undefined;

/** Adds (or with undefined removes) the lasting cache level. */
export function useImageInfoStore(s: ImageInfoStore | undefined): void {
  store = s;
}

const byStat = new Map<string, { key: StatKey; info: Promise<ImageInfo> }>();
const byContent = new Map<string, Promise<ImageInfo>>();

/** How often the caches were missed: files read, contents inspected (decompressed). */
export const imageCacheStats = { reads: 0, inspections: 0 };

/** For benchmarks and tests: forget everything. */
export function clearImageCache(): void {
  byStat.clear();
  byContent.clear();
  imageCacheStats.reads = 0;
  imageCacheStats.inspections = 0;
}

async function statKey(path: string): Promise<StatKey> {
  try {
    const s = await stat(path, { bigint: true });
    if (s.isDirectory()) throw new ImageError(path, undefined, 'is a directory, not an image file');
    if (s.size > BigInt(MAX_FILE))
      throw new ImageError(path, undefined, `is ${s.size} bytes, larger than any image this reads (${MAX_FILE})`);
    return `${s.size}:${s.mtimeNs}:${s.ino}:${s.dev}`;
  } catch (err) {
    throw fileError(path, err);
  }
}

export function fileError(path: string, err: unknown): ImageError {
  if (err instanceof ImageError) return err;
  const code = (err as { code?: string }).code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory, not an image file'
          : (err as Error).message;
  return new ImageError(path, undefined, `cannot read: ${why}`);
}

async function read(path: string): Promise<Buffer> {
  imageCacheStats.reads++;
  try {
    return await readFile(path);
  } catch (err) {
    throw fileError(path, err);
  }
}

/** The hypervisor's build config, as Debian installs it: /boot/xen-4.17-amd64.gz → /boot/xen-4.17-amd64.config. */
export function siblingConfigPath(path: string): string | undefined {
  return /(^|\/)xen[^/]*\.gz$/.test(path) ? path.replace(/\.gz$/, '.config') : undefined;
}

export async function inspectFile(path: string, opts: InspectFileOptions = {}): Promise<ImageInfo> {
  let configPath = opts.config;
  if (!configPath && opts.sibling !== false) {
    const sib = siblingConfigPath(path);
    if (
      sib &&
      (await statKey(sib).then(
        () => true,
        () => false,
      ))
    )
      configPath = sib;
  }
  const key = [await statKey(path), configPath ? await statKey(configPath) : '', opts.limit ?? '', opts.xzMode ?? ''].join('|');
  const cacheName = `${path}\0${configPath ?? ''}`;
  let entry = byStat.get(cacheName);
  // In-flight inspections are shared too: a thousand cells starting at once read the file once.
  if (!entry || entry.key !== key) {
    const lasting = `${cacheName}\0${key}`;
    const kept = store?.get(lasting);
    const info = kept ? Promise.resolve(kept) : readAndInspect(path, configPath, opts);
    if (store && !kept)
      info.then(
        (i) => store?.set(lasting, i),
        () => undefined,
      );
    entry = { key, info };
    byStat.set(cacheName, entry);
    const mine = entry;
    mine.info.catch(() => {
      if (byStat.get(cacheName) === mine) byStat.delete(cacheName); // errors are not cached
    });
  }
  return { ...(await entry.info), path };
}

async function readAndInspect(path: string, configPath: string | undefined, opts: InspectFileOptions): Promise<ImageInfo> {
  const buf = await read(path);
  const config = configPath ? { text: (await read(configPath)).toString('latin1'), source: configPath } : undefined;
  // The file name can give a hypervisor's version: part of the key, so that content shared
  // under two names that say different versions is not conflated.
  const nameHint = /xen-(\d+\.\d+)/.exec(path.split('/').at(-1) ?? '')?.[1] ?? '';
  const hash = sha256(buf);
  const contentKey = [hash, config ? sha256(Buffer.from(config.text, 'latin1')) : '', opts.limit ?? '', opts.xzMode ?? '', nameHint].join(
    '|',
  );
  let pending = byContent.get(contentKey);
  if (!pending) {
    imageCacheStats.inspections++;
    pending = inspectBytes(buf, { file: path, config, limit: opts.limit, xzMode: opts.xzMode, sha256: hash });
    byContent.set(contentKey, pending);
    pending.catch(() => byContent.delete(contentKey));
  }
  const info = await pending;
  return configPath && info.configSource !== undefined && info.configSource !== 'ikconfig' ? { ...info, configSource: configPath } : info;
}

/**
 * The kernel ELF (vmlinux) inside a bzImage or a vmlinux.gz, or the file itself when it is
 * already an ELF. For the QEMU backend, which boots faster from a plain vmlinux.
 */
export async function extractVmlinux(path: string, opts: { limit?: number } = {}): Promise<Buffer> {
  const buf = await read(path);
  const u = await unpack(buf, { file: path, limit: opts.limit });
  if (!u.elfBytes) {
    const why =
      u.kind === 'bzImage'
        ? `its payload compression is ${u.bzImage?.compression ?? 'unknown'} (protocol ${u.bzImage?.protocol})`
        : `it is ${u.kind === 'unknown' ? 'not a kernel image' : `a ${u.kind} file`}`;
    new Bytes(buf, path).fail(undefined, `no vmlinux to extract: ${why}`);
  }
  const elf = u.elfBytes!;
  return Buffer.isBuffer(elf) ? elf : Buffer.from(elf.buffer, elf.byteOffset, elf.length);
}
