import type { Arch } from '../../domain/axes.ts';
import { type Expr, type Need, type Tristate, evalExpr, exprToString } from './expr.ts';
import { type SolveOptions, effectiveConfig, solve, symbolValues, tristateOf } from './effective.ts';
import { kconfigRules } from './load.ts';
import { type KconfigFact, type KernelTree, availability, kconfigModel } from './model.ts';

/**
 * One symbol on the way to an option: what it must be, what it is, where to set it.
 * `action`: set (a prompt to answer), unset (must be off), automatic (no prompt: on once
 * its own dependencies hold), select (no prompt: switched on by one of `selectedBy`),
 * fixed (the architecture decides), unavailable (not in this kernel version), ok (holds).
 */
export interface ChainStep {
  option: string;
  want: 'on' | 'off';
  current: 'y' | 'm' | 'n';
  ok: boolean;
  action: 'set' | 'unset' | 'automatic' | 'select' | 'fixed' | 'unavailable' | 'assumed';
  prompt?: string;
  location?: string;
  /** Options that select this one (e.g. HIGHMEM64G for X86_PAE). */
  selectedBy?: { option: string; prompt?: string; location: string }[];
  /** The option whose dependency brought this step in. */
  neededBy?: string;
  depth: number;
  fact?: KconfigFact;
  note?: string;
}

export interface Explanation {
  option: string;
  version: string;
  tree: KernelTree;
  arch: Arch;
  exists: boolean;
  current: 'y' | 'm' | 'n';
  /** false when the architecture or the kernel version rules the option out. */
  possible: boolean;
  /** Every symbol the option needs, dependencies first, ending with the option itself. */
  chain: ChainStep[];
  /** The steps still to take (chain entries that do not hold). */
  todo: ChainStep[];
  reason?: string;
}

const NAME = ['n', 'm', 'y'] as const;

/**
 * Why an option is off or invisible in this config, and what must be set to make it
 * visible and enabled: its dependency chain as it was in that kernel version, each step
 * with its menu location and source. The option itself is treated as off (the question is
 * how to get it), whatever the config says.
 */
export function explainMissing(
  option: string,
  config: ReadonlyMap<string, string>,
  version: string,
  tree: KernelTree,
  arch: Arch,
  opts: SolveOptions = {},
): Explanation {
  const model = kconfigModel(version, tree, arch);
  const effective = effectiveConfig(config, version, tree, arch, opts).config;
  const base = { option, version, tree, arch, current: NAME[tristateOf(effective.get(option))] };
  if (!model.options.has(option)) {
    return { ...base, exists: false, possible: false, chain: [], todo: [], reason: availability(option, version, tree, arch) };
  }
  const without = new Map(config);
  without.set(option, 'n');
  const values = solve(model, without, opts);
  const val = symbolValues(model, without, values);
  const steps: ChainStep[] = [];
  const seen = new Set<string>();
  let possible = true;

  const cost = (n: Need): number => {
    if (model.archSymbols[n.sym] !== undefined) return Infinity;
    if (model.everDefined.has(n.sym) && !model.options.has(n.sym)) return n.want ? Infinity : 0;
    return 1;
  };

  const visit = (sym: string, want: boolean, depth: number, neededBy: string | undefined) => {
    if (seen.has(`${sym}:${want}`)) return;
    seen.add(`${sym}:${want}`);
    const cur = val(sym);
    const ok = sym === option ? false : cur > 0 === want;
    const common = { option: sym, want: want ? ('on' as const) : ('off' as const), current: NAME[cur], ok, depth, neededBy };
    const fixed = model.archSymbols[sym];
    if (fixed !== undefined) {
      if (!ok) possible = false;
      steps.push({ ...common, action: 'fixed', note: `fixed by the architecture (${model.arch})` });
      return;
    }
    const o = model.options.get(sym);
    if (!o) {
      if (model.everDefined.has(sym)) {
        if (!ok) possible = false;
        steps.push({ ...common, action: 'unavailable', note: availability(sym, version, tree, model.arch) });
      } else {
        const env = kconfigRules().environment[sym];
        steps.push({
          ...common,
          action: ok ? 'assumed' : want ? 'set' : 'unset',
          note: env ? (config.has(sym) ? 'as the config says' : `assumed ${env.value}: ${env.why}`) : undefined,
        });
      }
      return;
    }
    // A prompt shown only under a condition (`"Early printk" if EMBEDDED`): when hidden,
    // the option takes its default, so a default of y needs nothing more.
    const hiddenPrompt = o.visibleIf !== undefined && evalExpr(o.visibleIf, val) === 0;
    const onByDefault = hiddenPrompt && o.default !== undefined && evalExpr(o.default, val) > 0;
    if (want) {
      // Dependencies first, so that the chain reads in the order a person would set them.
      for (const dep of leaves(o.requires, val, cost)) visit(dep.sym, dep.want, depth + 1, sym);
      if (hiddenPrompt && !onByDefault) for (const dep of leaves(o.visibleIf, val, cost)) visit(dep.sym, dep.want, depth + 1, sym);
    }
    const selectedBy = (model.selectedBy.get(sym) ?? []).map((s) => ({
      option: s,
      prompt: model.options.get(s)?.prompt,
      location: model.options.get(s)!.location,
    }));
    const action: ChainStep['action'] = ok
      ? o.prompt
        ? 'set'
        : 'automatic'
      : !want
        ? 'unset'
        : onByDefault
          ? 'automatic'
          : o.prompt
            ? 'set'
            : o.default
              ? 'automatic'
              : 'select';
    steps.push({
      ...common,
      action,
      prompt: o.prompt,
      location: o.location,
      selectedBy: selectedBy.length > 0 ? selectedBy : undefined,
      fact: o.fact,
      note: onByDefault ? `on by default; its prompt shows only with ${o.visibleIf ? exprToString(o.visibleIf) : ''}` : o.note,
    });
  };
  visit(option, true, 0, undefined);
  return { ...base, exists: true, possible, chain: steps, todo: steps.filter((s) => !s.ok) };
}

/**
 * The leaves of a dependency that matter: for `&&` all of them, for `||` the branch that
 * already holds, else the one that can be made to hold most cheaply.
 */
function leaves(e: Expr | undefined, val: (s: string) => Tristate, cost: (n: Need) => number): Need[] {
  if (!e) return [];
  const go = (x: Expr, want: boolean): { needs: Need[]; cost: number } => {
    const holds = evalExpr(x, val) > 0 === want;
    switch (x.kind) {
      case 'const':
        return { needs: [], cost: holds ? 0 : Infinity };
      case 'sym': {
        const n = { sym: x.name, want };
        return { needs: [n], cost: holds ? 0 : cost(n) };
      }
      case 'not':
        return go(x.arg, !want);
      case 'cmp':
        return { needs: [], cost: holds ? 0 : Infinity };
      case 'and':
      case 'or': {
        const l = go(x.left, want);
        const r = go(x.right, want);
        if ((x.kind === 'and') === want) return { needs: [...l.needs, ...r.needs], cost: l.cost + r.cost };
        return l.cost <= r.cost ? l : r;
      }
    }
  };
  return go(e, true).needs;
}
