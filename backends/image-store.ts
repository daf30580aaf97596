import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImageInfo, ImageInfoStore } from '../emulator/images/index.ts';
import { cacheHome } from './cache-home.ts';
import { writeFileAtomicSync } from '../lib/atomic-write.ts';

/**
 * Image inspections kept on disk between runs, one JSON file each: a distro kernel's xz
 * payload takes ~1.5 s to decompress, more than the emulated matrix itself. An entry is
 * found only under the same file identity (path, size, mtime, inode, and its .config's) and
 * the same image-reading code: the key includes a hash of emulator/images/, so a parser fix
 * never serves an answer the old parser gave. Any trouble reading or writing is a miss.
 */
export function diskImageStore(dir = join(cacheHome(), 'images')): ImageInfoStore {
  // The code hash is taken on first use: a run whose profiles name no real image never reads the sources.
  const fileOf = (key: string) => join(dir, `${createHash('sha256').update(imageCodeHash()).update('\0').update(key).digest('hex')}.json`);
  return {
    get(key) {
      try {
        const kept = JSON.parse(readFileSync(fileOf(key), 'utf8')) as { key: string; info: ImageInfo };
        return kept.key === key ? kept.info : undefined;
      } catch {
        return undefined;
      }
    },
    set(key, info) {
      const file = fileOf(key);
      try {
        mkdirSync(dir, { recursive: true });
        writeFileAtomicSync(file, JSON.stringify({ key, info }));
      } catch {
        // A cache that cannot be written only costs the next run the decompression.
      }
    },
  };
}

let codeHash: string | undefined;
function imageCodeHash(): string {
  if (codeHash) return codeHash;
  const root = fileURLToPath(new URL('../emulator/images/', import.meta.url));
  const h = createHash('sha256');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .sort();
  for (const f of files)
    h.update(f)
      .update('\0')
      .update(readFileSync(join(root, f)))
      .update('\0');
  return (codeHash = h.digest('hex'));
}
