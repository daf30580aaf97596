import type { Cell } from '../../contracts/cell.ts';
import type { Outcome } from '../../contracts/outcome.ts';
import { ruleMatches, type ExpectRule, type Spec } from '../load/model.ts';
import { enumerate } from '../load/enumerate.ts';
import type { PlannedCell } from './planned.ts';
import { selectsValues, type Selector } from './select.ts';
import { inShard } from './shard.ts';

export interface ExpandOptions {
  selector?: Selector;
  /** Outcomes of a previous run (cell id -> outcome): they override the `expect` rules. */
  baseline?: ReadonlyMap<string, Outcome>;
}

/**
 * The planned cells of a spec, lazily, in enumeration order: selection applied, `exclude`
 * and `expect` rules resolved. Only the cells themselves are allocated.
 */
export function* expand(spec: Spec, opts: ExpandOptions = {}): Generator<PlannedCell, void, undefined> {
  const { selector, baseline } = opts;
  const axes = spec.axes;
  const n = axes.length;
  const withProfiles = axes.map((a) => a.values.some((v) => v.profile !== undefined));
  for (const { scenario, values } of enumerate(spec)) {
    const si = scenario.index;
    if (selector && !selectsValues(selector, values, si)) continue;
    let id = '';
    for (let d = 0; d < n; d++) {
      const v = values[d]!;
      if (v >= 0) id += axes[d]!.values[v]!.idPart;
    }
    id += `scenario=${scenario.id}`;
    if (selector?.grep && !selector.grep.test(id)) continue;
    if (selector?.shard && !inShard(id, selector.shard)) continue;

    const cellAxes: Record<string, string> = {};
    const profiles: Record<string, unknown> = {};
    for (let d = 0; d < n; d++) {
      const v = values[d]!;
      if (v < 0) continue;
      const axis = axes[d]!;
      const value = axis.values[v]!;
      cellAxes[axis.name] = value.id;
      if (withProfiles[d] && value.profile !== undefined) profiles[axis.name] = value.profile;
    }
    const cell: Cell = { id, axes: cellAxes, scenario: scenario.id, feature: scenario.feature, profiles, steps: scenario.steps };

    const timeoutMs = scenario.timeoutMs;
    const exclusion = spec.exclude.find((r) => ruleMatches(r, values, si));
    if (exclusion) {
      yield {
        cell,
        excluded: { reason: exclusion.reason, source: exclusion.source, from: exclusion.at },
        expected: 'skipped',
        expectedFrom: exclusion.at,
      };
      continue;
    }
    const before = baseline?.get(id);
    if (before === 'works' || before === 'unsupported') {
      yield { cell, expected: before, expectedFrom: 'baseline', timeoutMs };
      continue;
    }
    const rule = lastMatch(spec.expect, values, si);
    yield rule
      ? { cell, expected: rule.outcome, expectedFrom: rule.at, because: rule.because, timeoutMs }
      : { cell, expected: 'works', expectedFrom: 'default', timeoutMs };
  }
}

function lastMatch(rules: readonly ExpectRule[], values: Int32Array, si: number): ExpectRule | undefined {
  for (let i = rules.length - 1; i >= 0; i--) if (ruleMatches(rules[i]!, values, si)) return rules[i];
  return undefined;
}
