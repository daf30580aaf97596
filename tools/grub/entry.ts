import { parseCmdline } from './cmdline.ts';
import { kernelFromName, looksLikeXen, xenFromName } from './names.ts';
import type { BootEntry, GrubDiagnostic } from './types.ts';

/** A loader line of an entry, whatever the syntax: kernel/multiboot, module, linux, initrd. */
export interface LoaderLine {
  directive: 'kernel' | 'multiboot' | 'multiboot2' | 'module' | 'module2' | 'linux' | 'initrd' | 'chainloader';
  path?: string;
  cmdline: string;
  line: number;
}

/**
 * Turns the loader lines of one entry into a boot entry: kernel/multiboot + modules is a
 * Xen boot (first module the dom0 kernel, second the initrd); linux + initrd, or a legacy
 * kernel without modules, is a native boot. Problems go to `errors` as file:line messages.
 */
export function buildEntry(
  base: Pick<BootEntry, 'file' | 'line' | 'title' | 'syntax' | 'submenus' | 'root'>,
  lines: readonly LoaderLine[],
  errors: GrubDiagnostic[],
): BootEntry | undefined {
  const entry: BootEntry = { ...base, kind: 'other', extraModules: [], notes: [] };
  const err = (line: number, message: string) => errors.push({ file: base.file, line, message });
  const main = lines.find(
    (l) => l.directive === 'kernel' || l.directive === 'multiboot' || l.directive === 'multiboot2' || l.directive === 'linux',
  );
  const chain = lines.find((l) => l.directive === 'chainloader');
  if (!main) {
    if (chain) {
      entry.notes.push(`chainloads ${chain.path ?? 'another boot loader'}: not a Linux or Xen boot`);
      return entry;
    }
    err(base.line, `entry "${base.title}" has no ${base.syntax === 'grub2' ? 'linux or multiboot' : 'kernel'} line`);
    return undefined;
  }
  const modules = lines.filter((l) => l.directive === 'module' || l.directive === 'module2');
  for (const m of modules) {
    if (m.line < main.line) {
      err(m.line, `${m.directive} before the ${main.directive} line of entry "${base.title}": the hypervisor must be loaded first`);
      return undefined;
    }
  }
  const initrd = lines.find((l) => l.directive === 'initrd');
  if (main.directive === 'linux' || (main.directive === 'kernel' && modules.length === 0 && !looksLikeXen(main.path ?? ''))) {
    entry.kind = 'native';
    entry.loader = main.directive === 'linux' ? 'linux' : 'kernel';
    entry.kernel = {
      path: main.path ?? '',
      cmdline: main.cmdline,
      options: parseCmdline(main.cmdline),
      line: main.line,
      ...kernelFromName(main.path ?? ''),
    };
    if (initrd?.path) entry.initrd = { path: initrd.path, line: initrd.line };
    entry.notes.push('a native boot (no hypervisor): not a Xen entry');
    return entry;
  }
  if (initrd) {
    err(initrd.line, `initrd in a multiboot entry "${base.title}": load the initrd as a module after the dom0 kernel`);
    return undefined;
  }
  entry.kind = 'xen';
  entry.loader = main.directive === 'multiboot2' ? 'multiboot2' : 'multiboot';
  entry.xen = {
    path: main.path ?? '',
    cmdline: main.cmdline,
    options: parseCmdline(main.cmdline),
    line: main.line,
    ...xenFromName(main.path ?? ''),
  };
  if (!looksLikeXen(main.path ?? ''))
    entry.notes.push(`${main.path} does not look like a Xen hypervisor by its name; taken as one because modules follow`);
  const [dom0, rd, ...rest] = modules;
  if (!dom0) {
    err(main.line, `Xen entry "${base.title}" has no module line for the dom0 kernel`);
    return undefined;
  }
  entry.kernel = {
    path: dom0.path ?? '',
    cmdline: dom0.cmdline,
    options: parseCmdline(dom0.cmdline),
    line: dom0.line,
    ...kernelFromName(dom0.path ?? ''),
  };
  if (rd?.path) entry.initrd = { path: rd.path, line: rd.line };
  entry.extraModules = rest.flatMap((m) => (m.path ? [{ path: m.path, line: m.line }] : []));
  // A "vmlinuz" is a bzImage for most, but Xen before 3.4 cannot load a bzImage dom0; the
  // wiki's advice for those is a (gzipped) vmlinux, so a working entry there is one of those.
  if (
    entry.kernel.format === 'bzImage' &&
    /^vmlinuz/.test(baseName(dom0.path ?? '')) &&
    entry.xen.version !== undefined &&
    olderThan34(entry.xen.version)
  ) {
    entry.kernel.format = 'vmlinux.gz';
    entry.notes.push(
      `Xen ${entry.xen.version} loads no bzImage dom0 (that came with Xen 3.4), so ${dom0.path} is taken as a gzipped vmlinux, as the XenParavirtOps wiki advises for Xen 3.3`,
    );
  }
  if (entry.xen.version === undefined) entry.notes.push(`the Xen version cannot be told from the name ${main.path}; give it in the matrix`);
  if (entry.kernel.version === undefined)
    entry.notes.push(`the kernel version cannot be told from the name ${dom0.path}; give it in the matrix`);
  return entry;
}

const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);

function olderThan34(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major < 3 || (major === 3 && minor < 4);
}
