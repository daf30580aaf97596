import { compilePattern, isPattern, type Pattern } from '../../lib/pattern.ts';
import { compileTerm, type ConditionScope } from '../load/condition.ts';
import { UserError } from '../../contracts/errors.ts';
import { matches, type Condition, type ConditionTerm, type Spec } from '../load/model.ts';
import { parseShard, type Shard } from './shard.ts';

/** Which cells a command works on: the command line's --filter, --scenario, --grep and --shard. */
export interface Selection {
  /** `AXIS=V1,V2` each; values may be conditions (`>=3.4`, `!dom0`). */
  filters?: readonly string[];
  /** Scenario ids (each entry may be a comma list). */
  scenarios?: readonly string[];
  grep?: string;
  /** `K/N`. */
  shard?: string;
}

/** A compiled selection: the condition and scenario set are checked before a cell is built. */
export interface Selector {
  condition?: Condition;
  grep?: Pattern;
  shard?: Shard;
}

/**
 * Compiles a selection against a spec. Unknown axes, values and scenarios are user errors
 * with a "did you mean". Several values for one axis are ORed, whether written as
 * `--filter xen=3.4,4.0` or as two --filter options; different axes are ANDed.
 */
export function compileSelection(spec: Spec, sel: Selection): Selector {
  const byAxis = new Map<string, string[]>();
  for (const f of sel.filters ?? []) {
    const eq = f.indexOf('=');
    if (eq <= 0 || eq === f.length - 1) throw new UserError(`--filter ${f}: write AXIS=VALUE[,VALUE...], e.g. --filter xen=3.4,4.0`);
    const axis = f.slice(0, eq).trim();
    const values = f
      .slice(eq + 1)
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    byAxis.set(axis, [...(byAxis.get(axis) ?? []), ...values]);
  }
  const scenarioNames = (sel.scenarios ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  if (scenarioNames.length) byAxis.set('scenario', [...(byAxis.get('scenario') ?? []), ...scenarioNames]);

  const scope: ConditionScope = {
    axes: spec.axes,
    axisByName: new Map(spec.axes.map((a) => [a.name, a])),
    closed: {},
    scenarioIds: spec.scenarios.map((s) => s.id),
    broken: new Set(),
  };
  const terms: ConditionTerm[] = [];
  for (const [axis, values] of byAxis) {
    const option = axis === 'scenario' && scenarioNames.length ? '--scenario' : `--filter ${axis}=${values.join(',')}`;
    const r = compileTerm(axis, values, scope, true);
    if ('error' in r) throw new UserError(`${option}: ${r.error}`);
    if ('term' in r) terms.push(r.term);
  }

  let grep: Pattern | undefined;
  if (sel.grep !== undefined) {
    const p = compilePattern(sel.grep);
    if (!isPattern(p)) throw new UserError(`--grep ${sel.grep}: not a regular expression RE2 can take: ${p.error}`);
    grep = p;
  }
  return { condition: terms.length ? { terms } : undefined, grep, shard: sel.shard === undefined ? undefined : parseShard(sel.shard) };
}

/** Before the cell id is built: the axis and scenario part of the selection. */
export function selectsValues(s: Selector, values: Int32Array, scenario: number): boolean {
  return !s.condition || matches(s.condition, values, scenario);
}
