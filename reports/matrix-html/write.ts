import { readdirSync, readFileSync } from 'node:fs';
import type { ResultsFile } from '../../contracts/results.ts';
import { encodeMatrix } from './encode.ts';
import { writeFileAtomic } from '../../lib/atomic-write.ts';

const asset = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8');
let assets: { template: string; css: string; script: string } | undefined;

/** The page script: page/*.js in name order, in one function scope (they share its constants and state). */
function pageScript(): string {
  const dir = new URL('page/', import.meta.url);
  const parts = readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .sort();
  return `'use strict';\n(function () {\n${parts.map((f) => readFileSync(new URL(f, dir), 'utf8')).join('\n')}\n})();\n`;
}

/** JSON that can sit inside a <script> element: no `<` at all, so no `</script>` or `<!--`. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The whole page as one string: no external resource, opens from file://. */
export function renderMatrixHtml(
  file: ResultsFile,
  options: { title?: string; baseline?: { file: ResultsFile; label: string } } = {},
): string {
  assets ??= { template: asset('template.html'), css: asset('page.css'), script: pageScript() };
  const data = scriptSafeJson(encodeMatrix(file, options));
  // Replacement functions, not strings: `$&` and friends in the data must stay literal.
  return assets.template
    .replace('/*CSS*/', () => assets!.css)
    .replace('/*SCRIPT*/', () => assets!.script.replace(/<\/script/gi, '<\\/script'))
    .replace('/*DATA*/', () => data);
}

/** Writes matrix.html through a temp file and a rename: readers never see half a page. */
export async function writeMatrixHtml(
  path: string,
  file: ResultsFile,
  options: Parameters<typeof renderMatrixHtml>[1] = {},
): Promise<void> {
  await writeFileAtomic(path, renderMatrixHtml(file, options));
}
