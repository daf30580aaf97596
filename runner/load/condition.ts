import { SCENARIO_AXIS, type Axis, type ConditionTerm } from './model.ts';
import { didYouMean, listOf } from '../../lib/suggest.ts';
import { parseRange } from '../../contracts/version.ts';

/** What a condition can name: the axes (and their closed value lists) and the scenario ids. */
export interface ConditionScope {
  axes: readonly Axis[];
  axisByName: ReadonlyMap<string, Axis>;
  /** Axes whose values come from a fixed list: axis -> allowed values. */
  closed: Readonly<Record<string, readonly string[]>>;
  scenarioIds: readonly string[];
  /** Axes that failed validation: conditions on them are not checked further. */
  broken: ReadonlySet<string>;
}

export type TermResult = { term: ConditionTerm } | { error: string; item?: number } | { skip: true };

/**
 * Compiles `axis: [items]` into a bitmap over the axis's declared values. An item is a value
 * id, `!id`, a comparison (`>=3.4`) or a range (`2.6.23..2.6.29`); items are ORed.
 * `strict`: an exact id must be a declared value (for --filter); otherwise it may name a value
 * this matrix does not declare (a shared rule), unless the axis has a fixed list.
 */
export function compileTerm(axisName: string, items: readonly string[], scope: ConditionScope, strict: boolean): TermResult {
  const isScenario = axisName === 'scenario';
  const axis = scope.axisByName.get(axisName);
  if (!isScenario && !axis) {
    if (scope.broken.has(axisName)) return { skip: true };
    const names = [...scope.axisByName.keys(), 'scenario'];
    return { error: `unknown axis "${axisName}"${didYouMean(axisName, [...names, ...scope.broken])}; axes: ${listOf(names)}` };
  }
  const ids = isScenario ? scope.scenarioIds : axis!.values.map((v) => v.id);
  const allowed = new Uint8Array(ids.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const negated = item.startsWith('!');
    const text = negated ? item.slice(1) : item;
    const range = negated ? undefined : parseRange(text);
    if (typeof range === 'string') return { error: range, item: i };
    if (range) {
      if (isScenario) return { error: `scenario ids have no versions: "${item}" cannot match one`, item: i };
      axis!.values.forEach((v, k) => {
        if (v.version && range(v.version)) allowed[k] = 1;
      });
      continue;
    }
    const known = isScenario || strict ? ids : scope.closed[axisName];
    if (known && !known.includes(text)) {
      const what = isScenario ? 'no scenario has the id' : `"${text}" is not a value of axis ${axisName}`;
      const head = isScenario ? `${what} "${text}"` : what;
      return { error: `${head}${didYouMean(text, known)}; ${isScenario ? 'scenarios' : 'values'}: ${listOf(known)}`, item: i };
    }
    ids.forEach((id, k) => {
      if (negated ? id !== text : id === text) allowed[k] = 1;
    });
  }
  return { term: { axis: isScenario ? SCENARIO_AXIS : axis!.index, allowed } };
}
