import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type { ResultsFile } from '../../contracts/results.ts';
import { encodeMatrix } from './encode.ts';
import { writeFileAtomic } from '../../lib/atomic-write.ts';

const asset = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8');
let assets: { template: string; css: string; script: string } | undefined;

/**
 * The page script: page/main.ts and what it imports (the diff rules of reports/diff among
 * them) bundled into one script, once per process. Type imports vanish; nothing else of the
 * tree may be pulled in, since the page must stay small and free of Node.
 */
export function pageScript(): string {
  const r = buildSync({
    entryPoints: [fileURLToPath(new URL('page/main.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return r.outputFiles[0]!.text;
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
