import { matches, ruleMatches, type Scenario, type Spec } from './model.ts';

/** The position of the enumeration: reused between steps, so copy what you keep. */
export interface Cursor {
  scenario: Scenario;
  /** Value index per axis; -1 where the axis does not apply to the cell. */
  values: Int32Array;
}

/**
 * Every cell that exists, scenario by scenario, axes in declaration order (the last axis
 * varies fastest). An axis is absent from a cell when the scenario ignores it or its `when`
 * does not match the earlier axes; a cell exists when the scenario applies to it and, if
 * there are include rules, one of them matches. Nothing is allocated per cell.
 */
export function* enumerate(spec: Spec): Generator<Cursor, void, undefined> {
  const axes = spec.axes;
  const n = axes.length;
  const sizes = axes.map((a) => a.values.length);
  const values = new Int32Array(n);
  const cursor: Cursor = { scenario: spec.scenarios[0]!, values };
  const include = spec.include;
  for (const scenario of spec.scenarios) {
    cursor.scenario = scenario;
    const si = scenario.index;
    const ignores = scenario.ignores;
    const settle = (from: number): void => {
      for (let d = from; d < n; d++) {
        const when = axes[d]!.when;
        values[d] = ignores[d] === 1 || (when !== undefined && !matches(when, values, si)) ? -1 : 0;
      }
    };
    settle(0);
    for (;;) {
      if ((!scenario.applies || matches(scenario.applies, values, si)) && (include.length === 0 || anyRule(spec, values, si))) {
        yield cursor;
      }
      let d = n - 1;
      while (d >= 0 && (values[d]! < 0 || values[d]! + 1 >= sizes[d]!)) d--;
      if (d < 0) break;
      values[d] = values[d]! + 1;
      settle(d + 1);
    }
  }
}

function anyRule(spec: Spec, values: Int32Array, si: number): boolean {
  for (const r of spec.include) if (ruleMatches(r, values, si)) return true;
  return false;
}
