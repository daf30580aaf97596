import { z } from 'zod';

/**
 * What happened on the platform. Kept apart from the verdict (Status): a cell can be
 * `unsupported` and still pass, when that is what was expected of it.
 * - works: every step did what the scenario expects.
 * - unsupported: the platform refused, for a known reason (carried in `reason` and `facts`).
 * - broken: the harness, emulator or infrastructure failed (timeout, crash, unreadable image).
 * - skipped: not applicable (excluded by a rule, or a combination that cannot exist).
 */
export const Outcome = z.enum(['works', 'unsupported', 'broken', 'skipped']);
export type Outcome = z.infer<typeof Outcome>;

/** The verdict against the expectation. */
export const Status = z.enum(['passed', 'failed', 'broken', 'skipped']);
export type Status = z.infer<typeof Status>;

/** One fact behind a verdict, with where it comes from (file @ tag, commit or page). */
export const Fact = z.object({
  text: z.string(),
  source: z.string(),
  /** false when the fact comes from secondary sources only; the reports show it as such. */
  verified: z.boolean().default(true),
});
export type Fact = z.infer<typeof Fact>;
