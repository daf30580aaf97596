import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { LoadContext, ScenarioSource } from './context.ts';
import { type Path, type SourceFile, parseSource } from './source.ts';
import { check } from './zod-issues.ts';
import * as S from './schema.ts';

/** Reads and parses one YAML file; a missing or unreadable file is a diagnostic. */
export function read(ctx: LoadContext, file: string, what: string, from?: { src: SourceFile; path: Path }): SourceFile | undefined {
  const order = ctx.order++;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : (e as Error).message;
    const message = `cannot read ${what} ${file}: ${why}`;
    if (from) ctx.diags.at(from.src, from.path, message);
    else ctx.diags.atFile(file, order, code === 'ENOENT' ? `${message} (pass --matrix FILE, or run where matrix.yaml is)` : message);
    return undefined;
  }
  return parseSource(file, text, order, ctx.diags);
}

/** The scenario files the matrix names (a folder, by default scenarios/, or a list), shape-checked. */
export function readScenarios(ctx: LoadContext, src: SourceFile, raw: unknown): ScenarioSource[] {
  const dir = dirname(ctx.matrixFile);
  // Relative to the matrix file; an absolute path stays as written.
  const under = (p: string) => (isAbsolute(p) ? p : join(dir, p));
  const files: { file: string; from?: { src: SourceFile; path: Path } }[] = [];
  if (Array.isArray(raw)) {
    raw.forEach((f, i) => {
      if (typeof f === 'string') files.push({ file: under(f), from: { src, path: ['scenarios', i] } });
    });
  } else {
    const folder = typeof raw === 'string' ? raw : 'scenarios/';
    const path = under(folder);
    const where: Path = typeof raw === 'string' ? ['scenarios'] : [];
    let names: string[];
    try {
      if (!statSync(path).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
      names = readdirSync(path)
        .filter((n) => /\.ya?ml$/.test(n))
        .sort();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : (e as Error).message;
      ctx.diags.at(
        src,
        where,
        `the scenario folder ${path} ${why}${typeof raw === 'string' ? '' : ' (set `scenarios:` to a folder or a list of files)'}`,
        typeof raw === 'string',
      );
      return [];
    }
    if (names.length === 0) {
      ctx.diags.at(src, where, `no scenario files (*.yaml) in ${path}`, typeof raw === 'string');
      return [];
    }
    for (const n of names) files.push({ file: join(path, n) });
  }
  const out: ScenarioSource[] = [];
  for (const { file, from } of files) {
    const s = read(ctx, file, 'the scenario file', from);
    if (!s?.parsed) continue;
    const raw = s.doc.toJS() as unknown;
    if (raw === null || raw === undefined) {
      ctx.diags.atFile(s.file, s.order, 'the scenario file is empty: it needs `id` and `steps`');
      continue;
    }
    const data = check(S.ScenarioFile, raw, s, [], ctx.diags);
    if (data) out.push({ src: s, data });
  }
  return out;
}
