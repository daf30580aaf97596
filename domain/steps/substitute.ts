/**
 * `${name}` (a value an earlier step stored with `as:`) and `${axes.NAME}` (the cell's value
 * on an axis) in a step's strings. One rule for every backend: a reference to something
 * undefined is an error (SubstitutionError) that makes the cell broken, never ''.
 */
import type { Step } from './schema.ts';
import { type Part, parts } from './references.ts';

export interface Scope {
  /** Values stored by earlier steps (`as:`), trimmed. */
  vars: Readonly<Record<string, string>>;
  axes: Readonly<Record<string, string>>;
}

export class SubstitutionError extends Error {}

/** The value of one reference; throws when it is not defined. */
export function resolve(part: Exclude<Part, { text: string }>, scope: Scope): string {
  if ('axis' in part) {
    if (Object.hasOwn(scope.axes, part.axis)) return scope.axes[part.axis]!;
    throw new SubstitutionError(`\${axes.${part.axis}} is not defined (the cell has no axis ${part.axis})`);
  }
  if (Object.hasOwn(scope.vars, part.name)) return scope.vars[part.name]!;
  throw new SubstitutionError(`\${${part.name}} is not defined (no earlier step stored a value with \`as: ${part.name}\`)`);
}

export function substituteText(text: string, scope: Scope): string {
  if (!text.includes('${')) return text;
  return parts(text)
    .map((p) => ('text' in p ? p.text : resolve(p, scope)))
    .join('');
}

function deep<T>(value: T, scope: Scope): T {
  if (typeof value === 'string') return substituteText(value, scope) as T;
  if (Array.isArray(value)) return value.map((v) => deep(v, scope)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deep(v, scope)])) as T;
  return value;
}

const mentions = new WeakMap<Step, boolean>();

/** The step with its references resolved (the same object when it has none); throws SubstitutionError. */
export function substituteStep<S extends Step>(step: S, scope: Scope): S {
  let has = mentions.get(step);
  if (has === undefined) mentions.set(step, (has = JSON.stringify(step).includes('${')));
  return has ? deep(step, scope) : step;
}

/** The names a step reads through `${name}` (not axes), for the load-time check of `as:` order. */
export function namesUsed(step: Step): string[] {
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') for (const p of parts(v)) if ('name' in p) names.add(p.name);
    if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk([step.args, step.expect, step.title]);
  return [...names];
}
