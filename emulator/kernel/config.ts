/**
 * A kernel's effective configuration: the real .config (or the typical Xen-capable config
 * of its version, tree and arch when there is none), the profile's overrides, then Kconfig
 * dependencies applied as `make oldconfig` would. The Kconfig knowledge is emulator/kconfig/;
 * mechanisms only see the KernelConfig interface below.
 */
import type { Arch } from '../../domain/axes.ts';
import { defaultXenConfig, effectiveConfig, explainMissing, exprToString, kernelOptions, type KernelTree } from '../kconfig/index.ts';
import type { Fact } from '../knowledge/index.ts';
import type { Version } from '../version.ts';

export interface KernelConfig {
  /** `y`, `m`, a value, or undefined when not set. */
  value(sym: string): string | undefined;
  /** Set to y or m. */
  on(sym: string): boolean;
  /** The symbol exists in this kernel (for its tree, version and arch). */
  defined(sym: string): boolean;
  /** Why a symbol is not set: a sentence and the facts behind it. */
  whyOff(sym: string): { reason: string; facts: Fact[] };
  /** Where the values came from, for transcripts: "/boot/config-6.1.0-56-amd64" or "modelled". */
  readonly origin: string;
}

export interface KernelIdentity {
  version: Version;
  tree: string;
  arch: Arch;
}

/**
 * Build the effective config. `base` is a real .config's values (without CONFIG_); without
 * one, the typical Xen-capable config of this version, tree and arch.
 */
export function kernelConfig(
  k: KernelIdentity,
  base: Record<string, string> | undefined,
  overrides: Record<string, string> = {},
  origin = base ? 'the kernel .config' : 'the modelled Xen-capable config',
): KernelConfig {
  const version = k.version.text;
  const tree = k.tree as KernelTree;
  const start = base ? new Map(Object.entries(base)) : defaultXenConfig(version, tree, k.arch);
  for (const [sym, v] of Object.entries(overrides)) start.set(sym, v);
  const eff = effectiveConfig(start, version, tree, k.arch);
  const values = eff.config;
  const options = kernelOptions(version, tree, k.arch);
  const dropped = new Map(eff.dropped.map((d) => [d.option, d]));
  const isOn = (s: string) => {
    const v = values.get(s);
    return v === 'y' || v === 'm';
  };
  const whyOff = (sym: string): { reason: string; facts: Fact[] } => {
    if (overrides[sym] === 'n')
      return {
        reason: `the profile's configOverrides set CONFIG_${sym}=n`,
        facts: [{ text: `configOverrides: { ${sym}: n }`, source: 'the kernel profile', verified: true }],
      };
    const o = options.get(sym);
    const d = dropped.get(sym);
    if (d) {
      const missing = d.missing.map((m) => m.replace(/^!/, 'not '));
      const deps = o?.requires ? exprToString(o.requires) : undefined;
      return {
        reason: deps
          ? `CONFIG_${sym} depends on ${deps}, and ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set (so the ${d.wanted} in ${origin} is dropped): ${d.fact.text}`
          : `CONFIG_${sym} is dropped from ${origin}: ${missing.join('; ')}`,
        facts: [d.fact],
      };
    }
    const e = explainMissing(sym, start, version, tree, k.arch);
    const deps = o?.requires ? exprToString(o.requires) : undefined;
    const failing = e.chain.filter((t) => !t.ok && t.option !== sym);
    const facts = [...(o ? [o.fact] : []), ...failing.flatMap((t) => (t.fact ? [t.fact] : []))];
    const state = (t: (typeof failing)[number]) =>
      `${t.option} ${t.want === 'on' ? 'is not set' : 'is set'}${t.action === 'fixed' ? ` (fixed by the ${k.arch} architecture)` : ''}`;
    if (!e.exists)
      return {
        reason: `CONFIG_${sym} does not exist in Linux ${version} (${tree}, ${k.arch}): ${e.reason ?? 'not defined'}`,
        facts: [{ text: e.reason ?? `CONFIG_${sym} is not defined`, source: 'emulator/kconfig/rules.yaml', verified: true }],
      };
    if (failing.length) {
      return {
        reason: `CONFIG_${sym}${deps ? ` depends on ${deps}, and` : ' needs'} ${failing.map(state).join(', ')}${e.possible ? ` in ${origin}` : `: it cannot be enabled for ${k.arch}`}${o ? `: ${o.fact.text}` : ''}`,
        facts,
      };
    }
    return {
      reason: `${origin} does not set CONFIG_${sym}`,
      facts: facts.length ? facts : [{ text: `# CONFIG_${sym} is not set`, source: origin, verified: true }],
    };
  };
  const whyCache = new Map<string, { reason: string; facts: Fact[] }>();
  return {
    origin,
    value: (s) => {
      const v = values.get(s);
      return v === 'n' ? undefined : v;
    },
    on: isOn,
    defined: (s) => options.has(s),
    whyOff: (s) => {
      let w = whyCache.get(s);
      if (!w) whyCache.set(s, (w = whyOff(s)));
      return w;
    },
  };
}
