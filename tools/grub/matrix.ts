import { existsSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Arch, Compression, Format } from '../../domain/axes.ts';
import type { KernelProfile, XenProfile } from '../../domain/profiles.ts';
import type { BootEntry } from './types.ts';

/** The repository's scenarios folder, which generated matrices use. */
export const REPO_SCENARIOS = fileURLToPath(new URL('../../scenarios/', import.meta.url));

export interface GrubMatrix {
  /** The matrix.yaml content (per docs/matrix-format.md), ready for YAML. */
  matrix: Record<string, unknown>;
  /** Entries left out, with the reason. */
  skipped: { entry: BootEntry; reason: string }[];
}

/**
 * A matrix whose cells are the Xen boot entries: one Xen profile per hypervisor image and
 * command line, one kernel profile per dom0 kernel and command line, role dom0, and an
 * `include` per entry so that only the pairs the boot file really has become cells.
 * Image and config paths are kept when the files exist here (as written, or under /boot,
 * where a separate boot partition is mounted), so that the emulator reads the real files.
 */
export interface GrubMatrixOptions {
  matrixFile: string;
  arch: Arch;
  /** The boot file the entries come from (named in reasons and sources). */
  from: string;
  scenariosDir?: string;
  /**
   * The payload compression of a bzImage kernel profile (from its .config, or what a build
   * of that version would use); the cells of a bzImage carry it on the compression axis.
   */
  compressionOf?: (kernel: KernelProfile) => Compression;
}

export function grubMatrix(entries: readonly BootEntry[], opts: GrubMatrixOptions): GrubMatrix {
  const skipped: GrubMatrix['skipped'] = [];
  const xen = new Map<string, XenProfile & { key: string }>();
  const kernel = new Map<string, KernelProfile & { key: string }>();
  const formats = new Set<Format>();
  const compressions = new Set<Compression>();
  const include: { when: Record<string, string>; reason: string }[] = [];
  const idFor = <T extends { key: string }>(map: Map<string, T>, base: string, key: string): string | undefined => {
    for (const [id, p] of map) if (p.key === key) return id;
    let id = base.replace(/[^A-Za-z0-9._+-]/g, '_');
    for (let n = 2; map.has(id); n++) id = `${base}-${n}`;
    return id;
  };
  for (const e of entries) {
    const where = `${basename(opts.from)}:${e.line}`;
    if (e.kind !== 'xen' || !e.xen || !e.kernel) {
      skipped.push({ entry: e, reason: e.kind === 'native' ? 'a native boot, not a Xen entry' : e.notes.join('; ') || 'not a Xen entry' });
      continue;
    }
    if (e.xen.version === undefined || e.kernel.version === undefined) {
      skipped.push({
        entry: e,
        reason:
          e.xen.version === undefined
            ? `the Xen version cannot be told from ${e.xen.path}`
            : `the kernel version cannot be told from ${e.kernel.path}`,
      });
      continue;
    }
    const xenKey = `${e.xen.path}\n${e.xen.cmdline}`;
    const xenId = idFor(xen, basename(e.xen.path).replace(/\.gz$/, ''), xenKey)!;
    if (!xen.has(xenId)) {
      const image = existing(e.xen.path);
      xen.set(xenId, {
        key: xenKey,
        version: e.xen.version,
        name: `${basename(e.xen.path)}${e.xen.cmdline ? ` ${e.xen.cmdline}` : ''}`,
        ...(e.xen.cmdline ? { cmdline: e.xen.cmdline } : {}),
        ...(image ? { image } : {}),
        source: `${where}: ${e.xen.path}`,
      });
    }
    const kKey = `${e.kernel.path}\n${e.kernel.cmdline}`;
    const kId = idFor(kernel, e.kernel.release ?? basename(e.kernel.path), kKey)!;
    if (!kernel.has(kId)) {
      const image = existing(e.kernel.path);
      const config = image && e.kernel.release ? existing(join(dirname(image), `config-${e.kernel.release}`)) : undefined;
      kernel.set(kId, {
        key: kKey,
        version: e.kernel.version,
        tree: e.kernel.tree ?? 'mainline',
        name: `${basename(e.kernel.path)}${e.kernel.cmdline ? ` ${e.kernel.cmdline}` : ''}`,
        ...(e.kernel.cmdline ? { cmdline: e.kernel.cmdline } : {}),
        ...(image ? { image } : {}),
        ...(config ? { config } : {}),
        source: `${where}: ${e.kernel.path}`,
      });
    }
    const format = e.kernel.format ?? 'bzImage';
    formats.add(format);
    const when: Record<string, string> = { xen: xenId, kernel: kId, format };
    if (format === 'bzImage') {
      const c = opts.compressionOf?.(kernel.get(kId)!) ?? 'gzip';
      compressions.add(c);
      when.compression = c;
    }
    include.push({ when, reason: `${where}: ${e.title}` });
  }
  const strip = <T extends { key: string }>(m: Map<string, T>) => Object.fromEntries([...m].map(([id, { key: _key, ...p }]) => [id, p]));
  const scenarios = relative(dirname(opts.matrixFile), opts.scenariosDir ?? REPO_SCENARIOS) || '.';
  const matrix = {
    schema: 'pvmatrix/matrix@1',
    name: `boot entries of ${basename(opts.from)}`,
    scenarios: scenarios.endsWith('/') ? scenarios : `${scenarios}/`,
    axes: {
      xen: [...xen.keys()],
      kernel: [...kernel.keys()],
      format: [...formats],
      ...(compressions.size > 0 ? { compression: { values: [...compressions], when: { format: 'bzImage' } } } : {}),
      arch: [opts.arch],
      role: ['dom0'],
    },
    profiles: { xen: strip(xen), kernel: strip(kernel) },
    include,
  };
  return { matrix, skipped };
}

/** The path of a boot file's image on this machine, or undefined. */
function existing(path: string): string | undefined {
  for (const p of [path, join('/boot', path)]) if (p.startsWith('/') && existsSync(p)) return p;
  return undefined;
}
