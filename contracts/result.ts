import { z } from 'zod';
import { Fact, Outcome, Status } from './outcome.ts';

export const StepStatus = z.enum(['passed', 'failed', 'broken', 'skipped']);

/** One executed scenario step. */
export const StepResult = z.object({
  /** The step's action name (boot, set-memory, read, ...). */
  action: z.string(),
  /** A one-line description, e.g. `read /sys/devices/system/xen_memory/xen_memory0/target_kb`. */
  title: z.string(),
  status: StepStatus,
  /** What was observed, or why it failed. */
  detail: z.string().optional(),
  durationMs: z.number(),
});
export type StepResult = z.infer<typeof StepResult>;

/** What a backend returns for one cell. */
export const BackendResult = z.object({
  outcome: Outcome,
  /** Required unless the outcome is `works`: a sentence a person can act on. */
  reason: z.string().optional(),
  /** The facts behind the outcome: why it refused; for `works`, what it needed beyond its release (a backport). */
  facts: z.array(Fact).default([]),
  steps: z.array(StepResult).default([]),
  /** The console transcript (Xen and guest lines), as the real console would read. */
  transcript: z.array(z.string()).default([]),
  durationMs: z.number().optional(),
});
export type BackendResult = z.infer<typeof BackendResult>;

/** One row of results.json (contract: pvmatrix/results@1). */
export const CellResult = z.object({
  id: z.string(),
  axes: z.record(z.string(), z.string()),
  scenario: z.string(),
  feature: z.string(),
  outcome: Outcome,
  /** The expected outcome (from `expect` rules or the baseline). */
  expected: Outcome,
  /** Where the expectation came from: a rule (`matrix.yaml:120`), `baseline`, or `default`. */
  expectedFrom: z.string().default('default'),
  status: Status,
  reason: z.string().optional(),
  facts: z.array(Fact).default([]),
  steps: z.array(StepResult).default([]),
  /** A short excerpt of the transcript around the deciding event (the full one is in Allure). */
  transcript: z.array(z.string()).default([]),
  durationMs: z.number(),
  /** A shell command that runs this cell alone. */
  reproducer: z.string(),
  attempts: z.number().int().min(1).default(1),
  /** Failed or broke on an attempt, then passed on a retry. Never reported as a plain pass. */
  flaky: z.boolean().default(false),
});
export type CellResult = z.infer<typeof CellResult>;
