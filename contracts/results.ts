import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UserError } from './errors.ts';
import { CellResult } from './result.ts';

/**
 * results.json (contract pvmatrix/results@1): the one schema its writer, its readers (report,
 * diff, merge, --baseline) and the tests share; the types are inferred from it.
 */
export const RESULTS_SCHEMA = 'pvmatrix/results@1';

/** The run as results.json describes it (key `run`). */
export const RunInfo = z.object({
  started: z.string(),
  finished: z.string().optional(),
  backend: z.string(),
  shard: z.string().optional(),
  matrix: z.string(),
  version: z.string(),
  /** A hash of the matrix and scenario files the run read (`merge` refuses to mix matrices). */
  matrixHash: z.string().optional(),
  /** Set when the run stopped early (Ctrl-C, --run-timeout): some selected cells have no result. */
  partial: z.boolean().optional(),
});
export type RunInfo = z.infer<typeof RunInfo>;

export const Summary = z.object({
  cells: z.number(),
  passed: z.number(),
  failed: z.number(),
  broken: z.number(),
  skipped: z.number(),
  works: z.number(),
  unsupported: z.number(),
  /** Absent from files written before retries existed. */
  flaky: z.number().default(0),
});
export type Summary = z.infer<typeof Summary>;

/** Axes in matrix order with their values and display labels (profile names), for reports. */
export const AxisInfo = z.array(z.object({ name: z.string(), values: z.array(z.object({ id: z.string(), label: z.string() })) }));
export type AxisInfo = z.infer<typeof AxisInfo>;

export const ResultsFile = z.object({
  schema: z.literal(RESULTS_SCHEMA),
  run: RunInfo,
  summary: Summary,
  axes: AxisInfo.default([]),
  cells: z.array(CellResult),
});
export type ResultsFile = z.infer<typeof ResultsFile>;

/**
 * Something that consumes results as cells finish: results.json, allure-results, JUnit.
 * `add` is called once per cell, in completion order, with the full transcript beside the
 * result (results.json keeps only an excerpt). Sinks must not hold every result in memory.
 */
export interface ResultSink {
  begin(run: RunInfo, axes: AxisInfo): Promise<void>;
  add(result: CellResult, transcript: readonly string[]): Promise<void>;
  end(run: RunInfo, summary: Summary): Promise<void>;
}

/** A user-facing problem with an input file: the CLI prints `message` and exits 2. */
export class InputError extends UserError {
  override name = 'InputError';
}

export interface ReadOptions {
  /** Put before every message: the option or command the file came from (`--baseline`, `merge`). */
  prefix?: string;
  /** Added to "no such file": what the reader may have meant. */
  missingHint?: string;
}

/** Reads and validates a results.json; every failure names the file and what is wrong with it. */
export async function readResultsFile(path: string, o: ReadOptions = {}): Promise<ResultsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? `no such file${o.missingHint ? ` (${o.missingHint})` : ''}`
        : code === 'EISDIR'
          ? 'is a directory, not a results.json'
          : `cannot read (${code ?? String(e)})`;
    throw new InputError(`${o.prefix ? `${o.prefix}: ` : ''}${path}: ${why}`);
  }
  return parseResultsText(text, path, o);
}

export function parseResultsText(text: string, path: string, o: ReadOptions = {}): ResultsFile {
  const where = `${o.prefix ? `${o.prefix}: ` : ''}${path}`;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${where}: not JSON (${(e as Error).message})`);
  }
  const schema = (data as { schema?: unknown } | null)?.schema;
  if (typeof data !== 'object' || data === null || schema !== RESULTS_SCHEMA) {
    throw new InputError(
      `${where}: not a pvmatrix results file (expected "schema": "${RESULTS_SCHEMA}", found ${schema === undefined ? 'no schema key' : JSON.stringify(schema)})`,
    );
  }
  const parsed = ResultsFile.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.length ? issue.path.join('.') : '(top level)';
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problems)` : '';
    const missing = /received undefined/.test(issue.message);
    throw new InputError(
      `${where}: ${at}: ${missing ? `missing (${issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '')})` : issue.message}${more}`,
    );
  }
  return parsed.data;
}
