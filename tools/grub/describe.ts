import { kernelSummary, xenSummary } from './cmdline.ts';
import type { BootEntry } from './types.ts';

/** What `pvmatrix grub` prints for one boot entry. */
export function describeEntry(e: BootEntry): string {
  const where = `${e.file}:${e.line}`;
  const title = [...e.submenus, e.title].join(' > ');
  const lines = [`${where}: ${title}`];
  if (e.kind === 'xen' && e.xen && e.kernel) {
    const xv = e.xen.version ? `Xen ${e.xen.version}${e.xen.flavour ? `, ${e.xen.flavour}` : ''}` : 'Xen, version unknown';
    lines.push(`  xen     ${e.xen.path}  (${xv}, ${e.loader})${e.xen.cmdline ? `  ${e.xen.cmdline}` : ''}`);
    lines.push(`  dom0    ${e.kernel.path}  (${kernelWhat(e)})${e.kernel.cmdline ? `  ${e.kernel.cmdline}` : ''}`);
    if (e.initrd) lines.push(`  initrd  ${e.initrd.path}`);
    for (const m of e.extraModules) lines.push(`  module  ${m.path}`);
    const xs = Object.entries(xenSummary(e.xen.options)).map(([k, v]) => `${k}=${v}`);
    const ks = Object.entries(kernelSummary(e.kernel.options)).map(([k, v]) => `${k}=${v}`);
    if (xs.length > 0) lines.push(`  hypervisor options: ${xs.join(' ')}`);
    if (ks.length > 0) lines.push(`  dom0 options: ${ks.join(' ')}`);
  } else if (e.kind === 'native' && e.kernel) {
    lines.push(`  native  ${e.kernel.path}  (${kernelWhat(e)})${e.kernel.cmdline ? `  ${e.kernel.cmdline}` : ''}: not a Xen entry`);
  }
  for (const n of e.notes.filter((n) => !n.startsWith('a native boot'))) lines.push(`  note: ${n}`);
  return `${lines.join('\n')}\n`;
}

function kernelWhat(e: BootEntry): string {
  const k = e.kernel!;
  if (k.version === undefined) return 'Linux, version unknown';
  return `Linux ${k.version}, ${k.tree} tree, ${k.format}`;
}
