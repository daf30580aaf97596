import type { Domain } from '../../contracts/domain.ts';
import { SpecError } from '../../contracts/errors.ts';
import { newContext } from './context.ts';
import { read, readScenarios } from './files.ts';
import { axisConditions, buildAxes } from './axes.ts';
import { scenario, uniqueScenarioIds } from './scenarios.ts';
import { rules } from './rules.ts';
import { checkCells } from './cells-check.ts';
import { check } from './zod-issues.ts';
import type { ConditionScope } from './condition.ts';
import * as S from './schema.ts';
import type { ExcludeRule, ExpectRule, IncludeRule, Spec } from './model.ts';

/**
 * Reads matrix.yaml and its scenario files, validates everything and returns the Spec; or
 * throws a SpecError listing every problem in every file, each at its file:line:col.
 * Each section is checked on its own, so one mistake does not hide the next.
 */
export function loadSpec(matrixFile: string, domain: Domain): Spec {
  const ctx = newContext(matrixFile, domain);
  const fail = () => new SpecError(ctx.diags.list);
  const src = read(ctx, matrixFile, 'the matrix file');
  if (!src) throw fail();
  if (!src.parsed) {
    // The matrix is unreadable as YAML; its scenarios may still have errors of their own.
    const scenarios = src.doc.get('scenarios');
    readScenarios(ctx, src, typeof scenarios === 'string' ? scenarios : undefined);
    throw fail();
  }
  const raw = src.doc.toJS() as unknown;
  if (raw === null || raw === undefined || (typeof raw === 'object' && !Array.isArray(raw) && Object.keys(raw).length === 0)) {
    ctx.diags.atFile(src.file, src.order, 'the matrix is empty: it needs at least `axes` (see docs/matrix-format.md)');
    throw fail();
  }
  const top = check(S.MatrixTop, raw, src, [], ctx.diags);
  const rawMap = (typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;

  const sources = readScenarios(ctx, src, rawMap.scenarios);
  const axes = buildAxes(ctx, src, rawMap.axes, rawMap.profiles);
  const scope: ConditionScope = {
    axes,
    axisByName: new Map(axes.map((a) => [a.name, a])),
    closed: domain.closedAxes,
    scenarioIds: uniqueScenarioIds(ctx, sources),
    broken: ctx.brokenAxes,
  };
  axisConditions(ctx, src, rawMap.axes, axes, scope);
  const scenarios = sources.map((s, i) => scenario(ctx, s, i, scope));
  const include = rules(ctx, src, rawMap.include, 'include', S.IncludeRule, scope).map(
    ({ rule, data }): IncludeRule => ({ ...rule, reason: data.reason }),
  );
  const exclude = rules(ctx, src, rawMap.exclude, 'exclude', S.ExcludeRule, scope).map(
    ({ rule, data }): ExcludeRule => ({ ...rule, reason: data.reason, source: data.source }),
  );
  const expect = rules(ctx, src, rawMap.expect, 'expect', S.ExpectRule, scope).map(
    ({ rule, data, because }): ExpectRule => ({ ...rule, outcome: data.outcome, because }),
  );

  const spec: Spec = { matrixFile, name: top?.name, axes, scenarios, include, exclude, expect };
  if (ctx.diags.count === 0) checkCells(ctx, spec, src, sources);
  if (ctx.diags.count > 0) throw fail();
  return spec;
}
