import { basename } from 'node:path';
import type { ZodType } from 'zod';
import type { LoadContext } from './context.ts';
import { nodeAt, type Path, type SourceFile } from './source.ts';
import { check } from './zod-issues.ts';
import type { ConditionScope } from './condition.ts';
import { condition } from './condition-map.ts';
import * as S from './schema.ts';
import type { Condition } from './model.ts';
import { compilePattern, isPattern, type Pattern } from '../../lib/pattern.ts';

/** The `include`, `exclude` or `expect` list: each rule checked by `schema`, its conditions compiled, its place recorded. */
export function rules<T>(ctx: LoadContext, src: SourceFile, raw: unknown, key: string, schema: ZodType<T>, scope: ConditionScope) {
  const out: { rule: { when: Condition; unless?: Condition; at: string }; data: T; because?: Pattern }[] = [];
  if (raw === undefined || raw === null) return out;
  const list = check(S.RuleList, raw, src, [key], ctx.diags);
  if (!list) return out;
  list.forEach((item, i) => {
    const path: Path = [key, i];
    const data = check(schema, item, src, path, ctx.diags);
    if (!data) return;
    const d = data as unknown as { when: unknown; unless?: unknown; because?: string };
    const because = regex(ctx, src, [...path, 'because'], d.because);
    const when = condition(ctx, src, [...path, 'when'], d.when, scope);
    const unless = d.unless === undefined ? undefined : condition(ctx, src, [...path, 'unless'], d.unless, scope);
    if (!when || (d.unless !== undefined && !unless)) return;
    const line = src.lines.linePos(nodeAt(src, path).node?.range?.[0] ?? 0).line;
    out.push({ rule: { when, unless, at: `${basename(src.file)}:${line}` }, data, because });
  });
  return out;
}

/** A `because` pattern (RE2: linear time), compiled once; one RE2 cannot take is reported where it is written. */
export function regex(ctx: LoadContext, src: SourceFile, path: Path, text: string | undefined): Pattern | undefined {
  if (text === undefined) return undefined;
  const p = compilePattern(text);
  if (isPattern(p)) return p;
  ctx.diags.at(src, path, `invalid regular expression in \`because\`: ${p.error}`);
  return undefined;
}
