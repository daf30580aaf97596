import type { LoadContext } from './context.ts';
import { type Path, type SourceFile, numberMessageAt } from './source.ts';
import { compileTerm, type ConditionScope } from './condition.ts';
import type { Condition } from './model.ts';

/** Compiles a condition map, reporting each bad axis or value where it is written. */
export function condition(ctx: LoadContext, src: SourceFile, path: Path, raw: unknown, scope: ConditionScope): Condition | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    ctx.diags.at(src, path, 'expected a map of axis: value (or [values])');
    return undefined;
  }
  const terms = [];
  let ok = true;
  for (const [axis, value] of Object.entries(raw)) {
    const items: string[] = [];
    const list = Array.isArray(value) ? value : [value];
    const valuePath: Path = [...path, axis];
    list.forEach((item, i) => {
      const at: Path = Array.isArray(value) ? [...valuePath, i] : valuePath;
      if (typeof item === 'string') items.push(item);
      else {
        ok = false;
        ctx.diags.at(src, at, numberMessageAt(src, at) ?? `expected a value id or a range such as ">=3.4", got ${JSON.stringify(item)}`);
      }
    });
    if (list.length === 0) {
      ok = false;
      ctx.diags.at(src, valuePath, 'an empty list matches nothing: give at least one value');
    }
    if (items.length !== list.length || items.length === 0) continue;
    const r = compileTerm(axis, items, scope, false);
    if ('error' in r) {
      ok = false;
      const at = r.item === undefined ? valuePath : Array.isArray(value) ? [...valuePath, r.item] : valuePath;
      ctx.diags.at(src, at, r.error, r.item === undefined);
    } else if ('term' in r) terms.push(r.term);
  }
  return ok ? { terms } : undefined;
}
