import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { cachePaths, readManifest, sha256File, writeManifest } from './cache.ts';
import { run } from './host.ts';

/**
 * The xl toolstack, fetched with `apt-get download` and unpacked with `dpkg -x` into the
 * cache, so that no maintainer script or service runs on the host (research/realboot.md §5).
 */
export const TOOLSTACK_PACKAGES = [
  'xen-utils-4.17',
  'xen-utils-common',
  'libxenmisc4.17',
  'xenstore-utils',
  'libxencall1',
  'libxenevtchn1',
  'libxenforeignmemory1',
  'libxengnttab1',
  'libxenstore4',
  'libxentoollog1',
  'libxendevicemodel1',
  'libxenhypfs1',
  'libxentoolcore1',
  'libyajl2',
] as const;

/** Inside dom0: the programs the agent runs. */
export const XEN_BINARIES = [
  'usr/lib/xen-4.17/bin/xl',
  'usr/lib/xen-4.17/bin/xenstored',
  'usr/lib/xen-4.17/bin/xenconsoled',
  'usr/lib/xen-4.17/bin/xen-init-dom0',
];
export const XENSTORE_CLIENTS = [
  'xenstore',
  'xenstore-read',
  'xenstore-write',
  'xenstore-ls',
  'xenstore-list',
  'xenstore-rm',
  'xenstore-exists',
];

export interface ToolstackStatus {
  root: string;
  fresh: boolean;
  debs: string[];
}

export async function ensureToolstack(log: (s: string) => void): Promise<ToolstackStatus> {
  const { debs, toolstack } = cachePaths();
  const root = join(toolstack, 'root');
  const m = await readManifest();
  const known = m.entries.toolstack;
  if (
    known &&
    (await stat(join(root, XEN_BINARIES[0]!)).then(
      () => true,
      () => false,
    ))
  ) {
    return { root, fresh: true, debs: known.how.split(' ') };
  }
  await rm(debs, { recursive: true, force: true });
  await mkdir(debs, { recursive: true });
  log(`apt-get download ${TOOLSTACK_PACKAGES.join(' ')}`);
  const dl = await run('apt-get', ['download', ...TOOLSTACK_PACKAGES], { cwd: debs });
  if (dl.code !== 0) throw new Error(`apt-get download failed (exit ${dl.code}): ${lastLines(dl.stderr)}`);
  const files = (await readdir(debs)).filter((f) => f.endsWith('.deb')).sort();
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  for (const f of files) {
    const x = await run('dpkg', ['-x', join(debs, f), root]);
    if (x.code !== 0) throw new Error(`dpkg -x ${f} failed: ${lastLines(x.stderr)}`);
  }
  const xl = join(root, XEN_BINARIES[0]!);
  m.entries.toolstack = { path: root, size: (await stat(xl)).size, sha256: await sha256File(xl), how: files.join(' ') };
  await writeManifest(m);
  log(`unpacked ${files.length} packages into ${root}`);
  return { root, fresh: false, debs: files };
}

/**
 * The host libraries the toolstack binaries need (libc, libz, ...), found with ldd against
 * the unpacked Xen libraries, plus libgcc_s, which glibc dlopens for pthread_cancel:
 * without it xl aborts right after building a domain (realboot.md §5).
 */
export async function hostLibraries(root: string): Promise<string[]> {
  const libdir = join(root, 'usr/lib/x86_64-linux-gnu');
  const bins = [...XEN_BINARIES.map((b) => join(root, b)), join(root, 'usr/bin/xenstore')];
  const found = new Set<string>();
  for (const b of bins) {
    const r = await run('ldd', [b], { env: { ...process.env, LD_LIBRARY_PATH: libdir } });
    for (const m of r.stdout.matchAll(/=>\s+(\/\S+)|^\s+(\/\S+)\s+\(/gm)) {
      const p = m[1] ?? m[2];
      if (p && !p.startsWith(root)) found.add(p);
    }
  }
  for (const extra of ['/lib/x86_64-linux-gnu/libgcc_s.so.1', '/usr/lib/x86_64-linux-gnu/libgcc_s.so.1']) {
    if (
      await stat(extra).then(
        () => true,
        () => false,
      )
    ) {
      found.add(extra);
      break;
    }
  }
  return [...found].sort();
}

const lastLines = (s: string) => s.trim().split('\n').slice(-3).join(' | ');
