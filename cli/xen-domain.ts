import type { Domain } from '../contracts/domain.ts';
import { knowledge } from '../emulator/knowledge/index.ts';
import { CLOSED_AXES } from '../domain/axes.ts';
import { z } from 'zod';
import { KernelProfile, XenProfile } from '../domain/profiles.ts';
import { StepSchema } from '../domain/steps/schema.ts';
import { normaliseStep, stepsOf, unstoredNames } from '../domain/steps/normalise.ts';

const RELEASE_LIKE = /^\d+(\.\d+)+$/;

/** The release a known distro build (emulator/knowledge/xen-builds.yaml) is based on. */
function presetVersion(preset: unknown): string | undefined {
  return typeof preset === 'string' ? knowledge.builds[preset]?.version : undefined;
}

/** A Xen profile whose backports must name capabilities the emulator knows (a typo is a load error). */
const KnownXenProfile = XenProfile.extend({
  backports: z.array(z.enum([...knowledge.xen.keys()] as [string, ...string[]])).optional(),
});

/** pvmatrix's domain: Xen builds and Linux kernels, and the pv-ops scenario language. */
export const xenDomain: Domain = {
  closedAxes: CLOSED_AXES,
  profileSchemas: { xen: KnownXenProfile, kernel: KernelProfile },
  implicitProfile(axis, value) {
    // `xen: ["3.4", "4.0"]` needs no profiles: a bare release number describes an upstream build.
    if (axis === 'xen' && RELEASE_LIKE.test(value)) return { version: value };
    // A known distro build's id (`fedora11-3.3.1`) names its preset.
    if (axis === 'xen' && knowledge.builds[value]) return { preset: value };
    if (axis === 'kernel' && RELEASE_LIKE.test(value)) return { version: value, tree: 'mainline' };
    return undefined;
  },
  stepSchema: StepSchema,
  normaliseStep,
  checkSteps: (steps) => unstoredNames(stepsOf({ steps })),
  versionOf(_axis, value, profile) {
    const p = profile as { version?: unknown; preset?: unknown } | undefined;
    if (typeof p?.version === 'string') return p.version;
    return presetVersion(p?.preset) ?? (RELEASE_LIKE.test(value) ? value : undefined);
  },
  nameOf(_axis, _value, profile) {
    // a distro build's preset has the name its packagers gave it ("Fedora 10 Xen 3.3.0")
    const p = profile as { name?: unknown; preset?: unknown } | undefined;
    if (typeof p?.name === 'string') return p.name;
    return typeof p?.preset === 'string' ? knowledge.builds[p.preset]?.name : undefined;
  },
};
