import type { Domain } from '../runner/spec/domain.ts';
import { CLOSED_AXES } from './axes.ts';
import { KernelProfile, XenProfile } from './profiles.ts';
import { StepSchema, normaliseStep } from './steps.ts';

const RELEASE_LIKE = /^\d+(\.\d+)+$/;

/** pvmatrix's domain: Xen builds and Linux kernels, and the pv-ops scenario language. */
export const xenDomain: Domain = {
  closedAxes: CLOSED_AXES,
  profileSchemas: { xen: XenProfile, kernel: KernelProfile },
  implicitProfile(axis, value) {
    // `xen: ["3.4", "4.0"]` needs no profiles: a bare release number describes an upstream build.
    if (axis === 'xen' && RELEASE_LIKE.test(value)) return { version: value };
    if (axis === 'kernel' && RELEASE_LIKE.test(value)) return { version: value, tree: 'mainline' };
    return undefined;
  },
  stepSchema: StepSchema,
  normaliseStep: (step) => normaliseStep(StepSchema.parse(step)),
  versionOf(_axis, value, profile) {
    const v = (profile as { version?: unknown } | undefined)?.version;
    return typeof v === 'string' ? v : RELEASE_LIKE.test(value) ? value : undefined;
  },
};
