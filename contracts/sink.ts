import type { CellResult } from './result.ts';

/** The run as results.json describes it (contract pvmatrix/results@1, key `run`). */
export interface RunInfo {
  started: string;
  finished?: string;
  backend: string;
  shard?: string;
  matrix: string;
  version: string;
  /** A hash of the matrix and scenario files the run read (`merge` refuses to mix matrices). */
  matrixHash?: string;
  /** Set when the run stopped early (Ctrl-C, --run-timeout): some selected cells have no result. */
  partial?: boolean;
}

/** Axes in matrix order with their values and display labels (profile names), for reports. */
export type AxisInfo = { name: string; values: { id: string; label: string }[] }[];

export interface Summary {
  cells: number;
  passed: number;
  failed: number;
  broken: number;
  skipped: number;
  works: number;
  unsupported: number;
  flaky: number;
}

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
