import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, readFile, readdir, readlink, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { cachePaths, sha256 } from './cache.ts';
import { newcChunks, parentsOf, type CpioEntry } from './newc.ts';
import { hostLibraries, XEN_BINARIES, XENSTORE_CLIENTS } from './toolstack.ts';
import { temporaryName } from '../../lib/atomic-write.ts';

/**
 * The cached, compressed parts of an initramfs. Linux unpacks concatenated archives, so a
 * boot's initrd is `busybox + [toolstack] + modules + [domU kernels] + the run's own cpio`,
 * each part gzip -1 and padded to 4 bytes. Each part is built once per key.
 */
export const BUSYBOX = '/bin/busybox';

const DIRS = ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'dev', 'proc', 'sys', 'tmp', 'etc', 'run', 'root', 'mnt', 'var/log'];
const TOOLSTACK_DIRS = [
  'var/lib/xen',
  'var/lib/xenstored',
  'var/log/xen/console',
  'var/run/xen',
  'var/run/xenstored',
  'var/lock',
  'etc/xen',
  'boot',
];

/** Xen modules the agent can load, as named by load-module steps (their deps follow them in). */
export const XEN_MODULES = [
  'xen-privcmd',
  'xenfs',
  'xen-evtchn',
  'xen-gntdev',
  'xen-gntalloc',
  'xen-blkfront',
  'xen-netfront',
  'xen-blkback',
  'xen-netback',
  'loop',
];
// loop: dom0's disks for attach-device {kind: vbd} are files on loop devices (blkback needs a block device).

async function writeGz(path: string, entries: CpioEntry[]): Promise<string> {
  await mkdir(cachePaths().archives, { recursive: true });
  const tmp = temporaryName(path);
  await pipeline(Readable.from(newcChunks(entries)), createGzip({ level: 1 }), createWriteStream(tmp));
  await rename(tmp, path);
  return path;
}

/** Archives this process built (rather than found in the cache): setup reports them as made. */
export const builtArchives = new Set<string>();

async function cached(name: string, build: () => Promise<CpioEntry[]>): Promise<string> {
  const path = join(cachePaths().archives, `${name}.cpio.gz`);
  if (
    await stat(path).then(
      (s) => s.size > 0,
      () => false,
    )
  )
    return path;
  builtArchives.add(path);
  return writeGz(path, await build());
}

function withParents(entries: CpioEntry[]): CpioEntry[] {
  const seen = new Set<string>();
  const out: CpioEntry[] = [];
  for (const e of entries) {
    for (const d of parentsOf(e.name)) {
      if (seen.has(d)) continue;
      seen.add(d);
      out.push({ name: d, kind: 'dir' });
    }
    if (e.kind === 'dir') {
      if (seen.has(e.name)) continue;
      seen.add(e.name);
    }
    out.push(e);
  }
  return out;
}

async function fileEntry(hostPath: string, name = hostPath, follow = false): Promise<CpioEntry> {
  const s = follow ? await stat(hostPath) : await lstat(hostPath);
  if (s.isSymbolicLink()) return { name, kind: 'symlink', target: await readlink(hostPath) };
  return { name, kind: 'file', data: await readFile(hostPath), mode: s.mode & 0o777 };
}

/** busybox and the empty directories an init needs; /dev/console so init has a console. */
export async function busyboxPart(): Promise<string> {
  const s = await stat(BUSYBOX);
  return cached(`busybox-${s.size}-${Math.floor(s.mtimeMs)}`, async () =>
    withParents([
      ...DIRS.map((d): CpioEntry => ({ name: d, kind: 'dir' })),
      { name: 'dev/console', kind: 'chardev', major: 5, minor: 1 },
      { name: 'bin/busybox', kind: 'file', data: await readFile(BUSYBOX), mode: 0o755 },
    ]),
  );
}

