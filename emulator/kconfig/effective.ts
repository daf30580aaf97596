import type { Arch } from '../../domain/axes.ts';
import { type Expr, type Tristate, evalExpr, exprToString, unmetNeeds } from './expr.ts';
import { kconfigRules } from './load.ts';
import { type KconfigFact, type KconfigModel, type KernelOption, type KernelTree, availability, kconfigModel } from './model.ts';

const TRI: Record<string, Tristate> = { y: 2, m: 1, n: 0 };
const NAME = ['n', 'm', 'y'] as const;

export interface DroppedOption {
  option: string;
  /** The value the config asked for. */
  wanted: string;
  /** The unmet dependencies, e.g. `X86_PAE`, `!HIGHMEM4G`, or why the option does not exist. */
  missing: string[];
  fact: KconfigFact;
}

export interface EffectiveConfig {
  config: Map<string, string>;
  dropped: DroppedOption[];
}

/** A symbol's value as a tristate: `y`, `m`, anything else (or nothing) is n. */
export function tristateOf(value: string | undefined): Tristate {
  return value === undefined ? 0 : (TRI[value] ?? 0);
}

/**
 * The value of every symbol the rules know, while evaluating one kernel's Kconfig: arch
 * symbols are fixed, modelled options take their computed value, environment symbols take
 * the config's value or their assumed one; a symbol this kernel does not define is n.
 */
export function symbolValues(
  model: KconfigModel,
  config: ReadonlyMap<string, string>,
  computed: ReadonlyMap<string, Tristate>,
): (sym: string) => Tristate {
  const env = kconfigRules().environment;
  return (sym) => {
    const a = model.archSymbols[sym];
    if (a !== undefined) return TRI[a]!;
    if (model.options.has(sym)) return computed.get(sym) ?? 0;
    const e = env[sym];
    if (e !== undefined) return config.has(sym) ? tristateOf(config.get(sym)) : TRI[e.value]!;
    return 0;
  };
}

function requirement(o: KernelOption): Expr | undefined {
  return o.requires;
}

/**
 * What `make oldconfig` would keep of a config for one kernel: options whose dependencies
 * do not hold are dropped (with the unmet part), hidden options take their default,
 * `select` forces its targets on, a choice keeps one member. Options the model does not
 * know pass through unchanged.
 */
export function effectiveConfig(
  config: ReadonlyMap<string, string>,
  version: string,
  tree: KernelTree,
  arch: Arch,
  opts: SolveOptions = {},
): EffectiveConfig {
  const model = kconfigModel(version, tree, arch);
  const values = solve(model, config, opts);
  const out = new Map(config);
  const dropped: DroppedOption[] = [];
  const val = symbolValues(model, config, values);

  for (const [name, o] of model.options) {
    const v = values.get(name) ?? 0;
    out.set(name, NAME[v]);
    const wanted = config.get(name);
    const w = tristateOf(wanted);
    if (w > 0 && v < (o.type === 'bool' ? 2 : w)) {
      const req = requirement(o);
      const missing: string[] = [];
      if (req && evalExpr(req, val) < (o.type === 'bool' ? 1 : w)) {
        for (const n of unmetNeeds(req, val, () => 1).needs) missing.push(n.want ? n.sym : `!${n.sym}`);
      }
      if (o.choice && missing.length === 0)
        missing.push(`another member of the choice "${kconfigRules().choices[o.choice]?.prompt ?? o.choice}" is chosen`);
      if (o.prompt === undefined && missing.length === 0)
        missing.push(`${name} has no prompt: its value comes from ${o.default ? exprToString(o.default) : 'select only'}`);
      dropped.push({ option: name, wanted: wanted!, missing, fact: o.fact });
    }
  }
  // Options of other versions: oldconfig drops them, and the reason is the version.
  for (const [name, wanted] of config) {
    if (model.options.has(name) || !model.everDefined.has(name) || tristateOf(wanted) === 0) continue;
    out.delete(name);
    dropped.push({
      option: name,
      wanted,
      missing: [availability(name, version, tree, arch)],
      fact: { text: availability(name, version, tree, arch), source: 'emulator/kconfig/rules.yaml', verified: true },
    });
  }
  // Targets of select that the model does not follow are switched on as Kconfig would.
  for (const [name, o] of model.options) {
    if ((values.get(name) ?? 0) === 0) continue;
    for (const s of o.select) if (!model.options.has(s) && tristateOf(out.get(s)) === 0) out.set(s, 'y');
  }
  return { config: out, dropped };
}

export interface SolveOptions {
  /**
   * Read the config as written: a user-visible option it does not mention is off. By
   * default such an option takes its default, as `make oldconfig` does with a partial
   * config (e.g. a profile's configOverrides).
   */
  asWritten?: boolean;
}

/** The fixpoint of the option values: dependencies, defaults, selects and choices. */
export function solve(model: KconfigModel, config: ReadonlyMap<string, string>, opts: SolveOptions = {}): Map<string, Tristate> {
  const values = new Map<string, Tristate>();
  const val = symbolValues(model, config, values);
  const choices = kconfigRules().choices;
  for (let pass = 0; pass < 32; pass++) {
    let changed = false;
    const set = (name: string, v: Tristate) => {
      if ((values.get(name) ?? 0) !== v) {
        values.set(name, v);
        changed = true;
      }
    };
    for (const [name, o] of model.options) {
      let dep = o.requires ? evalExpr(o.requires, val) : 2;
      if (o.type === 'bool' && dep === 1) dep = 2;
      const visible = o.prompt !== undefined && (o.visibleIf ? evalExpr(o.visibleIf, val) > 0 : true) && dep > 0;
      let v: Tristate;
      if (visible && (config.has(name) || opts.asWritten)) v = tristateOf(config.get(name));
      else v = o.default ? evalExpr(o.default, val) : 0;
      if (o.choice) v = 0; // decided below, once per group
      v = Math.min(v, dep) as Tristate;
      for (const s of model.selectedBy.get(name) ?? []) v = Math.max(v, values.get(s) ?? 0) as Tristate;
      if (o.type === 'bool' && v === 1) v = 2;
      set(name, v);
    }
    // A choice keeps the member the config chose when it can be on, else the group's default.
    const groups = new Map<string, KernelOption[]>();
    for (const o of model.options.values()) if (o.choice) groups.set(o.choice, [...(groups.get(o.choice) ?? []), o]);
    for (const [group, members] of groups) {
      const can = (o: KernelOption) => (o.requires ? evalExpr(o.requires, val) : 2) > 0;
      const selected = members.find((o) => (model.selectedBy.get(o.name) ?? []).some((s) => (values.get(s) ?? 0) > 0));
      const chosen =
        selected ??
        members.find((o) => tristateOf(config.get(o.name)) > 0 && can(o)) ??
        members.find((o) => o.name === choices[group]?.default && can(o));
      for (const o of members) set(o.name, o === chosen ? 2 : 0);
    }
    if (!changed) break;
  }
  return values;
}
