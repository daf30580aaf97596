import { z } from 'zod';
import { Outcome } from '../../contracts/outcome.ts';
import { DURATION_FORMS, MAX_TIMER_MS, MAX_TIMER_TEXT, parseDuration } from '../../lib/units.ts';

/**
 * The shapes of matrix.yaml and scenarios/*.yaml (docs/matrix-format.md). Each section is
 * validated on its own, so one mistake does not hide the others. Conditions are checked
 * by condition.ts, which knows the axes; profiles and steps by the domain.
 */

export const VALUE_ID = /^[A-Za-z0-9._+-]+$/;
export const ValueId = z.string().regex(VALUE_ID, { message: 'an id made of letters, digits and . _ + -' });
export const AXIS_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `{ axis: value | [values] }`; the values are checked against the axes later. */
export const ConditionMap = z.record(z.string(), z.unknown());

/** A time limit (lib/units.ts) -> milliseconds, at most what a timer holds. */
export const TimeLimit = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === undefined) ctx.addIssue({ code: 'custom', message: `not a duration: ${JSON.stringify(v)}; a duration is ${DURATION_FORMS}` });
  else if (ms > MAX_TIMER_MS) ctx.addIssue({ code: 'custom', message: `${v} is longer than a timer can hold: at most ${MAX_TIMER_TEXT}` });
  else return ms;
  return z.NEVER;
});

export const MatrixTop = z.strictObject({
  schema: z.literal('pvmatrix/matrix@1').optional(),
  name: z.string().optional(),
  /** A folder relative to the matrix file, or a list of files. */
  scenarios: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  axes: z.unknown().optional(),
  profiles: z.unknown().optional(),
  include: z.unknown().optional(),
  exclude: z.unknown().optional(),
  expect: z.unknown().optional(),
});

const AxisValues = z.array(ValueId).min(1, { message: 'an axis needs at least one value' });
export const AxisDef = z.union([
  AxisValues,
  z.strictObject({ values: AxisValues, when: ConditionMap.optional(), title: z.string().optional() }),
]);
export const Axes = z.record(z.string(), z.unknown());

export const Profiles = z.record(z.string(), z.record(z.string(), z.unknown()));

const RuleBase = { when: ConditionMap, unless: ConditionMap.optional() };
export const IncludeRule = z.strictObject({ ...RuleBase, reason: z.string().optional() });
export const ExcludeRule = z.strictObject({ ...RuleBase, reason: z.string().min(1), source: z.string().optional() });
export const ExpectRule = z.strictObject({
  ...RuleBase,
  outcome: Outcome.exclude(['skipped']),
  /** A regular expression the cell's reason must match for the expectation to hold. */
  because: z.string().optional(),
  reason: z.string().optional(),
  source: z.string().optional(),
});
export const RuleList = z.array(z.unknown());

export const ScenarioFile = z.strictObject({
  id: ValueId,
  /** Groups scenarios in reports; defaults to the id. */
  feature: z.string().optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  applies: ConditionMap.optional(),
  ignores: z.array(z.string()).optional(),
  timeout: TimeLimit.optional(),
  steps: z.array(z.unknown()).min(1, { message: 'a scenario needs at least one step' }),
});
export type ScenarioFile = z.infer<typeof ScenarioFile>;
