import { z } from 'zod';
import { ARCHES } from '../../domain/axes.ts';
import { KERNEL_TREES, VersionString } from '../../domain/profiles.ts';

/** The shapes of rules.yaml and requirements.yaml; the TypeScript types are inferred. */

const Tri = z.enum(['y', 'm', 'n']);
const KSymbol = z.string().regex(/^[A-Z0-9_]+$/, { message: 'a Kconfig symbol without CONFIG_' });

export const Definition = z
  .object({
    since: VersionString.optional(),
    /** Exclusive: the first version the definition no longer applies to. */
    until: VersionString.optional(),
    trees: z.array(z.enum(KERNEL_TREES)).min(1).optional(),
    arches: z.array(z.enum(ARCHES)).min(1).optional(),
    type: z.enum(['bool', 'tristate']),
    prompt: z.string().optional(),
    visibleIf: z.string().optional(),
    parent: KSymbol.optional(),
    location: z.string(),
    depends: z.string().optional(),
    default: z.string().optional(),
    select: z.array(KSymbol).optional(),
    choice: z.string().optional(),
    source: z.string(),
    verified: z.boolean(),
    note: z.string().optional(),
  })
  .strict();
export type Definition = z.infer<typeof Definition>;

export const Rules = z
  .object({
    schema: z.literal('pvmatrix/kconfig-rules@1'),
    sources: z.record(z.string(), z.string()),
    arch: z.record(z.enum(ARCHES), z.record(KSymbol, Tri)),
    environment: z.record(KSymbol, z.object({ value: Tri, why: z.string() }).strict()),
    choices: z.record(z.string(), z.object({ prompt: z.string(), location: z.string(), default: z.string() }).strict()),
    typical: z.record(KSymbol, Tri),
    options: z.record(KSymbol, z.array(Definition).min(1)),
  })
  .strict();
export type Rules = z.infer<typeof Rules>;

export const Requirement = z
  .object({
    option: KSymbol,
    need: z.enum(['y', 'm', 'ym']).default('ym'),
    ifExists: z.boolean().optional(),
    trees: z.array(z.enum(KERNEL_TREES)).optional(),
    why: z.string(),
    source: z.string(),
  })
  .strict();
export type Requirement = z.infer<typeof Requirement>;

const Note = z.object({ text: z.string(), source: z.string(), trees: z.array(z.enum(KERNEL_TREES)).optional() }).strict();

export const Requirements = z
  .object({
    schema: z.literal('pvmatrix/kconfig-requirements@1'),
    roles: z
      .object({
        domU: z.array(Requirement),
        dom0: z.array(Requirement),
        implies: z.object({ domU: z.array(z.string()), dom0: z.array(z.string()) }).strict(),
      })
      .strict(),
    features: z.record(z.string().regex(/^[a-z0-9-]+$/), z.array(Requirement).min(1)),
    notes: z.record(z.string(), z.array(Note)),
  })
  .strict();
export type Requirements = z.infer<typeof Requirements>;
