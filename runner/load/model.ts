import type { Pattern } from '../../lib/pattern.ts';
import type { Outcome } from '../../contracts/outcome.ts';
import type { Version } from '../../contracts/version.ts';

/**
 * A validated matrix, ready to expand. Axis values and scenarios are numbered, so that
 * conditions compile to per-axis bitmaps and matching a cell costs a few array reads.
 */
export interface Spec {
  /** The matrix file as the user named it. */
  matrixFile: string;
  name?: string;
  axes: Axis[];
  scenarios: Scenario[];
  include: IncludeRule[];
  exclude: ExcludeRule[];
  expect: ExpectRule[];
}

export interface Axis {
  name: string;
  index: number;
  values: AxisValue[];
  byId: Map<string, AxisValue>;
  /** Cells that do not match have no value on this axis. Names only earlier axes. */
  when?: Condition;
}

export interface AxisValue {
  id: string;
  index: number;
  /** The profile's name, else the id. */
  label: string;
  /** The resolved profile, or undefined for axes without profiles. */
  profile: unknown;
  version?: Version;
  /** `axis=id/`, the value's part of a cell id, built once. */
  idPart: string;
}

export interface Scenario {
  id: string;
  index: number;
  feature: string;
  title?: string;
  file: string;
  /** 1 for each axis this scenario ignores (indexed by axis index). */
  ignores: Uint8Array;
  applies?: Condition;
  /** Normalised by the domain. */
  steps: readonly unknown[];
  timeoutMs?: number;
}

/** A conjunction of terms, each allowing a subset of one axis's values. */
export interface Condition {
  terms: ConditionTerm[];
}

export interface ConditionTerm {
  /** Axis index, or SCENARIO_AXIS for the pseudo-axis `scenario`. */
  axis: number;
  /** allowed[valueIndex] === 1 when that value matches. */
  allowed: Uint8Array;
}

export const SCENARIO_AXIS = -1;

export interface Rule {
  when: Condition;
  unless?: Condition;
  /** Where the rule is written: `matrix.yaml:120`. */
  at: string;
}

export interface IncludeRule extends Rule {
  reason?: string;
}

export interface ExcludeRule extends Rule {
  reason: string;
  source?: string;
}

export interface ExpectRule extends Rule {
  outcome: Outcome;
  because?: Pattern;
}

/** Does a cell (value index per axis, -1 when absent, and its scenario index) match? */
export function matches(c: Condition, values: Int32Array, scenario: number): boolean {
  const terms = c.terms;
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i]!;
    const v = t.axis === SCENARIO_AXIS ? scenario : values[t.axis]!;
    if (v < 0 || t.allowed[v] !== 1) return false;
  }
  return true;
}

export function ruleMatches(r: Rule, values: Int32Array, scenario: number): boolean {
  return matches(r.when, values, scenario) && !(r.unless && matches(r.unless, values, scenario));
}
