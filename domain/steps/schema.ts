import { z } from 'zod';
import { DURATION_FORMS, SIZE_FORMS, parseDuration, parseSizeKiB } from '../../lib/units.ts';
import { compilePattern, isPattern } from '../../lib/pattern.ts';
import { withPlaceholders } from './references.ts';

/**
 * The backend-neutral scenario language. A step is a YAML map with exactly one action key
 * (its arguments as the value) and optional `expect`, `on`, `title` and `as`:
 *
 *   - boot: { memory: 128M, maxmem: 256M, vcpus: 1, maxvcpus: 2 }
 *   - set-memory: { target: 96M }
 *   - read: /sys/devices/system/xen_memory/xen_memory0/info/current_kb
 *     expect: { equals: 98304, within: 5s }
 *
 * The schemas below check the YAML and normalise it: a backend receives a `Step` (the
 * discriminated union at the end) with sizes in KiB and times in milliseconds, never "96M".
 * Every backend executes the same steps: the emulator through its models, the QEMU backend
 * through an agent inside the real dom0; both judge a value with ./check.ts.
 */

const fail = (ctx: z.core.$RefinementCtx, message: string) => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

/** A size (lib/units.ts: a bare number is MiB) -> KiB. */
const SizeKiB = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => parseSizeKiB(v) ?? fail(ctx, `not a size: ${JSON.stringify(v)}; a size is ${SIZE_FORMS}`));
/** A duration (lib/units.ts: a bare number is seconds) -> milliseconds. No timer holds it: the cell's time bounds it. */
const DurationMs = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => parseDuration(v) ?? fail(ctx, `not a duration: ${JSON.stringify(v)}; a duration is ${DURATION_FORMS}`));
const Path = z.string().regex(/^\//, { message: 'an absolute path' });
/** A regular expression (RE2, lib/pattern.ts), checked here with each `${...}` standing for a word. */
const PatternText = z.string().superRefine((text, ctx) => {
  const p = compilePattern(withPlaceholders(text));
  if (!isPattern(p)) ctx.addIssue({ code: 'custom', message: `not a regular expression RE2 can take: ${p.error}` });
});

export const StepArgs = {
  /**
   * Start the domain under test in its role: dom0 = boot Xen with this kernel as dom0;
   * domU = boot Xen with the host dom0, then create a PV domU from this kernel;
   * native = boot the kernel on bare metal, no Xen (the same pv-ops binary).
   */
  boot: z
    .object({
      native: z.boolean().optional(),
      /** Extra kernel command line (the wiki's `console=hvc0 earlyprintk=xen`). */
      cmdline: z.string().optional(),
      /** Extra hypervisor command line (`dom0_mem=512M loglvl=all`). */
      xen: z.string().optional(),
      memory: SizeKiB.optional(),
      maxmem: SizeKiB.optional(),
      vcpus: z.number().int().positive().optional(),
      maxvcpus: z.number().int().positive().optional(),
    })
    .strict()
    .nullable()
    .transform((a) => ({
      native: a?.native ?? false,
      cmdline: a?.cmdline,
      xen: a?.xen,
      memoryKiB: a?.memory,
      maxmemKiB: a?.maxmem,
      vcpus: a?.vcpus,
      maxvcpus: a?.maxvcpus,
    })),
  /** The toolstack sets the memory target of the domain under test (xm/xl mem-set). */
  'set-memory': z
    .object({ target: SizeKiB })
    .strict()
    .transform((a) => ({ targetKiB: a.target })),
  /** The toolstack sets the number of online vCPUs (xm/xl vcpu-set). */
  'set-vcpus': z.object({ count: z.number().int().positive() }).strict(),
  /** The toolstack hot-plugs a PV device into the domain under test. */
  'attach-device': z.object({ kind: z.enum(['vbd', 'vif']), vdev: z.string().optional() }).strict(),
  'detach-device': z
    .object({ kind: z.enum(['vbd', 'vif']), vdev: z.string().optional(), force: z.boolean().optional() })
    .strict()
    .transform((a) => ({ ...a, force: a.force ?? false })),
  /** Load or unload a kernel module inside the domain (`on`). */
  'load-module': z.object({ name: z.string() }).strict(),
  'unload-module': z.object({ name: z.string() }).strict(),
  /** Read a file in the domain; the value is matched by `expect`. */
  read: z.union([Path, z.object({ path: Path }).strict()]).transform((a) => (typeof a === 'string' ? { path: a } : a)),
  write: z
    .object({ path: Path, value: z.union([z.string(), z.number()]) })
    .strict()
    .transform((a) => ({ path: a.path, value: String(a.value) })),
  mount: z.object({ fs: z.enum(['xenfs', 'proc', 'sysfs']), at: Path }).strict(),
  /** The hypervisor's console ring, as `xm dmesg` / `xl dmesg` show it. */
  'xen-console': z.null(),
  /** The console of the domain under test (hvc0, or the early console). */
  'guest-console': z.null(),
  sleep: DurationMs.transform((ms) => ({ ms })),
} as const;

export const ACTIONS = Object.keys(StepArgs) as (keyof typeof StepArgs)[];
export type Action = keyof typeof StepArgs;

/** Keys that decide on a value or demand a refusal: meaningless when either answer passes. */
const MAY_REFUSE_EXCLUDES = ['refused', 'equals', 'matches', 'contains', 'absent', 'exists', 'atLeast', 'atMost', 'within'] as const;

export const Expect = z
  .object({
    /** The value, trimmed, is exactly this text (a number is compared as it is written). */
    equals: z.union([z.string(), z.number()]).optional(),
    /** A regular expression (RE2) found in the value; `^` and `$` match at each line. */
    matches: PatternText.optional(),
    contains: z.string().optional(),
    /** Text that must not appear. */
    absent: z.string().optional(),
    exists: z.boolean().optional(),
    /** The value, trimmed, is a number at least (at most) this. */
    atLeast: z.number().optional(),
    atMost: z.number().optional(),
    /** Keep checking until the expectation holds or this much time has passed. */
    within: DurationMs.optional(),
    /** The platform must refuse the action (e.g. mem-set above maxmem). */
    refused: z.boolean().optional(),
    /**
     * The platform may refuse the action: either answer passes. A refusal is recorded in the
     * step's detail with its reason and the scenario goes on (rmmod of a frontend whose device
     * is still bound: refused from Linux 5.5, accepted before).
     */
    mayRefuse: z.boolean().optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (!e.mayRefuse) return;
    const checks = MAY_REFUSE_EXCLUDES.filter((k) => e[k] !== undefined);
    if (checks.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['mayRefuse'],
        message: `mayRefuse accepts either answer, so it cannot be combined with ${checks.join(', ')}; use refused: true when the platform must refuse, or drop mayRefuse to check the value`,
      });
    }
  })
  .transform(({ within, equals, ...rest }) => ({
    ...rest,
    ...(equals !== undefined && { equals: String(equals) }),
    ...(within !== undefined && { withinMs: within }),
  }));
