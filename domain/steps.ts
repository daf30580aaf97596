import { z } from 'zod';

/**
 * The backend-neutral scenario language. A step is a YAML map with exactly one action key
 * (its arguments as the value) and optional `expect`, `on`, `title` and `as`:
 *
 *   - boot: { memory: 128M, maxmem: 256M, vcpus: 1, maxvcpus: 2 }
 *   - set-memory: { target: 96M }
 *   - read: /sys/devices/system/xen_memory/xen_memory0/info/current_kb
 *     expect: { equals: 98304, within: 5s }
 *
 * Every backend executes the same steps: the emulator through its models, the QEMU backend
 * through an agent inside the real dom0.
 */

const Size = z.union([
  z.string().regex(/^\d+(\.\d+)?\s*[KMGT]?i?B?$/i, { message: 'a size such as 96M or 131072K' }),
  z.number().int().nonnegative(),
]);
const Duration = z.string().regex(/^\d+(\.\d+)?(ms|s|m)$/, { message: 'a duration such as 500ms, 5s or 1m' });
const Path = z.string().regex(/^\//, { message: 'an absolute path' });

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
      memory: Size.optional(),
      maxmem: Size.optional(),
      vcpus: z.number().int().positive().optional(),
      maxvcpus: z.number().int().positive().optional(),
    })
    .strict()
    .nullable(),
  /** The toolstack sets the memory target of the domain under test (xm/xl mem-set). */
  'set-memory': z.object({ target: Size }).strict(),
  /** The toolstack sets the number of online vCPUs (xm/xl vcpu-set). */
  'set-vcpus': z.object({ count: z.number().int().positive() }).strict(),
  /** The toolstack hot-plugs a PV device into the domain under test. */
  'attach-device': z.object({ kind: z.enum(['vbd', 'vif']), vdev: z.string().optional() }).strict(),
  'detach-device': z.object({ kind: z.enum(['vbd', 'vif']), vdev: z.string().optional(), force: z.boolean().optional() }).strict(),
  /** Load or unload a kernel module inside the domain (`on`). */
  'load-module': z.object({ name: z.string() }).strict(),
  'unload-module': z.object({ name: z.string() }).strict(),
  /** Read a file in the domain; the value is matched by `expect`. */
  read: z.union([Path, z.object({ path: Path }).strict()]),
  write: z.object({ path: Path, value: z.union([z.string(), z.number()]) }).strict(),
  mount: z.object({ fs: z.enum(['xenfs', 'proc', 'sysfs']), at: Path }).strict(),
  /** The hypervisor's console ring, as `xm dmesg` / `xl dmesg` show it. */
  'xen-console': z.null(),
  /** The console of the domain under test (hvc0, or the early console). */
  'guest-console': z.null(),
  sleep: Duration,
} as const;

export const ACTIONS = Object.keys(StepArgs) as (keyof typeof StepArgs)[];
export type Action = keyof typeof StepArgs;

/** Keys that decide on a value or demand a refusal: meaningless when either answer passes. */
const MAY_REFUSE_EXCLUDES = ['refused', 'equals', 'matches', 'contains', 'absent', 'exists', 'atLeast', 'atMost', 'within'] as const;

export const Expect = z
  .object({
    equals: z.union([z.string(), z.number()]).optional(),
    /** A regular expression the value must match. */
    matches: z.string().optional(),
    contains: z.string().optional(),
    /** Text that must not appear. */
    absent: z.string().optional(),
    exists: z.boolean().optional(),
    atLeast: z.number().optional(),
    atMost: z.number().optional(),
    /** Keep checking until the expectation holds or this much time has passed. */
    within: Duration.optional(),
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
  });
export type Expect = z.infer<typeof Expect>;

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

/** The raw YAML map: all action keys optional, then exactly one required by refinement. */
export const StepSchema = z
  .object({ ...Object.fromEntries(ACTIONS.map((a) => [a, StepArgs[a].optional()])), ...StepExtras })
  .strict()
  .superRefine((step, ctx) => {
    const present = ACTIONS.filter((a) => a in step);
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

/** A step in normalised form, as backends receive it. */
export interface Step {
  action: Action;
  args: unknown;
  expect?: Expect;
  on: 'guest' | 'dom0';
  title?: string;
  as?: string;
}

export function normaliseStep(raw: z.infer<typeof StepSchema>): Step {
  const r = raw as Record<string, unknown>;
  const action = ACTIONS.find((a) => a in r)!;
  return {
    action,
    args: r[action] ?? null,
    expect: raw.expect,
    on: raw.on ?? 'guest',
    title: raw.title,
    as: raw.as,
  };
}
