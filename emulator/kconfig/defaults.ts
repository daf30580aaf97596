import type { Arch } from '../../domain/axes.ts';
import { effectiveConfig } from './effective.ts';
import { kconfigRules } from './load.ts';
import { type KernelTree, kconfigModel } from './model.ts';

/**
 * The config a Xen-capable build of this kernel would typically have: every Xen option
 * that exists and can be enabled (tristates as modules unless `typical` in rules.yaml says
 * otherwise), PAE on for x86_32-pae, then settled as `make oldconfig` would. Used for
 * kernels described by version, tree and arch without a .config.
 */
export function defaultXenConfig(version: string, tree: KernelTree, arch: Arch): Map<string, string> {
  return effectiveConfig(typicalXenWants(version, tree, arch), version, tree, arch).config;
}

/** What a maintainer enabling Xen would ask for, before Kconfig settles it (see defaultXenConfig). */
export function typicalXenWants(version: string, tree: KernelTree, arch: Arch): Map<string, string> {
  const model = kconfigModel(version, tree, arch);
  const typical = kconfigRules().typical;
  const wanted = new Map<string, string>();
  for (const o of model.options.values()) {
    if (o.prompt === undefined || o.choice) continue;
    wanted.set(o.name, typical[o.name] ?? (o.type === 'bool' ? 'y' : 'm'));
  }
  // 32-bit: PAE is what the arch value says (Xen needs it from 2.6.26 on).
  if (arch === 'x86_32-pae' && model.options.has('HIGHMEM64G')) wanted.set('HIGHMEM64G', 'y');
  if (arch === 'x86_32') wanted.set('X86_PAE', 'n');
  if (model.options.has('X86_XEN')) wanted.set('X86_XEN', 'y');
  if (tree === 'xen' && model.options.has('XEN_PRIVILEGED_GUEST')) wanted.set('XEN_PRIVILEGED_GUEST', 'y');
  return wanted;
}
