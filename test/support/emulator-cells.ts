/**
 * Cells for the emulator tests, built directly (the runner's loader is tested elsewhere):
 * a scenario from scenarios/*.yaml or inline steps, axes, and profiles from matrix.yaml's
 * profiles or the domain's implicit ones.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { xenDomain } from '../../cli/xen-domain.ts';
import type { Step } from '../../domain/steps/schema.ts';
import { normaliseStep } from '../../domain/steps/normalise.ts';
import { KernelProfile, XenProfile } from '../../domain/profiles.ts';
import { Platform } from '../../emulator/platform.ts';
import { kernelModelOf, xenBuildOf } from '../../emulator/profiles.ts';
import { Emulator } from '../../emulator/index.ts';
import type { Cell } from '../../contracts/cell.ts';
import type { BackendResult } from '../../contracts/result.ts';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const matrix = parse(readFileSync(root('matrix.yaml'), 'utf8')) as { profiles: Record<string, Record<string, unknown>> };

export function scenarioSteps(id: string): Step[] {
  const file = parse(readFileSync(root(`scenarios/${id}.yaml`), 'utf8')) as { steps: unknown[] };
  return file.steps.map(normaliseStep);
}

export function steps(raw: unknown[]): Step[] {
  return raw.map(normaliseStep);
}

/** A booted Linux 6.1 dom0 on Xen 4.17 (both modelled, no images), for tests that drive a Platform themselves. */
export async function bootedPlatform(): Promise<Platform> {
  const p = new Platform({
    xen: await xenBuildOf('4.17', XenProfile.parse({ version: '4.17' })),
    kernel: await kernelModelOf('6.1', KernelProfile.parse({ version: '6.1' })),
    format: 'bzImage',
    compression: 'gzip',
    arch: 'x86_64',
    role: 'dom0',
  });
  p.boot({});
  return p;
}

function profileOf(axis: 'xen' | 'kernel', value: string, extra?: Record<string, unknown>): unknown {
  const base = matrix.profiles[axis]?.[value] ?? xenDomain.implicitProfile(axis, value);
  if (!base) throw new Error(`no profile for ${axis}=${value}`);
  return xenDomain.profileSchemas[axis]!.parse({ ...(base as object), ...extra });
}

export interface CellSpec {
  xen?: string;
  kernel: string;
  format?: string;
  compression?: string;
  arch?: string;
  role?: string;
  scenario: string | Step[];
  /** Merged into the kernel profile (e.g. configOverrides). */
  kernelProfile?: Record<string, unknown>;
  xenProfile?: Record<string, unknown>;
}

export function makeCell(s: CellSpec): Cell {
  const axes: Record<string, string> = {};
  if (s.xen) axes.xen = s.xen;
  axes.kernel = s.kernel;
  axes.format = s.format ?? 'vmlinux';
  if ((s.format ?? 'vmlinux') === 'bzImage') axes.compression = s.compression ?? 'gzip';
  axes.arch = s.arch ?? 'x86_64';
  if (s.role !== undefined || s.xen) axes.role = s.role ?? 'domU';
  const scenario = typeof s.scenario === 'string' ? s.scenario : 'inline';
  const profiles: Record<string, unknown> = { kernel: profileOf('kernel', s.kernel, s.kernelProfile) };
  if (s.xen) profiles.xen = profileOf('xen', s.xen, s.xenProfile);
  const id = `${Object.entries(axes)
    .map(([k, v]) => `${k}=${v}`)
    .join('/')}/scenario=${scenario}${s.kernelProfile ? `+${JSON.stringify(s.kernelProfile)}` : ''}`;
  return {
    id,
    axes,
    scenario,
    feature: scenario,
    profiles,
    steps: typeof s.scenario === 'string' ? scenarioSteps(s.scenario) : s.scenario,
  };
}

/** Prepare and run each cell on a fresh emulator. */
export async function run(...specs: CellSpec[]): Promise<BackendResult[]> {
  const cells = specs.map(makeCell);
  const em = new Emulator();
  await em.prepare(cells);
  return cells.map((c) => em.run(c));
}

export async function run1(spec: CellSpec): Promise<BackendResult> {
  return (await run(spec))[0]!;
}

/** The facts' text and sources in one string, for matching. */
export function factText(r: BackendResult): string {
  return r.facts.map((f) => `${f.text} [${f.source}]`).join('\n');
}
