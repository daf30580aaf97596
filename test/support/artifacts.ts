/**
 * The real artifacts some tests read (Debian 12's kernel and Xen packages, QEMU, busybox,
 * grub-xen, the compressor CLIs), found the way matrix.yaml finds them: by glob, newest in
 * version order. Nothing here names a package version, because Debian moves (it moved its
 * kernel to a new ABI, and every test that named the old one went red).
 *
 * A missing artifact is a loud skip on a developer's machine and a failure in CI, where
 * .ci/run installs every one of them: there a skip would be a test that silently stopped
 * testing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { resolveGlob } from '../../emulator/profiles.ts';
import { javaVersion } from '../../reports/allure/generate.ts';
import { inCI } from './ci.ts';

export { inCI };

/** Debian 12's amd64 kernel (linux-image-amd64), newest installed ABI. */
export const debianKernel = (() => {
  const vmlinuz = resolveGlob('/boot/vmlinuz-6.1.*-amd64');
  if (!vmlinuz) return undefined;
  const release = vmlinuz.slice('/boot/vmlinuz-'.length);
  const config = `/boot/config-${release}`;
  return { vmlinuz, release, config: existsSync(config) ? config : undefined, modules: `/lib/modules/${release}` };
})();

/** Debian 12's Xen hypervisor (xen-hypervisor-4.17-amd64): the gzipped multiboot ELF and its .config. */
export const debianXen = (() => {
  const image = resolveGlob('/boot/xen-4.*-amd64.gz');
  if (!image) return undefined;
  const config = image.replace(/\.gz$/, '.config');
  return { image, config: existsSync(config) ? config : undefined };
})();

export const GRUB_I386_XEN = '/usr/lib/grub-xen/grub-i386-xen.bin';
export const GRUB_X86_64_XEN = '/usr/lib/grub-xen/grub-x86_64-xen.bin';
export const BUSYBOX = '/bin/busybox';
export const QEMU = '/usr/bin/qemu-system-x86_64';

/** Whether a command is on PATH (the compressor CLIs, readelf, cpio, java). */
export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], { stdio: 'ignore' }).status === 0;
}

/** One requirement: what is needed, in words a person can install from, and whether it is here. */
export type Need = readonly [what: string, present: boolean];

/**
 * The `skip` option of a test that needs `needs`: false when all are present. Outside CI, the
 * reason to skip, printed loudly. In CI (CI=true, as .ci/run and every CI service set it) a
 * missing artifact is the CI script's bug, not a reason to test less: the test runs (and
 * fails), and a test of its own names what is missing.
 */
export function skipUnless(...needs: Need[]): string | false {
  const missing = needs.filter(([, ok]) => !ok).map(([what]) => what);
  if (!missing.length) return false;
  if (inCI()) {
    const name = `installed in CI: ${missing.join(', ')}`;
    if (!reported.has(name)) {
      reported.add(name);
      test(name, () => assert.fail(`missing in CI: ${missing.join(', ')}; .ci/run must install it`));
    }
    return false;
  }
  const msg = `SKIPPED: needs ${missing.join(', ')}, not installed here (CI installs it: see .ci/run)`;
  console.warn(`\n*** ${msg} ***\n`);
  return msg;
}
const reported = new Set<string>();

/**
 * The same decision inside a running test: true when everything is here; else, outside CI, the
 * test is skipped loudly and false returned; in CI, the test fails naming what is missing.
 */
export function present(t: { skip(message: string): void }, ...needs: Need[]): boolean {
  const missing = needs.filter(([, ok]) => !ok).map(([what]) => what);
  if (!missing.length) return true;
  if (inCI()) assert.fail(`missing in CI: ${missing.join(', ')}; .ci/run must install it`);
  const msg = `SKIPPED: needs ${missing.join(', ')}, not installed here (CI installs it: see .ci/run)`;
  console.warn(`\n*** ${msg} ***\n`);
  t.skip(msg);
  return false;
}

/** The common requirements, named once. */
export const NEED = {
  kernel: ['linux-image-amd64 (/boot/vmlinuz-6.1.*-amd64)', debianKernel !== undefined] as Need,
  kernelConfig: ['linux-image-amd64 (/boot/config-6.1.*-amd64)', debianKernel?.config !== undefined] as Need,
  xen: ['xen-hypervisor-4.17-amd64 (/boot/xen-4.*-amd64.gz)', debianXen !== undefined] as Need,
  xenConfig: ['xen-hypervisor-4.17-amd64 (/boot/xen-4.*-amd64.config)', debianXen?.config !== undefined] as Need,
  grubXen: ['grub-xen-host (/usr/lib/grub-xen/*.bin)', existsSync(GRUB_I386_XEN) && existsSync(GRUB_X86_64_XEN)] as Need,
  busybox: ['busybox-static (/bin/busybox)', existsSync(BUSYBOX)] as Need,
  qemu: ['qemu-system-x86 (/usr/bin/qemu-system-x86_64)', existsSync(QEMU)] as Need,
  command: (name: string, pkg = name): Need => [`${pkg} (the ${name} command)`, hasCommand(name)],
  java: (): Need => ['default-jre-headless (java, for the Allure HTML)', Boolean(javaVersion())],
  chromium: (path: string): Need => [`chromium (${path})`, existsSync(path)],
};