/** xl, xenstored, xenconsoled and their libraries, from the unpacked packages and the host. */
export async function toolstackPart(root: string): Promise<string> {
  const libs = await hostLibraries(root);
  const xenLibDir = join(root, 'usr/lib/x86_64-linux-gnu');
  const xenLibs = (await readdir(xenLibDir)).filter((f) => /^lib(xen|yajl|xlutil)/.test(f)).sort();
  const key = sha256(JSON.stringify([root, libs, xenLibs, (await stat(join(root, XEN_BINARIES[0]!))).mtimeMs])).slice(0, 16);
  return cached(`toolstack-${key}`, async () => {
    const entries: CpioEntry[] = TOOLSTACK_DIRS.map((d) => ({ name: d, kind: 'dir' }));
    // Host libraries are copied through their symlinks: the link targets are not in the archive.
    for (const l of libs.filter((l) => !l.startsWith('/lib64/'))) entries.push(await fileEntry(l, l.replace(/^\//, ''), true));
    // The loader path baked into every binary.
    entries.push(await fileEntry('/lib64/ld-linux-x86-64.so.2', 'lib64/ld-linux-x86-64.so.2', true));
    for (const f of xenLibs) entries.push(await fileEntry(join(xenLibDir, f), `usr/lib/x86_64-linux-gnu/${f}`));
    for (const b of XEN_BINARIES) entries.push(await fileEntry(join(root, b), b));
    for (const c of XENSTORE_CLIENTS) {
      const p = join(root, 'usr/bin', c);
      if (
        await lstat(p).then(
          () => true,
          () => false,
        )
      )
        entries.push(await fileEntry(p, `usr/bin/${c}`));
    }
    const xlConf = join(root, 'etc/xen/xl.conf');
    if (
      await stat(xlConf).then(
        () => true,
        () => false,
      )
    )
      entries.push(await fileEntry(xlConf, 'etc/xen/xl.conf'));
    return withParents(entries);
  });
}

/**
 * The Xen modules of one kernel release at their real paths under /lib/modules/RELEASE, with
 * modules.dep and modules.alias cut down to them: busybox modprobe resolves dependencies,
 * and the kernel's own request_module (mount -t xenfs loads fs-xenfs) works as on a distro.
 */
export async function modulesPart(release: string | undefined): Promise<{ path: string; modules: string[] } | undefined> {
  if (!release) return undefined;
  const root = `/lib/modules/${release}`;
  if (
    !(await stat(join(root, 'modules.dep')).then(
      () => true,
      () => false,
    ))
  )
    return undefined;
  const depLines = new Map<string, string[]>();
  for (const line of (await readFile(join(root, 'modules.dep'), 'utf8')).split('\n')) {
    const m = /^(\S+\.ko(?:\.\w+)?):\s*(.*)$/.exec(line);
    if (m) depLines.set(m[1]!, m[2]!.split(/\s+/).filter(Boolean));
  }
  const byName = new Map([...depLines.keys()].map((p) => [modName(p), p]));
  const wanted = new Set<string>();
  const add = (path: string | undefined) => {
    if (!path || wanted.has(path)) return;
    wanted.add(path);
    for (const d of depLines.get(path) ?? []) add(d);
  };
  for (const m of XEN_MODULES) add(byName.get(m));
  const names = [...wanted].map(modName).sort();
  // The list in the name: a changed module list builds a new archive instead of reusing the old one.
  const listHash = createHash('sha256').update(names.join(' ')).digest('hex').slice(0, 8);
  const path = await cached(`modules-${release}-${listHash}`, async () => {
    const entries: CpioEntry[] = [];
    for (const p of [...wanted].sort())
      entries.push({ name: `lib/modules/${release}/${p}`, kind: 'file', data: await readFile(join(root, p)) });
    const dep = `${[...wanted]
      .sort()
      .map((p) => `${p}: ${(depLines.get(p) ?? []).join(' ')}`.trimEnd())
      .join('\n')}\n`;
    const alias = (await readFile(join(root, 'modules.alias'), 'utf8').catch(() => ''))
      .split('\n')
      .filter((l) => names.includes(l.split(' ')[2]?.replace(/_/g, '-') ?? ''))
      .join('\n');
    entries.push({ name: `lib/modules/${release}/modules.dep`, kind: 'file', data: Buffer.from(dep) });
    entries.push({ name: `lib/modules/${release}/modules.alias`, kind: 'file', data: Buffer.from(`${alias}\n`) });
    return withParents(entries);
  });
  return { path, modules: names };
}

const modName = (p: string) => (p.split('/').at(-1) ?? p).replace(/\.ko(\.\w+)?$/, '').replace(/_/g, '-');

/** A domU kernel file placed at /boot/NAME in dom0 (for xl's `kernel =`). */
export async function payloadPart(file: string, name: string): Promise<string> {
  const s = await stat(file);
  const key = sha256(`${file}|${s.size}|${s.mtimeMs}|${name}`).slice(0, 16);
  return cached(`payload-${key}`, async () => withParents([{ name: `boot/${name}`, kind: 'file', data: await readFile(file) }]));
}
