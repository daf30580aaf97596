import type { LoadContext } from './context.ts';
import type { Path, SourceFile } from './source.ts';
import { check } from './zod-issues.ts';
import type { ConditionScope } from './condition.ts';
import { condition } from './condition-map.ts';
import { didYouMean, listOf } from '../../lib/suggest.ts';
import { parseVersion } from '../../contracts/version.ts';
import * as S from './schema.ts';
import type { Axis, AxisValue } from './model.ts';

/** Axes with their values, profiles resolved; conditions (`when`) are compiled afterwards. */
export function buildAxes(ctx: LoadContext, src: SourceFile, raw: unknown, rawProfiles: unknown): Axis[] {
  if (raw === undefined || raw === null || (typeof raw === 'object' && Object.keys(raw).length === 0)) {
    ctx.diags.at(src, raw === undefined ? [] : ['axes'], 'the matrix has no axes: declare at least one under `axes:`', raw !== undefined);
    return [];
  }
  const axesMap = check(S.Axes, raw, src, ['axes'], ctx.diags);
  if (!axesMap) return [];
  const declared = profiles(ctx, src, rawProfiles, Object.keys(axesMap));
  const axes: Axis[] = [];
  for (const [name, def] of Object.entries(axesMap)) {
    const path: Path = ['axes', name];
    if (!S.AXIS_NAME.test(name) || name === 'scenario') {
      ctx.diags.at(
        src,
        path,
        name === 'scenario'
          ? '"scenario" is reserved for the scenario ids: name the axis otherwise'
          : `axis name "${name}" must start with a letter and use letters, digits, _ and -`,
        true,
      );
      ctx.brokenAxes.add(name);
      continue;
    }
    const parsed = check(S.AxisDef, def, src, path, ctx.diags);
    if (!parsed) {
      ctx.brokenAxes.add(name);
      continue;
    }
    const ids = Array.isArray(parsed) ? parsed : parsed.values;
    const valuesPath: Path = Array.isArray(parsed) ? path : [...path, 'values'];
    const axis: Axis = { name, index: axes.length, values: [], byId: new Map() };
    const closed = ctx.domain.closedAxes[name];
    const profileSchema = ctx.domain.profileSchemas[name];
    for (const [i, id] of ids.entries()) {
      const at: Path = [...valuesPath, i];
      if (axis.byId.has(id)) {
        ctx.diags.at(src, at, `"${id}" is listed twice in axis ${name}`);
        continue;
      }
      if (closed && !closed.includes(id)) {
        ctx.diags.at(src, at, `"${id}" is not a value of axis ${name}${didYouMean(id, closed)}; allowed: ${listOf(closed)}`);
        continue;
      }
      let profile: unknown = declared.get(name)?.get(id);
      if (profileSchema && profile === undefined) {
        profile = ctx.domain.implicitProfile(name, id);
        if (profile === undefined) {
          if (ctx.invalidProfiles.has(`${name}/${id}`)) continue;
          const known = [...(declared.get(name)?.keys() ?? [])];
          ctx.diags.at(src, at, `${name} value "${id}" has no profile: declare profiles.${name}.${id}${didYouMean(id, known)}`);
          continue;
        }
      }
      const version = ctx.domain.versionOf(name, id, profile);
      const label = ctx.domain.nameOf(name, id, profile) ?? id;
      const value: AxisValue = {
        id,
        index: axis.values.length,
        label,
        profile,
        version: version === undefined ? undefined : parseVersion(version),
        idPart: `${name}=${id}/`,
      };
      axis.values.push(value);
      axis.byId.set(id, value);
    }
    if (axis.values.length === 0) ctx.brokenAxes.add(name);
    else axes.push(axis);
  }
  return axes;
}

/** Validated profiles: axis -> id -> profile (as the domain's schema outputs it). */
export function profiles(ctx: LoadContext, src: SourceFile, raw: unknown, axisNames: string[]): Map<string, Map<string, unknown>> {
  const out = new Map<string, Map<string, unknown>>();
  if (raw === undefined) return out;
  const parsed = check(S.Profiles, raw, src, ['profiles'], ctx.diags);
  if (!parsed) return out;
  const withProfiles = Object.keys(ctx.domain.profileSchemas);
  for (const [axis, entries] of Object.entries(parsed)) {
    const schema = ctx.domain.profileSchemas[axis];
    if (!schema) {
      const hint = didYouMean(axis, withProfiles);
      const why = axisNames.includes(axis) ? `axis ${axis} takes no profiles` : `unknown axis "${axis}"${hint}`;
      ctx.diags.at(src, ['profiles', axis], `${why}; axes with profiles: ${listOf(withProfiles)}`, true);
      continue;
    }
    const byId = new Map<string, unknown>();
    for (const [id, body] of Object.entries(entries)) {
      const path: Path = ['profiles', axis, id];
      if (!S.VALUE_ID.test(id)) {
        ctx.diags.at(src, path, `profile id "${id}" must be made of letters, digits and . _ + -`, true);
        continue;
      }
      const profile = check(schema, body, src, path, ctx.diags);
      if (profile !== undefined) byId.set(id, profile);
      else ctx.invalidProfiles.add(`${axis}/${id}`);
    }
    out.set(axis, byId);
  }
  return out;
}

/** Compiles each axis's `when`, which may only look at the axes declared before it. */
export function axisConditions(ctx: LoadContext, src: SourceFile, raw: unknown, axes: Axis[], scope: ConditionScope): void {
  for (const axis of axes) {
    const def = (raw as Record<string, unknown>)[axis.name];
    if (Array.isArray(def) || !def || typeof def !== 'object' || !('when' in def)) continue;
    const path: Path = ['axes', axis.name, 'when'];
    const when = condition(ctx, src, path, (def as { when: unknown }).when, scope);
    if (!when) continue;
    const later = when.terms.find((t) => t.axis >= axis.index);
    if (later) {
      const other = axes[later.axis]!.name;
      ctx.diags.at(
        src,
        path,
        `the \`when\` of axis ${axis.name} names ${other}, which is declared after it: move ${other} above ${axis.name}`,
      );
      continue;
    }
    axis.when = when;
  }
}
