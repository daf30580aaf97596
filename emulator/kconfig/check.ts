import type { Arch, Role } from '../../domain/axes.ts';
import { effectiveConfig, tristateOf } from './effective.ts';
import { type Explanation, explainMissing } from './explain.ts';
import { kconfigRequirements } from './load.ts';
import { type KernelTree, availability, kconfigModel } from './model.ts';
import type { Requirement } from './schema.ts';

export interface Finding {
  option: string;
  need: 'y' | 'm' | 'ym';
  type?: 'bool' | 'tristate';
  /** The value the file gives (absent when it does not mention the option). */
  actual?: string;
  /**
   * ok; missing (the file does not enable it); dropped (the file enables it but its
   * dependencies do not hold, so `make oldconfig` would drop it); wrong-value (y where a
   * module is needed, or the reverse); unavailable (this kernel version has no such option).
   */
  status: 'ok' | 'missing' | 'dropped' | 'wrong-value' | 'unavailable';
  /** The roles and features that need it. */
  for: string[];
  why: string[];
  source: string[];
  explanation?: Explanation;
}

export interface ConfigCheck {
  version: string;
  tree: KernelTree;
  arch: Arch;
  role: Role;
  features: string[];
  findings: Finding[];
  notes: { text: string; source: string }[];
  complete: boolean;
}

export function knownFeatures(): string[] {
  return Object.keys(kconfigRequirements().features);
}

/**
 * What a .config (as written, CONFIG_ prefix removed) lacks for a role and features in one
 * kernel version and tree: each required option with its status and, when it is not
 * there, the dependency chain that makes it visible in that version.
 */
export function checkConfig(
  config: ReadonlyMap<string, string>,
  opts: { version: string; tree: KernelTree; arch: Arch; role: Role; features: readonly string[] },
): ConfigCheck {
  const { version, tree, arch, role } = opts;
  const reqs = kconfigRequirements();
  const features = [...new Set([...reqs.roles.implies[role], ...opts.features])];
  const wanted: { req: Requirement; for: string }[] = [
    ...reqs.roles[role].map((req) => ({ req, for: role })),
    ...features.flatMap((f) => (reqs.features[f] ?? []).map((req) => ({ req, for: f }))),
  ];
  const model = kconfigModel(version, tree, arch);
  const effective = effectiveConfig(config, version, tree, arch);
  const dropped = new Set(effective.dropped.map((d) => d.option));
  const byOption = new Map<string, Finding>();
  for (const { req, for: what } of wanted) {
    if (req.trees && !req.trees.includes(tree)) continue;
    const exists = model.options.has(req.option);
    if (!exists && req.ifExists) continue;
    const prior = byOption.get(req.option);
    if (prior) {
      if (!prior.for.includes(what)) prior.for.push(what);
      prior.why.push(req.why);
      if (!prior.source.includes(req.source)) prior.source.push(req.source);
      if (prior.need === 'ym') prior.need = req.need;
      continue;
    }
    byOption.set(req.option, {
      option: req.option,
      need: req.need,
      actual: config.get(req.option),
      status: 'ok',
      for: [what],
      why: [req.why],
      source: [req.source],
    });
  }
  for (const f of byOption.values()) {
    const type = model.options.get(f.option)?.type;
    f.type = type;
    const v = tristateOf(f.actual);
    if (!model.options.has(f.option)) f.status = 'unavailable';
    else if (v === 0) f.status = 'missing';
    else if (dropped.has(f.option)) f.status = 'dropped';
    else if (type === 'tristate' && ((f.need === 'm' && v !== 1) || (f.need === 'y' && v !== 2))) f.status = 'wrong-value';
    if (f.status === 'unavailable') {
      f.why.push(availability(f.option, version, tree, arch));
    } else if (f.status !== 'ok') {
      f.explanation = explainMissing(f.option, config, version, tree, arch, { asWritten: true });
    }
  }
  const notes = features.flatMap((f) =>
    (reqs.notes[f] ?? []).filter((n) => !n.trees || n.trees.includes(tree)).map((n) => ({ text: n.text, source: n.source })),
  );
  const findings = [...byOption.values()];
  return { version, tree, arch, role, features, findings, notes, complete: findings.every((f) => f.status === 'ok') };
}
