import { type Step, isAction } from '../../domain/steps/schema.ts';
import { stepsOf } from '../../domain/steps/normalise.ts';
import type { Cell } from '../../contracts/cell.ts';
import { knowledge } from '../../emulator/knowledge/index.ts';
import { resolveGlob } from '../../emulator/profiles.ts';
import { sniffKernel } from './sniff.ts';

/** What the real backend reads from a cell: the profiles' real files, the role, the steps. */
export interface RealCell {
  cell: Cell;
  xenImage?: string;
  kernelImage?: string;
  /** The Xen profile's own dom0 kernel for domU cells (`dom0Image`), when it names one that exists. */
  dom0Image?: string;
  xenCmdline?: string;
  kernelCmdline?: string;
  role: string;
  format: string;
  steps: readonly Step[];
  /** The scenario boots the kernel on bare hardware (`boot: { native: true }`): no Xen at all. */
  native: boolean;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** A profile's image: the emulator's rule (the newest match of a glob, in version order), so both backends run one file. */
export const resolveImage = (pattern: string | undefined): string | undefined => (pattern ? resolveGlob(pattern) : undefined);

/** A Xen profile with its preset's fields underneath (`preset: debian12-4.17` names the real image). */
export function xenProfileOf(cell: Cell): Record<string, unknown> {
  const own = (cell.profiles.xen ?? {}) as Record<string, unknown>;
  const preset = typeof own.preset === 'string' ? (knowledge.builds[own.preset] as Record<string, unknown> | undefined) : undefined;
  return { ...(preset ?? {}), ...own };
}

export function readCell(cell: Cell): RealCell {
  const xen = xenProfileOf(cell);
  const kernel = (cell.profiles.kernel ?? {}) as Record<string, unknown>;
  return {
    cell,
    xenImage: resolveImage(str(xen.image)),
    kernelImage: resolveImage(str(kernel.image)),
    dom0Image: resolveImage(str(xen.dom0Image)),
    xenCmdline: str(xen.cmdline),
    kernelCmdline: str(kernel.cmdline),
    role: cell.axes.role ?? 'dom0',
    format: cell.axes.format ?? 'vmlinux',
    steps: stepsOf(cell),
    native: stepsOf(cell)
      .filter(isAction('boot'))
      .some((s) => s.args.native),
  };
}

/** Steps the real backend runs for a PV domU only (dom0 is where the backends live). */
const DOMU_ONLY_ACTIONS: Record<string, string> = {
  'attach-device': 'devices are attached to a domU through the backends in dom0; the qemu backend does not attach devices to dom0 itself',
  'detach-device':
    'devices are detached from a domU through the backends in dom0; the qemu backend does not detach devices from dom0 itself',
};

/** Steps that act through Xen's toolstack: a native boot has no Xen to ask. */
const NATIVE_UNRUNNABLE = new Set(['set-memory', 'set-vcpus', 'xen-console', 'attach-device', 'detach-device']);

/** Why the real backend cannot run this cell, or undefined when it can. */
export function cannotRunReason(rc: RealCell): string | undefined {
  const { cell } = rc;
  const xen = xenProfileOf(cell);
  const kernel = (cell.profiles.kernel ?? {}) as Record<string, unknown>;
  if (!rc.xenImage && !rc.native) {
    return xen.image
      ? `xen ${cell.axes.xen}: its image ${String(xen.image)} is not on this machine`
      : `xen ${cell.axes.xen} has no real hypervisor image (a profile with \`image:\` is needed for the qemu backend)`;
  }
  if (!rc.kernelImage) {
    return kernel.image
      ? `kernel ${cell.axes.kernel}: its image ${String(kernel.image)} is not on this machine`
      : `kernel ${cell.axes.kernel} has no real image (a profile with \`image:\` is needed for the qemu backend)`;
  }
  if (!rc.native && rc.role !== 'dom0' && rc.role !== 'domU') return `role ${rc.role}: the qemu backend runs dom0 and domU cells`;
  if (rc.role === 'domU' && !rc.native && xen.dom0Image && !rc.dom0Image)
    return `xen ${cell.axes.xen}: its dom0Image ${String(xen.dom0Image)} is not on this machine`;
  for (const s of rc.steps) {
    const why = rc.role !== 'domU' || rc.native ? DOMU_ONLY_ACTIONS[s.action] : undefined;
    if (why) return `scenario ${cell.scenario}: ${why}`;
    if (rc.native && NATIVE_UNRUNNABLE.has(s.action)) return `scenario ${cell.scenario}: ${s.action} needs Xen, and a native boot has none`;
  }
  const facts = sniffKernel(rc.kernelImage);
  const arch = cell.axes.arch;
  if (arch && facts.arch) {
    const want = arch.startsWith('x86_32') ? 'x86_32' : arch;
    if (want !== facts.arch) return `kernel ${cell.axes.kernel}: the real image ${rc.kernelImage} is ${facts.arch}, not ${arch}`;
  }
  // QEMU boots a bzImage natively (its own boot protocol); a vmlinux needs a loader.
  if (rc.native && rc.format !== 'bzImage') return `scenario ${cell.scenario}: a native boot under QEMU takes a bzImage, not ${rc.format}`;
  if (rc.format === 'bzImage' && facts.kind !== 'bzImage')
    return `kernel ${cell.axes.kernel}: the real image ${rc.kernelImage} is not a bzImage`;
  if ((rc.format === 'vmlinux' || rc.format === 'vmlinux.gz') && facts.kind === 'gzip' && rc.format === 'vmlinux') {
    return `kernel ${cell.axes.kernel}: the real image is a gzipped vmlinux; pvmatrix does not gunzip it to a raw vmlinux`;
  }
  const comp = cell.axes.compression;
  if (comp && rc.format === 'bzImage' && facts.compression && comp !== facts.compression) {
    return `kernel ${cell.axes.kernel}: the real bzImage's payload is ${facts.compression}-compressed, not ${comp}`;
  }
  return undefined;
}
