import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CellResult } from './result.ts';
import { UserError } from './errors.ts';

/** results.json as the reports read it (contract pvmatrix/results@1). */
export const RESULTS_SCHEMA = 'pvmatrix/results@1';

export const ResultsFile = z.object({
  schema: z.literal(RESULTS_SCHEMA),
  run: z.object({
    started: z.string(),
    finished: z.string().optional(),
    backend: z.string(),
    shard: z.string().optional(),
    matrix: z.string(),
    version: z.string(),
  }),
  summary: z.object({
    cells: z.number(),
    passed: z.number(),
    failed: z.number(),
    broken: z.number(),
    skipped: z.number(),
    works: z.number(),
    unsupported: z.number(),
    flaky: z.number().default(0),
  }),
  axes: z.array(z.object({ name: z.string(), values: z.array(z.object({ id: z.string(), label: z.string() })) })).default([]),
  cells: z.array(CellResult),
});
export type ResultsFile = z.infer<typeof ResultsFile>;

/** A user-facing problem with an input file: the CLI prints `message` and exits 2. */
export class InputError extends UserError {
  override name = 'InputError';
}

/** Reads and validates a results.json; every failure names the file and what is wrong with it. */
export async function readResultsFile(path: string): Promise<ResultsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      `${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a results.json' : `cannot read (${code ?? String(e)})`}`,
    );
  }
  return parseResultsText(text, path);
}

export function parseResultsText(text: string, path: string): ResultsFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${path}: not JSON (${(e as Error).message})`);
  }
  const schema = (data as { schema?: unknown } | null)?.schema;
  if (typeof data !== 'object' || data === null || schema !== RESULTS_SCHEMA) {
    throw new InputError(
      `${path}: not a pvmatrix results file (expected "schema": "${RESULTS_SCHEMA}", found ${schema === undefined ? 'no schema key' : JSON.stringify(schema)})`,
    );
  }
  const parsed = ResultsFile.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problems)` : '';
    const missing = /received undefined/.test(issue.message);
    throw new InputError(
      `${path}: ${where}: ${missing ? `missing (${issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '')})` : issue.message}${more}`,
    );
  }
  return parsed.data;
}
