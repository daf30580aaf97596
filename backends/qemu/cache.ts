import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { cacheHome } from '../cache-home.ts';
import { writeFileAtomic } from '../../lib/atomic-write.ts';

/** Where the real backend keeps what it prepares: never inside the repository. */
export function cacheRoot(): string {
  return join(cacheHome(), 'qemu');
}

export const cachePaths = () => {
  const root = cacheRoot();
  return {
    root,
    manifest: join(root, 'manifest.json'),
    debs: join(root, 'debs'),
    toolstack: join(root, 'toolstack'),
    artifacts: join(root, 'artifacts'),
    archives: join(root, 'archives'),
    runs: join(root, 'runs'),
  };
};

/** One prepared file: made from `source` (identified by size+mtime, hashed once) by `how`. */
export interface ManifestEntry {
  path: string;
  sha256: string;
  size: number;
  source?: { path: string; size: number; mtimeMs: number; sha256: string };
  how: string;
}

export interface Manifest {
  schema: 'pvmatrix/qemu-cache@1';
  entries: Record<string, ManifestEntry>;
}

export async function readManifest(): Promise<Manifest> {
  try {
    const m = JSON.parse(await readFile(cachePaths().manifest, 'utf8')) as Manifest;
    if (m.schema === 'pvmatrix/qemu-cache@1' && m.entries) return m;
  } catch {
    /* absent or unreadable: start afresh */
  }
  return { schema: 'pvmatrix/qemu-cache@1', entries: {} };
}

/** Written to a temp file then renamed, so a crash never leaves half a manifest. */
export async function writeManifest(m: Manifest): Promise<void> {
  await writeAtomic(cachePaths().manifest, `${JSON.stringify(m, null, 2)}\n`);
}

export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, data);
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

export const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * The entry still describes what is on disk: the output exists with its recorded size, and
 * the source has not changed (same size and mtime). Cheap: no re-hashing of 66 MB files.
 */
export async function entryIsFresh(e: ManifestEntry | undefined): Promise<boolean> {
  if (!e) return false;
  try {
    const out = await stat(e.path);
    if (out.size !== e.size) return false;
    if (e.source) {
      const src = await stat(e.source.path);
      if (src.size !== e.source.size || src.mtimeMs !== e.source.mtimeMs) return false;
    }
    return true;
  } catch {
    return false;
  }
}

export async function sourceOf(path: string): Promise<NonNullable<ManifestEntry['source']>> {
  const s = await stat(path);
  return { path, size: s.size, mtimeMs: s.mtimeMs, sha256: await sha256File(path) };
}
