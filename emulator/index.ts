import type { Cell } from '../contracts/cell.ts';
import type { BackendResult } from '../contracts/result.ts';
import type { KernelProfile } from '../domain/profiles.ts';
import type { Arch, Compression, Format } from '../domain/axes.ts';
import { stepsOf } from '../domain/steps/normalise.ts';
import { KernelProfile as KernelProfileSchema, XenProfile as XenProfileSchema } from '../domain/profiles.ts';
import { interpret, type InterpretOptions } from './scenario/interpreter.ts';
import { kernelModelOf, xenBuildOf } from './profiles.ts';
import type { KernelModel } from './kernel/model.ts';
import type { XenBuild } from './xen/build.ts';

/**
 * The embedded emulator: Xen, its toolstack, xenstore and pv-ops Linux, modelled step by
 * step. `prepare` reads the images and builds one model per profile (the only I/O);
 * `run` is then pure and synchronous, one cell at a time.
 */
export class Emulator {
  // One model per profile: keyed by the profile object the runner shares between cells,
  // and by value id for cells that carry no profile.
  private xen = new Map<string, XenBuild | Error>();
  private kernels = new Map<string, KernelModel | Error>();
  private xenByProfile = new WeakMap<object, XenBuild | Error>();
  private kernelByProfile = new WeakMap<object, KernelModel | Error>();

  async prepare(cells: readonly Cell[]): Promise<void> {
    for (const cell of cells) {
      const x = cell.axes.xen;
      const xp = cell.profiles.xen;
      if (x !== undefined && (isObject(xp) ? !this.xenByProfile.has(xp) : !this.xen.has(x))) {
        const b = await xenBuildOf(x, XenProfileSchema.parse(xp ?? { version: x })).catch((e: unknown) => asError(e));
        if (isObject(xp)) this.xenByProfile.set(xp, b);
        if (!this.xen.has(x)) this.xen.set(x, b);
      }
      const k = cell.axes.kernel;
      const kp = cell.profiles.kernel;
      if (k !== undefined && (isObject(kp) ? !this.kernelByProfile.has(kp) : !this.kernels.has(k))) {
        const m = await kernelModelOf(k, KernelProfileSchema.parse(kp ?? { version: k }) as KernelProfile).catch((e: unknown) =>
          asError(e),
        );
        if (isObject(kp)) this.kernelByProfile.set(kp, m);
        if (!this.kernels.has(k)) this.kernels.set(k, m);
      }
    }
    // The effective Kconfig of each (kernel, arch) is solved here, once, not in `run`.
    for (const cell of cells) {
      const m = this.kernelOf(cell);
      if (m && !(m instanceof Error)) m.config((cell.axes.arch ?? 'x86_64') as Arch);
    }
  }

  private kernelOf(cell: Cell): KernelModel | Error | undefined {
    const a = cell.axes.kernel;
    const kp = cell.profiles.kernel;
    return a === undefined ? undefined : ((isObject(kp) ? this.kernelByProfile.get(kp) : undefined) ?? this.kernels.get(a));
  }

  /** The prepared model of a Xen value (for tests and `inspect`). */
  xenBuild(id: string): XenBuild | undefined {
    const b = this.xen.get(id);
    return b instanceof Error ? undefined : b;
  }

  kernel(id: string): KernelModel | undefined {
    const k = this.kernels.get(id);
    return k instanceof Error ? undefined : k;
  }

  /** Runs one prepared cell; `opts.decided` (optional) receives the fact of every decision it took. */
  run(cell: Cell, opts: InterpretOptions = {}): BackendResult {
    const started = performance.now();
    const a = cell.axes;
    const xp = cell.profiles.xen;
    const kernel = this.kernelOf(cell);
    const xen = a.xen === undefined ? undefined : ((isObject(xp) ? this.xenByProfile.get(xp) : undefined) ?? this.xen.get(a.xen));
    const broken = (reason: string): BackendResult => ({ outcome: 'broken', reason, facts: [], steps: [], transcript: [] });
    if (!kernel)
      return broken(`the cell has no kernel${a.kernel ? ` (${a.kernel} was not prepared: call prepare() with this cell first)` : ''}`);
    if (kernel instanceof Error) return broken(`kernel profile ${a.kernel}: ${kernel.message}`);
    if (xen instanceof Error) return broken(`Xen profile ${a.xen}: ${xen.message}`);
    if (a.xen !== undefined && !xen) return broken(`Xen ${a.xen} was not prepared: call prepare() with this cell first`);
    const result = interpret(
      {
        xen,
        kernel,
        format: (a.format ?? 'bzImage') as Format,
        compression: a.compression as Compression | undefined,
        arch: (a.arch ?? 'x86_64') as Arch,
        role: (a.role ?? 'domU') as 'dom0' | 'domU',
      },
      stepsOf(cell),
      a,
      opts,
    );
    result.durationMs = performance.now() - started;
    return result;
  }
}

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
