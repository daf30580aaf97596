import type { z } from 'zod';

/**
 * What the generic runner needs to know about the world it tests, supplied by cli/xen-domain.ts
 * (the Xen vocabulary of domain/ with the emulator's knowledge).
 * The runner validates YAML structure, rules and selection itself; it asks the domain only
 * what a profile and a step may look like, which axis values are legal, and which version
 * a value stands for (for ranges such as `>=3.4`).
 */
export interface Domain {
  /** Axes with a fixed set of values: axis -> allowed values. */
  closedAxes: Record<string, readonly string[]>;
  /** Axes whose values are named profiles: axis -> schema of one profile. */
  profileSchemas: Record<string, z.ZodType>;
  /** The profile of a value declared without one, or undefined when there is none. */
  implicitProfile(axis: string, value: string): unknown;
  /** The schema of one scenario step. */
  stepSchema: z.ZodType;
  /** The normalised form of a valid step, as backends receive it. */
  normaliseStep(step: unknown): unknown;
  /** Mistakes that span a scenario's normalised steps (a name used before a step stores it): each at its step. */
  checkSteps?(steps: readonly unknown[]): { index: number; message: string }[];
  /** The version a value stands for, compared by range rules; undefined when it has none. */
  versionOf(axis: string, value: string, profile: unknown): string | undefined;
  /** The name reports show for a value (a profile's `name`, or what it extends); undefined: the id. */
  nameOf(axis: string, value: string, profile: unknown): string | undefined;
}
