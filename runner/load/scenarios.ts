import type { LoadContext, ScenarioSource } from './context.ts';
import { check } from './zod-issues.ts';
import type { ConditionScope } from './condition.ts';
import { condition } from './condition-map.ts';
import { didYouMean, listOf } from '../../lib/suggest.ts';
import type { Scenario } from './model.ts';

/** Scenario ids are unique across files. */
export function uniqueScenarioIds(ctx: LoadContext, sources: ScenarioSource[]): string[] {
  const seen = new Map<string, string>();
  for (const { src, data } of sources) {
    const first = seen.get(data.id);
    if (first) ctx.diags.at(src, ['id'], `scenario id "${data.id}" is already used by ${first}`);
    else seen.set(data.id, src.file);
  }
  return sources.map((s) => s.data.id);
}

/** A scenario with its conditions compiled and its steps validated and normalised by the domain. */
export function scenario(ctx: LoadContext, { src, data }: ScenarioSource, index: number, scope: ConditionScope): Scenario {
  const ignores = new Uint8Array(scope.axes.length);
  (data.ignores ?? []).forEach((name, i) => {
    const axis = scope.axisByName.get(name);
    if (axis) ignores[axis.index] = 1;
    else if (!ctx.brokenAxes.has(name)) {
      const names = [...scope.axisByName.keys()];
      ctx.diags.at(src, ['ignores', i], `unknown axis "${name}"${didYouMean(name, names)}; axes: ${listOf(names)}`);
    }
  });
  const applies = data.applies ? condition(ctx, src, ['applies'], data.applies, scope) : undefined;
  const steps: unknown[] = [];
  data.steps.forEach((step, i) => {
    const ok = check(ctx.domain.stepSchema, step, src, ['steps', i], ctx.diags);
    if (ok !== undefined) steps.push(ctx.domain.normaliseStep(step));
  });
  if (steps.length === data.steps.length)
    for (const m of ctx.domain.checkSteps?.(steps) ?? []) ctx.diags.at(src, ['steps', m.index], m.message);
  return {
    id: data.id,
    index,
    feature: data.feature ?? data.id,
    title: data.title,
    file: src.file,
    ignores,
    applies,
    steps,
    timeoutMs: data.timeout,
  };
}
