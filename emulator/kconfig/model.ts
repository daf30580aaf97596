import { ARCHES, type Arch } from '../../domain/axes.ts';
import type { KernelProfile } from '../../domain/profiles.ts';
import { compareVersions, inRange, parseVersion } from '../version.ts';
import { type Expr, andAll, parseExpr } from './expr.ts';
import { kconfigRules } from './load.ts';
import type { Definition } from './schema.ts';

export type KernelTree = KernelProfile['tree'];
export const PVOPS_TREES: readonly KernelTree[] = ['mainline', 'tip', 'xen.git', 'distro'];
const ALL_ARCHES: readonly Arch[] = ARCHES;

/** Where a definition comes from: the file @ release it was read in, and whether it was checked. */
export interface KconfigFact {
  text: string;
  source: string;
  verified: boolean;
}

/** One option as it existed in one kernel version, tree and arch. */
export interface KernelOption {
  name: string;
  type: 'bool' | 'tristate';
  /** Absent: not user-visible (def_bool, or set only by select). */
  prompt?: string;
  visibleIf?: Expr;
  /** The symbol whose `if`/`menu` block encloses the option. */
  parent?: string;
  location: string;
  /** The option's own `depends on`, and with the parent: what must hold for it to be on. */
  depends?: Expr;
  dependsText?: string;
  requires?: Expr;
  default?: Expr;
  select: string[];
  choice?: string;
  fact: KconfigFact;
  note?: string;
}

/** The Kconfig of one kernel: its options plus the symbols fixed by arch and environment. */
export interface KconfigModel {
  version: string;
  tree: KernelTree;
  arch: Arch;
  options: Map<string, KernelOption>;
  archSymbols: Record<string, 'y' | 'm' | 'n'>;
  /** Every symbol that the rules define for some version, tree or arch. */
  everDefined: Set<string>;
  /** option -> the options of this kernel that select it. */
  selectedBy: Map<string, string[]>;
}

/** `2.6.30-rc3-tip` -> `2.6.30`: an -rc kernel has its release's options (the merge window closed at rc1). */
export function kconfigVersion(version: string): string {
  return parseVersion(version).parts.join('.');
}

export function definitionApplies(d: Definition, version: string, tree: KernelTree, arch: Arch): boolean {
  return (
    inRange(kconfigVersion(version), d.since, d.until) && (d.trees ?? PVOPS_TREES).includes(tree) && (d.arches ?? ALL_ARCHES).includes(arch)
  );
}

function toOption(name: string, d: Definition): KernelOption {
  const depends = d.depends === undefined ? undefined : parseExpr(d.depends);
  const parent: Expr | undefined = d.parent === undefined ? undefined : { kind: 'sym', name: d.parent };
  const range = `${d.since ?? ''}..${d.until === undefined ? '' : `<${d.until}`}`;
  return {
    name,
    type: d.type,
    prompt: d.prompt,
    visibleIf: d.visibleIf === undefined ? undefined : parseExpr(d.visibleIf),
    parent: d.parent,
    location: d.location,
    depends,
    dependsText: d.depends,
    requires: andAll([parent, depends]),
    default: d.default === undefined ? undefined : parseExpr(d.default),
    select: d.select ?? [],
    choice: d.choice,
    fact: {
      text: `${name} (${range}): ${d.type}${d.prompt ? ` "${d.prompt}"` : ' (no prompt)'}${d.depends ? `, depends on ${d.depends}` : ''}${d.parent ? `, inside ${d.parent}` : ''}`,
      source: d.source,
      verified: d.verified,
    },
    note: d.note,
  };
}

const cache = new Map<string, KconfigModel>();

export function kconfigModel(version: string, tree: KernelTree, arch: Arch): KconfigModel {
  const key = `${version}|${tree}|${arch}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const rules = kconfigRules();
  const options = new Map<string, KernelOption>();
  for (const [name, defs] of Object.entries(rules.options)) {
    const d = defs.find((x) => definitionApplies(x, version, tree, arch));
    if (d) options.set(name, toOption(name, d));
  }
  const selectedBy = new Map<string, string[]>();
  for (const o of options.values()) for (const s of o.select) selectedBy.set(s, [...(selectedBy.get(s) ?? []), o.name]);
  const model: KconfigModel = {
    version,
    tree,
    arch,
    options,
    archSymbols: rules.arch[arch] ?? {},
    everDefined: new Set(Object.keys(rules.options)),
    selectedBy,
  };
  cache.set(key, model);
  return model;
}

/**
 * The Xen-relevant options as they existed in that kernel version, tree and arch: type,
 * dependencies (parsed), selects, prompt and menu parent, default, and the fact behind each.
 */
export function kernelOptions(version: string, tree: KernelTree, arch: Arch): Map<string, KernelOption> {
  return kconfigModel(version, tree, arch).options;
}

/** Why an option is absent from a kernel: the versions (for that tree and arch) that have it. */
export function availability(option: string, version: string, tree: KernelTree, arch: Arch): string {
  const defs = (kconfigRules().options[option] ?? []).filter(
    (d) => (d.trees ?? PVOPS_TREES).includes(tree) && (d.arches ?? ALL_ARCHES).includes(arch),
  );
  if (defs.length === 0) return `${option} does not exist in the ${tree} tree on ${arch}`;
  const v = kconfigVersion(version);
  const later = defs.filter((d) => d.since !== undefined && !inRange(v, d.since)).map((d) => d.since!);
  const earlier = defs.filter((d) => d.until !== undefined && inRange(v, d.until)).map((d) => d.until!);
  if (later.length > 0) return `${option} does not exist in ${version} (${tree}): it first appears in ${later.sort(compareVersions)[0]}`;
  if (earlier.length > 0)
    return `${option} does not exist in ${version} (${tree}): it was removed in ${earlier.sort(compareVersions).at(-1)}`;
  return `${option} does not exist in ${version} (${tree}, ${arch})`;
}
