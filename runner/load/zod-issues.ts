import type { z } from 'zod';
import { type Diagnostics, describeAt, nodeAt, numberMessageAt, type Path, type SourceFile } from './source.ts';
import { didYouMean, listOf } from '../../lib/suggest.ts';

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

/**
 * Runs `schema` on the value at `base` in `src` and reports every issue at its file:line:col,
 * in words a YAML author understands. Returns the parsed value, or undefined when invalid.
 */
export function check<S extends z.ZodType>(
  schema: S,
  value: unknown,
  src: SourceFile,
  base: Path,
  diags: Diagnostics,
): z.infer<S> | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues;
  // "unknown key" already says what is wrong; a refinement's complaint at the same place repeats it.
  const unknownAt = new Set(issues.filter((i) => i.code === 'unrecognized_keys').map((i) => i.path.join('\0')));
  for (const issue of issues) {
    if (issue.code === 'custom' && unknownAt.has(issue.path.join('\0'))) continue;
    report(issue, { schema, value, src, base, diags });
  }
  return undefined;
}

interface Where {
  schema: AnySchema;
  value: unknown;
  src: SourceFile;
  base: Path;
  diags: Diagnostics;
}

/**
 * The message for a number where a string belongs. "Write it in quotes" is only advice when
 * quoting would make the value valid (a version, an id); otherwise (`within: 5`) it names
 * what the string should look like.
 */
function numberWhereString(w: Where, rel: readonly (string | number)[], path: Path): string | undefined {
  const hint = numberMessageAt(w.src, path);
  if (!hint) return undefined;
  const { node } = nodeAt(w.src, path);
  const typed = w.src.text.slice(node!.range![0], node!.range![1]).trim();
  const quoted = setIn(structuredClone(w.value), rel, typed);
  const r = (w.schema as z.ZodType).safeParse(quoted);
  const left = r.success ? [] : r.error.issues.filter((i) => i.path.length >= rel.length && rel.every((seg, k) => i.path[k] === seg));
  if (left.length === 0) return hint;
  const format = left.find((i) => i.code === 'invalid_format' && !/^Invalid/.test(i.message));
  return `expected ${format ? format.message : 'a string'}, got the number ${typed}`;
}

function setIn(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  let node = root as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) node = node[path[i]!] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return root;
}

function report(issue: Issue, w: Where): void {
  const { schema, src, base, diags } = w;
  const rel = issue.path as (string | number)[];
  const path = [...base, ...(issue.path as (string | number)[])];
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = keysAt(schema, issue.path as (string | number)[]);
      for (const k of issue.keys) {
        diags.at(
          src,
          [...path, k],
          `unknown key "${k}"${didYouMean(k, allowed)}${allowed.length ? `; allowed: ${listOf(allowed)}` : ''}`,
          true,
        );
      }
      return;
    }
    case 'invalid_type': {
      const { exact } = nodeAt(src, path);
      const last = path[path.length - 1];
      if (!exact && issue.expected !== 'undefined') {
        diags.at(src, path, `missing key "${String(last)}" (${article(issue.expected)})`);
        return;
      }
      const n = issue.expected === 'string' ? numberWhereString(w, rel, path) : undefined;
      diags.at(src, path, n ?? `expected ${article(issue.expected)}, got ${describeAt(src, path)}`);
      return;
    }
    case 'invalid_value': {
      const typed = describeAt(src, path);
      const allowed = issue.values.map(String);
      const plain = typed.replace(/^"|"$/g, '');
      diags.at(src, path, `${typed} is not allowed here${didYouMean(plain, allowed)}; allowed: ${listOf(allowed)}`);
      return;
    }
    case 'invalid_format': {
      const custom = !/^Invalid/.test(issue.message);
      diags.at(src, path, custom ? `expected ${issue.message}, got ${describeAt(src, path)}` : issue.message);
      return;
    }
    case 'invalid_union': {
      // Report the branch that got furthest: the one whose problems are not just "wrong type here".
      const branches = issue.errors.filter((b) => !b.every((i) => i.code === 'invalid_type' && i.path.length === 0));
      if (branches.length === 1) {
        for (const sub of branches[0]!) report({ ...sub, path: [...issue.path, ...sub.path] } as Issue, w);
        return;
      }
      const expected = issue.errors.flatMap((b) =>
        b.filter((i) => i.code === 'invalid_type' && i.path.length === 0).map((i) => (i as { expected: string }).expected),
      );
      const n = expected.includes('string') ? numberWhereString(w, rel, path) : undefined;
      diags.at(
        src,
        path,
        n ?? (expected.length ? `expected ${expected.map(article).join(' or ')}, got ${describeAt(src, path)}` : issue.message),
      );
      return;
    }
    default:
      diags.at(src, path, issue.message);
  }
}

function article(t: string): string {
  if (t === 'object' || t === 'record' || t === 'map') return 'a map';
  if (t === 'array') return 'a list';
  if (t === 'null') return 'an empty value';
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  valueType?: AnySchema;
  options?: AnySchema[];
}

function defOf(s: AnySchema): Def {
  return (s as unknown as { _zod: { def: Def } })._zod.def;
}

function unwrap(s: AnySchema): AnySchema {
  for (;;) {
    const d = defOf(s);
    if (d.innerType && ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(d.type))
      s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else return s;
  }
}

/** The keys an object schema allows at `path`, for "did you mean" (objects in unions included). */
export function keysAt(schema: AnySchema, path: readonly (string | number)[]): string[] {
  let candidates: AnySchema[] = [unwrap(schema)];
  for (const seg of path) {
    const next: AnySchema[] = [];
    for (const s of candidates) {
      const d = defOf(s);
      if (d.type === 'object' && d.shape?.[String(seg)]) next.push(d.shape[String(seg)]!);
      else if (d.type === 'array' && d.element) next.push(d.element);
      else if (d.type === 'record' && d.valueType) next.push(d.valueType);
      else if (d.type === 'union' && d.options)
        for (const o of d.options) {
          const od = defOf(unwrap(o));
          if (od.type === 'object' && od.shape?.[String(seg)]) next.push(od.shape[String(seg)]!);
        }
    }
    candidates = next.map(unwrap);
  }
  const keys = new Set<string>();
  for (const s of candidates) {
    const d = defOf(s);
    if (d.type === 'object' && d.shape) for (const k of Object.keys(d.shape)) keys.add(k);
    if (d.type === 'union' && d.options)
      for (const o of d.options) {
        const od = defOf(unwrap(o));
        if (od.type === 'object' && od.shape) for (const k of Object.keys(od.shape)) keys.add(k);
      }
  }
  return [...keys];
}
