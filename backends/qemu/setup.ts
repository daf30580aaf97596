import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { builtArchives, busyboxPart, modulesPart, toolstackPart } from './archives.ts';
import { cachePaths, readManifest } from './cache.ts';
import { resolveImage } from './cells.ts';
import { dpkgInstalled, run, which } from './host.ts';
import { prepareKernel, prepareXen } from './prepare.ts';
import { sniffKernel } from './sniff.ts';
import { ensureToolstack, XEN_BINARIES } from './toolstack.ts';

/** What `pvmatrix setup qemu` installs with apt-get (the toolstack is only downloaded). */
export const HOST_PACKAGES = ['qemu-system-x86', 'xen-hypervisor-4.17-amd64', 'linux-image-amd64', 'busybox-static', 'cpio'] as const;
export const DEBIAN_XEN = '/boot/xen-4.17-amd64.gz';
export const DEBIAN_KERNEL = '/boot/vmlinuz-*-amd64';

export class SetupError extends Error {}

export interface SetupReport {
  installed: string[];
  alreadyInstalled: string[];
  steps: { what: string; path: string; fresh: boolean }[];
  allFresh: boolean;
  cache: string;
}

const manualHelp = () =>
  `install by hand (as root): apt-get install -y --no-install-recommends ${HOST_PACKAGES.join(' ')}; ` +
  `then run \`pvmatrix setup qemu\` again (it only needs root for apt-get)`;

export async function runSetup(log: (line: string) => void): Promise<SetupReport> {
  const missing: string[] = [];
  const present: string[] = [];
  for (const p of HOST_PACKAGES) ((await dpkgInstalled(p)) ? present : missing).push(p);
  if (missing.length) {
    if (!(await which('apt-get')))
      throw new SetupError(`missing packages ${missing.join(', ')} and no apt-get on this machine: ${manualHelp()}`);
    if (process.getuid?.() !== 0)
      throw new SetupError(`missing packages ${missing.join(', ')}; installing them needs root: ${manualHelp()}`);
    log(`apt-get install ${missing.join(' ')} (this can take minutes)`);
    const upd = await run('apt-get', ['update', '-q']);
    if (upd.code !== 0) throw new SetupError(`apt-get update failed: ${upd.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    const inst = await run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (inst.code !== 0) throw new SetupError(`apt-get install failed: ${inst.stderr.trim().split('\n').slice(-2).join(' | ')}`);
  } else log(`packages already installed: ${present.join(', ')}`);
  if (!(await which('apt-get'))) throw new SetupError(`apt-get is needed to download the xl toolstack packages: ${manualHelp()}`);

  const steps: SetupReport['steps'] = [];
  const ts = await ensureToolstack(log);
  steps.push({ what: 'xl toolstack (apt-get download + dpkg -x)', path: ts.root, fresh: ts.fresh });
  const xen = await prepareXen(DEBIAN_XEN);
  steps.push({ what: 'Xen 4.17 for multiboot (gunzipped)', path: xen.path, fresh: xen.fresh });
  const kernel = resolveImage(DEBIAN_KERNEL);
  if (!kernel) throw new SetupError(`no ${DEBIAN_KERNEL} after installing linux-image-amd64: ${manualHelp()}`);
  for (const fmt of ['vmlinux', 'vmlinux.gz'] as const) {
    const k = await prepareKernel(kernel, fmt);
    steps.push({ what: `${fmt} of ${kernel}`, path: k.path, fresh: k.fresh });
  }
  // The initramfs parts every boot reuses (built once; cheap to check).
  const parts: [string, () => Promise<string | undefined>][] = [
    ['busybox initramfs part', busyboxPart],
    ['toolstack initramfs part', () => toolstackPart(ts.root)],
    ['Xen modules initramfs part', async () => (await modulesPart(sniffKernel(kernel).release))?.path],
  ];
  for (const [what, make] of parts) {
    const path = await make();
    if (!path) throw new SetupError(`could not build the ${what}: are the kernel's modules installed under /lib/modules?`);
    steps.push({ what, path, fresh: !builtArchives.has(path) });
  }
  return {
    installed: missing,
    alreadyInstalled: present,
    steps,
    allFresh: missing.length === 0 && steps.every((s) => s.fresh),
    cache: cachePaths().root,
  };
}

/** At run time: the toolstack must already be in the cache (setup fetches it; runs never use the network). */
export async function ensureToolstackCached(): Promise<string> {
  const root = join(cachePaths().toolstack, 'root');
  const ok =
    (await readManifest()).entries.toolstack &&
    (await stat(join(root, XEN_BINARIES[0]!)).then(
      () => true,
      () => false,
    ));
  if (!ok) throw new Error(`the xl toolstack is not in ${cachePaths().root}: run \`pvmatrix setup qemu\` first`);
  return root;
}
