import type { Format } from '../../domain/axes.ts';
import type { KernelProfile } from '../../domain/profiles.ts';

/** One `key=value` (or bare flag) of a command line, in order; `console=` may repeat. */
export interface CmdlineOption {
  name: string;
  value?: string;
}

export interface GrubImage {
  /** As written in the boot file (relative to the GRUB root device). */
  path: string;
  cmdline: string;
  options: CmdlineOption[];
  line: number;
}

export interface XenImage extends GrubImage {
  /** The release the file name says: xen-3.4-unstable.gz -> 3.4. */
  version?: string;
  /** The rest of the name: "unstable", "amd64". */
  flavour?: string;
}

export interface KernelImage extends GrubImage {
  /** The kernel release in the name: vmlinuz-2.6.30-rc3-tip -> 2.6.30-rc3-tip. */
  release?: string;
  /** The version a kernel profile takes: 2.6.30-rc3. */
  version?: string;
  tree?: KernelProfile['tree'];
  format?: Format;
}

/**
 * One boot entry: a Xen boot (hypervisor + dom0 kernel + initrd, by multiboot) or a native
 * boot (`linux`/`initrd`, or a legacy `kernel` without modules), which pvmatrix lists but
 * does not turn into Xen profiles.
 */
export interface BootEntry {
  file: string;
  line: number;
  title: string;
  syntax: 'grub-legacy' | 'grub2';
  /** The submenus the entry sits in (GRUB 2). */
  submenus: string[];
  kind: 'xen' | 'native' | 'other';
  loader?: 'multiboot' | 'multiboot2' | 'kernel' | 'linux';
  root?: string;
  xen?: XenImage;
  kernel?: KernelImage;
  initrd?: { path: string; line: number };
  /** Further multiboot modules (an XSM policy, microcode...). */
  extraModules: { path: string; line: number }[];
  notes: string[];
}

export interface GrubDiagnostic {
  file: string;
  line: number;
  message: string;
}

/** Problems in a boot file, each as `file:line: message`. */
export class GrubError extends Error {
  constructor(readonly diagnostics: GrubDiagnostic[]) {
    super(diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
    this.name = 'GrubError';
  }
}
