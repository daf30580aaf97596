import type { Arch } from '../../domain/axes.ts';
import { typicalXenWants } from './defaults.ts';
import { effectiveConfig, tristateOf } from './effective.ts';
import { explainMissing } from './explain.ts';
import { type KconfigFact, type KernelTree, availability, kconfigModel } from './model.ts';

/**
 * One kernel's effective config as the emulator's mechanisms ask about it (the shape of
 * emulator/kernel/config.ts's KernelConfig): a real .config or, without one, the typical
 * Xen config of that version; then the profile's overrides; then `make oldconfig`.
 */
export interface KconfigView {
  /** `y`, `m`, another value, or undefined when not set. */
  value(sym: string): string | undefined;
  on(sym: string): boolean;
  /** The symbol exists in this kernel (its tree, version and arch). */
  defined(sym: string): boolean;
  /** Why a symbol is not set: a sentence and the facts behind it. */
  whyOff(sym: string): { reason: string; facts: KconfigFact[] };
  readonly origin: string;
}

export function kconfigView(
  k: { version: string; tree: KernelTree; arch: Arch },
  base: Readonly<Record<string, string>> | ReadonlyMap<string, string> | undefined,
  overrides: Readonly<Record<string, string>> = {},
  origin = base ? 'the kernel .config' : 'the modelled Xen-capable config',
): KconfigView {
  const { version, tree, arch } = k;
  const model = kconfigModel(version, tree, arch);
  const start = base === undefined ? typicalXenWants(version, tree, arch) : new Map(base instanceof Map ? base : Object.entries(base));
  for (const [sym, v] of Object.entries(overrides)) start.set(sym, v);
  const { config, dropped } = effectiveConfig(start, version, tree, arch);
  const droppedBy = new Map(dropped.map((d) => [d.option, d]));
  const value = (sym: string) => {
    const v = config.get(sym);
    return v === undefined || v === 'n' ? undefined : v;
  };
  const defined = (sym: string) => model.options.has(sym) || (!model.everDefined.has(sym) && config.has(sym));
  return {
    origin,
    value,
    on: (sym) => tristateOf(config.get(sym)) > 0,
    defined,
    whyOff(sym) {
      if (model.everDefined.has(sym) && !model.options.has(sym)) {
        const text = availability(sym, version, tree, arch);
        return { reason: `CONFIG_${text}`, facts: [{ text, source: 'emulator/kconfig/rules.yaml', verified: true }] };
      }
      const d = droppedBy.get(sym);
      const o = model.options.get(sym);
      if (d && o) {
        const missing = d.missing.length === 1 ? `${d.missing[0]} is not set` : `${d.missing.join(', ')} are not set`;
        const asked =
          base === undefined && !(sym in overrides)
            ? ''
            : ` (so the ${d.wanted} in ${sym in overrides ? "the profile's configOverrides" : origin} is dropped)`;
        return {
          reason: `CONFIG_${sym} depends on ${o.dependsText ?? o.parent ?? 'its menu'}${o.parent && o.dependsText ? ` inside ${o.parent}` : ''}, and ${missing}${asked}`,
          facts: [d.fact],
        };
      }
      if (sym in overrides && tristateOf(overrides[sym]) === 0) {
        return {
          reason: `the profile's configOverrides set CONFIG_${sym}=n`,
          facts: [{ text: `configOverrides: { ${sym}: n }`, source: 'the kernel profile', verified: true }],
        };
      }
      if (o) {
        const ex = explainMissing(sym, config, version, tree, arch);
        const need = ex.todo.filter((s) => s.option !== sym).map((s) => (s.want === 'on' ? s.option : `!${s.option}`));
        return {
          reason: `${origin} does not set CONFIG_${sym}${need.length > 0 ? `; it would need ${need.join(', ')}` : ''}`,
          facts: [{ text: `# CONFIG_${sym} is not set`, source: origin, verified: true }, o.fact],
        };
      }
      return {
        reason: `CONFIG_${sym} is not set in ${origin}`,
        facts: [{ text: `# CONFIG_${sym} is not set`, source: origin, verified: true }],
      };
    },
  };
}
