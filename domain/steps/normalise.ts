/** From a validated YAML step to the `Step` backends receive, its title built here, once. */
import { ACTIONS, type Step, StepSchema } from './schema.ts';
import { namesUsed } from './substitute.ts';

/**
 * A step's title from its arguments as written (`boot memory=128M`, `read /sys/...`,
 * `set-memory target=96M`), so that sizes read as the author wrote them. `${...}` in it is
 * resolved when the step runs, like the arguments.
 */
function titleOf(action: string, written: unknown): string {
  if (written === null || written === undefined) return action;
  if (typeof written !== 'object') return `${action} ${written}`;
  return [action, ...Object.entries(written).map(([k, v]) => `${k}=${v}`)].join(' ');
}

export function normaliseStep(raw: unknown): Step {
  const step = StepSchema.parse(raw);
  const action = ACTIONS.find((a) => a in step)!;
  // One cast: `action` is one of the keys and `args` that key's normalised arguments, which
  // TypeScript cannot correlate through a computed key.
  return {
    action,
    args: step[action],
    expect: step.expect,
    on: step.on ?? 'guest',
    title: step.title ?? titleOf(action, (raw as Record<string, unknown>)[action]),
    as: step.as,
  } as Step;
}

/** `${name}` that no earlier step stores with `as:`: a mistake the loader reports at the step. */
export function unstoredNames(steps: readonly Step[]): { index: number; message: string }[] {
  const stored = new Set<string>();
  const out: { index: number; message: string }[] = [];
  steps.forEach((s, index) => {
    for (const name of namesUsed(s))
      if (!stored.has(name))
        out.push({
          index,
          message: `\${${name}} is not defined here: no earlier step stores a value with \`as: ${name}\`${s.as === name ? ' (a step cannot use the value it stores)' : ''}`,
        });
    if (s.as) stored.add(s.as);
  });
  return out;
}

/** The steps of a cell, which the runner carries as opaque data the Domain port validated. */
export const stepsOf = (cell: { steps: readonly unknown[] }): readonly Step[] => cell.steps as readonly Step[];