export type Expect = z.output<typeof Expect>;

const StepExtras = {
  expect: Expect.optional(),
  /** Where the step runs: the domain under test (default) or the control domain. */
  on: z.enum(['guest', 'dom0']).optional(),
  title: z.string().optional(),
  /** Store the value read under this name, for `${name}` in later steps. */
  as: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/i)
    .optional(),
};

type ArgsOf = { [A in Action]: z.output<(typeof StepArgs)[A]> };

/** What every step has besides its action: `title` is built once, at load (./title.ts). */
export interface StepCommon {
  expect?: Expect;
  on: 'guest' | 'dom0';
  title: string;
  as?: string;
}

/** A step in normalised form, as backends receive it: `switch (step.action)` narrows `args`. */
export type Step = { [A in Action]: { action: A; args: ArgsOf[A] } & StepCommon }[Action];
export type StepOf<A extends Action> = Extract<Step, { action: A }>;

/** The raw YAML map: all action keys optional, then exactly one required by refinement. */
export const StepSchema = z
  .object({
    ...(Object.fromEntries(ACTIONS.map((a) => [a, StepArgs[a].optional()])) as { [A in Action]: z.ZodOptional<(typeof StepArgs)[A]> }),
    ...StepExtras,
  })
  .strict()
  .superRefine((step, ctx) => {
    const present = ACTIONS.filter((a) => step[a] !== undefined || a in step);
    if (present.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          present.length === 0
            ? `a step needs one action; allowed: ${ACTIONS.join(', ')}`
            : `a step has one action, this one has ${present.length}: ${present.join(', ')}`,
      });
    }
  });
export type RawStep = z.input<typeof StepSchema>;

/** Narrows a step to one action: `steps.find(isAction('boot'))?.args.memoryKiB`. */
export const isAction =
  <A extends Action>(action: A) =>
  (step: Step): step is StepOf<A> =>
    step.action === action;
