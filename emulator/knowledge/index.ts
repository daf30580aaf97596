/**
 * The emulator's knowledge: Xen and Linux history as data (the YAML files beside this one),
 * validated with zod when first imported. Mechanisms never test a version number
 * themselves; they ask `lookup` whether a capability holds and get back the deciding fact.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { VersionString, KERNEL_TREES } from '../../domain/profiles.ts';
import { inRange, compareVersions, type Version } from '../version.ts';
import { Verification, checkVerification, type Verified } from './evidence.ts';

const Tree = z.enum(KERNEL_TREES);

/**
 * A fact written before the team recorded evidence (no `evidence`, no `unverified` reason,
 * not claimed `verified: true`) reads as what it is: not checked against its primary source.
 * test/knowledge-evidence.test.ts holds the converted files to the full rule.
 */
export const UNCHECKED = 'no evidence recorded yet: not checked against its primary source';

function unchecked(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const f = raw as Record<string, unknown>;
  if ('evidence' in f || 'unverified' in f || f.verified === true) return f;
  return { ...f, verified: false, unverified: UNCHECKED };
}

/** A fact's schema: its own fields plus how it is known, checked together. */
function fact<T extends z.ZodRawShape>(shape: T) {
  return z.preprocess(
    unchecked,
    z
      .object({ ...shape, ...Verification })
      .strict()
      .superRefine((f, ctx) => checkVerification(f as Verified, ctx)),
  );
}

const CapEntry = fact({
  id: z.string().regex(/^[a-z0-9_.-]+$/),
  text: z.string().min(10),
  since: VersionString.optional(),
  until: VersionString.optional(),
  alsoFrom: z.array(VersionString).optional(),
  trees: z.array(Tree).optional(),
  value: z.union([z.string(), z.boolean()]).default(true),
  /** Capabilities that came in the same change, so a backport of this one carries them too. */
  brings: z.array(z.string()).optional(),
  source: z.string().min(3),
});
export type CapEntry = z.infer<typeof CapEntry>;

const Backport = fact({
  capability: z.string(),
  value: z.union([z.string(), z.boolean()]).default(true),
  text: z.string(),
  source: z.string(),
});

const XenBuildPreset = fact({
  name: z.string(),
  version: VersionString,
  source: z.string(),
  backports: z.array(Backport).default([]),
  build: z.object({ pv32: z.boolean().optional(), shadowPaging: z.boolean().optional() }).strict().optional(),
  dom0: z.string().optional(),
  image: z.string().optional(),
  config: z.string().optional(),
});
export type XenBuildPreset = z.infer<typeof XenBuildPreset>;

const XenFile = z
  .object({
    /** `ref`: the release tag, or where the repository has none the tag that stands for it. */
    releases: z.array(fact({ version: VersionString, ref: z.string(), date: z.string() })),
    capabilities: z.array(CapEntry),
  })
  .strict();

const LinuxFile = z
  .object({
    trees: z.record(Tree, z.object({ name: z.string(), pvops: z.boolean() }).strict()),
    capabilities: z.array(CapEntry),
  })
  .strict();

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

function load<T extends z.ZodType>(file: string, schema: T): z.infer<T> {
  const text = readFileSync(here(file), 'utf8');
  const r = schema.safeParse(parse(text));
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`emulator/knowledge/${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return r.data;
}

function byId(entries: CapEntry[], file: string): Map<string, CapEntry[]> {
  const m = new Map<string, CapEntry[]>();
  for (const e of entries) m.set(e.id, [...(m.get(e.id) ?? []), e]);
  for (const e of entries) {
    const unknown = (e.brings ?? []).filter((id) => !m.has(id));
    if (unknown.length) throw new Error(`emulator/knowledge/${file}: ${e.id} brings unknown capabilities: ${unknown.join(', ')}`);
  }
  return m;
}

/** The fact schemas, for tests of what they accept. */
export const factSchemas = { capability: CapEntry, preset: XenBuildPreset, backport: Backport };

const xenFile = load('xen.yaml', XenFile);
const linuxFile = load('linux.yaml', LinuxFile);

export const knowledge = {
  xenReleases: xenFile.releases,
  xen: byId(xenFile.capabilities, 'xen.yaml'),
  linux: byId(linuxFile.capabilities, 'linux.yaml'),
  trees: linuxFile.trees,
  builds: load('xen-builds.yaml', z.object({ builds: z.record(z.string(), XenBuildPreset) }).strict()).builds,
};

/** A fact as results carry it. */
export interface Fact {
  text: string;
  source: string;
  verified: boolean;
}

export function factOf(e: { text: string; source: string; verified: boolean }): Fact {
  return { text: e.text, source: e.source, verified: e.verified };
}

export interface Decision {
  has: boolean;
  value: string | boolean | undefined;
  /** The entry that decided: the one that matched, or the one that explains the absence. */
  fact: Fact;
  /** Decided by a build's backport rather than by its release's history. */
  backport?: true;
}

const PVOPS_TREES = ['mainline', 'distro', 'tip', 'xen.git'] as const;

function appliesTo(e: CapEntry, tree: string | undefined): boolean {
  if (tree === undefined) return true;
  return ((e.trees as readonly string[] | undefined) ?? PVOPS_TREES).includes(tree);
}

function holds(e: CapEntry, v: Version): boolean {
  if (inRange(v, e.since, e.until)) return true;
  // A backport to a point release of an older line (xz in 4.1.5): same line, at or after it.
  return (e.alsoFrom ?? []).some((p) => {
    const pp = p.split('.');
    return v.parts[0] === Number(pp[0]) && v.parts[1] === Number(pp[1]) && compareVersions(v, p) >= 0;
  });
}

/**
 * Does capability `id` hold at version `v` (of tree `tree`, for Linux)? The answer names
 * the deciding entry. Absent: the entry of that tree nearest above the version (it says
 * when the capability came), else the one that ended before it.
 */
export function lookup(table: Map<string, CapEntry[]>, id: string, v: Version, tree?: string): Decision {
  const entries = table.get(id);
  if (!entries) throw new Error(`emulator knowledge has no capability "${id}"`);
  const mine = entries.filter((e) => appliesTo(e, tree));
  // Later entries refine earlier ones (a value history: protocol 2.06, then 2.07, ...).
  for (let i = mine.length - 1; i >= 0; i--) {
    const e = mine[i]!;
    if (holds(e, v)) return { has: e.value !== false, value: e.value, fact: factOf(e) };
  }
  const later = mine
    .filter((e) => e.since !== undefined && compareVersions(v, e.since) < 0)
    .sort((a, b) => compareVersions(a.since!, b.since!));
  const explain = later[0] ?? mine[mine.length - 1] ?? entries[0]!;
  return { has: false, value: undefined, fact: factOf(explain) };
}
