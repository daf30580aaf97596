/**
 * Evidence for a fact, in the team's shared format (one for every knowledge file): where it
 * was looked at, a file at a tag or a commit with the first tag that contains it, or a file
 * of an installed distro package, and what was seen there. A fact is `verified: true` only
 * with evidence; a fact nobody could check says so, and why, in `unverified`.
 */
import { z } from 'zod';

/** A look into a git repository: `ref` (a tag or branch) and/or `commit`, optionally a `path`. */
const RepoEvidence = z
  .object({
    repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { message: 'owner/name of the repository looked at' }),
    ref: z.string().min(1).optional(),
    commit: z
      .string()
      .regex(/^[0-9a-f]{7,40}$/, { message: 'a commit is 7 to 40 hex digits' })
      .optional(),
    path: z.string().min(1).optional(),
    /** The first release tag that contains `commit`. */
    firstTag: z.string().min(1).optional(),
    saw: z.string().min(3),
  })
  .strict()
  .refine((e) => e.ref !== undefined || e.commit !== undefined, { message: 'evidence in a repository needs a ref or a commit' })
  .refine((e) => e.firstTag === undefined || e.commit !== undefined, { message: 'firstTag is the first tag containing a commit' });

/** A look at a file a distro package installs (never a package version: that changes). */
const PackageEvidence = z
  .object({
    package: z.string().regex(/^[a-z0-9][a-z0-9+.-]+$/, { message: 'a package name' }),
    distro: z.string().min(3),
    path: z.string().min(1),
    saw: z.string().min(3),
  })
  .strict();

export const Evidence = z.union([RepoEvidence, PackageEvidence]);
export type Evidence = z.infer<typeof Evidence>;

/** The fields every fact carries about how it is known. */
export const Verification = {
  evidence: z.array(Evidence).min(1).optional(),
  verified: z.boolean(),
  /** Why the fact could not be checked against its primary source. */
  unverified: z.string().min(10).optional(),
};

export type Verified = { verified: boolean; evidence?: readonly Evidence[]; unverified?: string };

/** verified: true needs evidence; verified: false needs the reason. Use with superRefine. */
export function checkVerification(f: Verified, ctx: z.RefinementCtx): void {
  if (f.verified && !f.evidence?.length) ctx.addIssue({ code: 'custom', path: ['evidence'], message: 'verified: true needs evidence' });
  if (f.verified && f.unverified !== undefined)
    ctx.addIssue({ code: 'custom', path: ['unverified'], message: 'a verified fact has no unverified reason' });
  if (!f.verified && f.unverified === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['unverified'],
      message: 'verified: false needs an unverified reason (why it could not be checked)',
    });
}

/** One citation line from evidence: "xen/arch/x86/bzimage.c @ 3.4.0-rc3; commit e2b1ebf4de (3.4.0-rc1)". */
export function sourceOf(evidence: readonly Evidence[]): string {
  return evidence
    .map((e) =>
      'package' in e
        ? `${e.distro} package ${e.package}, file ${e.path}`
        : e.commit
          ? `commit ${e.commit}${e.firstTag ? ` (${e.firstTag})` : ''}${e.path ? ` ${e.path}` : ''}`
          : `${e.path ?? e.repo}${e.ref ? ` @ ${e.ref}` : ''}`,
    )
    .join('; ');
}
