import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { cachePaths, entryIsFresh, readManifest, sha256File, sourceOf, writeAtomic, writeManifest, type ManifestEntry } from './cache.ts';
import { sniffKernel } from './sniff.ts';
import { extractVmlinux } from './vmlinux.ts';
import { temporaryName } from '../../lib/atomic-write.ts';

/**
 * Artifacts derived from real images, made once and kept in the cache with a manifest:
 * the hypervisor gunzipped (QEMU's multiboot loader takes only a raw ELF32), and a kernel
 * in each format (bzImage as given, vmlinux extracted by the image layer, vmlinux.gz).
 */
let manifestLock: Promise<unknown> = Promise.resolve();
const inFlight = new Map<string, Promise<PreparedFile>>();

export interface PreparedFile {
  path: string;
  fresh: boolean; // true when it was already in the cache
}

async function record(key: string, make: () => Promise<ManifestEntry>): Promise<PreparedFile> {
  const known = (await readManifest()).entries[key];
  if (await entryIsFresh(known)) return { path: known!.path, fresh: true };
  const entry = await make();
  const job = manifestLock.then(async () => {
    const m = await readManifest();
    m.entries[key] = entry;
    await writeManifest(m);
  });
  manifestLock = job.catch(() => {});
  await job;
  return { path: entry.path, fresh: false };
}

function once(key: string, make: () => Promise<PreparedFile>): Promise<PreparedFile> {
  let p = inFlight.get(key);
  if (!p) {
    p = make().finally(() => inFlight.delete(key));
    inFlight.set(key, p);
  }
  return p;
}

async function finish(path: string, how: string, source: ManifestEntry['source']): Promise<ManifestEntry> {
  return { path, how, source, size: (await stat(path)).size, sha256: await sha256File(path) };
}

/** The hypervisor as QEMU's `-kernel` wants it: a raw multiboot ELF (gunzipped if needed). */
export function prepareXen(image: string): Promise<PreparedFile> {
  const key = `xen:${image}`;
  return once(key, () =>
    record(key, async () => {
      const source = await sourceOf(image);
      const out = join(cachePaths().artifacts, `xen-${source.sha256.slice(0, 16)}`);
      await mkdir(cachePaths().artifacts, { recursive: true });
      const head = await readHead(image);
      const tmp = temporaryName(out);
      if (head[0] === 0x1f && head[1] === 0x8b) await pipeline(createReadStream(image), createGunzip(), createWriteStream(tmp));
      else await copyFile(image, tmp);
      await rename(tmp, out);
      return finish(out, 'gunzip', source);
    }),
  );
}

export type KernelFormat = 'bzImage' | 'vmlinux' | 'vmlinux.gz';

/** The kernel `image` in `format`: the file itself when it already is one, else derived. */
export async function prepareKernel(image: string, format: KernelFormat): Promise<PreparedFile> {
  const sniff = sniffKernel(image);
  const have: KernelFormat | undefined =
    sniff.kind === 'bzImage' ? 'bzImage' : sniff.kind === 'elf' ? 'vmlinux' : sniff.kind === 'gzip' ? 'vmlinux.gz' : undefined;
  if (have === format) return { path: image, fresh: true };
  if (format === 'bzImage')
    throw new Error(`${image}: a ${have ?? 'file of unknown kind'} cannot be turned into a bzImage; point the profile at the bzImage`);
  const key = `kernel:${image}:${format}`;
  return once(key, () =>
    record(key, async () => {
      const source = await sourceOf(image);
      const out = join(cachePaths().artifacts, `${format}-${source.sha256.slice(0, 16)}`);
      if (format === 'vmlinux') {
        if (have !== 'bzImage') throw new Error(`${image}: no vmlinux can be made from a ${have}`);
        await writeAtomic(out, await extractVmlinux(image));
        return finish(out, 'extractVmlinux (image layer)', source);
      }
      const vmlinux = have === 'vmlinux' ? image : (await prepareKernel(image, 'vmlinux')).path;
      const tmp = temporaryName(out);
      await pipeline(createReadStream(vmlinux), createGzip({ level: 1 }), createWriteStream(tmp));
      await rename(tmp, out);
      return finish(out, 'gzip -1 of the vmlinux', source);
    }),
  );
}

async function readHead(path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of createReadStream(path, { start: 0, end: 3 })) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
