import type { Format } from '../../domain/axes.ts';
import type { KernelProfile } from '../../domain/profiles.ts';

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/**
 * The Xen release a hypervisor file name says: xen-3.4-unstable.gz -> 3.4 (unstable),
 * xen-3.3.gz -> 3.3, xen-4.17-amd64.gz -> 4.17 (amd64), xen-3.3.1.gz -> 3.3.1. A plain
 * xen.gz says nothing.
 */
export function xenFromName(path: string): { version?: string; flavour?: string } {
  const m = /^xen[-_]?(\d+\.\d+(?:\.\d+)*)(?:[-_.](.+?))?(?:\.gz|\.efi)?$/.exec(basename(path));
  if (!m) return {};
  const flavour = m[2] && m[2] !== 'gz' ? m[2] : undefined;
  return { version: m[1]!, flavour };
}

/** Is this file a Xen hypervisor, by its name? */
export function looksLikeXen(path: string): boolean {
  return /^xen([-_.].*)?$/.test(basename(path)) || /xen.*\.gz$/.test(basename(path));
}

/**
 * A kernel's release, version and tree from its file name:
 * vmlinuz-2.6.30-rc3-tip -> 2.6.30-rc3, tip; vmlinuz-2.6.18.8-xen -> 2.6.18.8, xen (the
 * classic XenLinux tree); vmlinuz-6.1.0-56-amd64 -> 6.1.0, distro; vmlinuz-2.6.31 -> mainline.
 * The format: vmlinuz is a bzImage, except in the classic tree (a gzipped vmlinux, LF Q8);
 * vmlinux is an ELF; vmlinux*.gz a gzipped ELF.
 */
export function kernelFromName(path: string): { release?: string; version?: string; tree?: KernelProfile['tree']; format?: Format } {
  const name = basename(path);
  const m = /^(vmlinuz|vmlinux|bzImage|linux|kernel)(?:[-_](.+?))?(\.gz)?$/.exec(name);
  if (!m) return {};
  const release = m[2];
  const gz = m[3] !== undefined;
  if (release === undefined) return { format: formatOf(m[1]!, gz, undefined) };
  const v = /^(\d+\.\d+(?:\.\d+)*)(-rc\d+)?(?:[-_.+](.*))?$/.exec(release);
  if (!v) return { release, format: formatOf(m[1]!, gz, undefined) };
  const version = `${v[1]}${v[2] ?? ''}`;
  const suffix = v[3];
  let tree: KernelProfile['tree'];
  if (suffix === undefined || suffix === '') tree = 'mainline';
  else if (/(^|[-_.])tip($|[-_.])/.test(suffix)) tree = 'tip';
  else if (/xen\.git|pvops|jeremy/.test(suffix)) tree = 'xen.git';
  else if (/^xen(0|U)?$/.test(suffix) && version.startsWith('2.6.18')) tree = 'xen';
  else tree = 'distro'; // -56-amd64, .fc11.x86_64, -generic: a distribution's build
  return { release, version, tree, format: formatOf(m[1]!, gz, tree) };
}

function formatOf(kind: string, gz: boolean, tree: KernelProfile['tree'] | undefined): Format {
  if (kind === 'vmlinux') return gz ? 'vmlinux.gz' : 'vmlinux';
  if (tree === 'xen') return 'vmlinux.gz';
  return 'bzImage';
}
