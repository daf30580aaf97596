import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './scaled-matrix.ts';

export interface CliRun {
  wallS: number;
  peakRssMb: number;
  /** User + system CPU seconds of the run (every thread): steadier than wall time on a shared machine. */
  cpuS: number;
  cells: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Output folders are removed when the whole bench is done, not between runs: deleting tens
 * of thousands of files makes the next run's file creation measurably slower on these disks
 * (ext4 mounted with discard), which would charge one run for the previous one's cleanup.
 */
const leftovers: string[] = [];
export const removeLater = (dir: string): void => void leftovers.push(dir);
export function removeLeftovers(): void {
  for (const d of leftovers.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Where outputs go: the disk (the system's temp folder), or memory (tmpfs) to take the disk out of the figure. */
export type OutPlace = 'disk' | 'tmpfs';
export const TMPFS = '/dev/shm';

export interface Timed {
  wallS: number;
  peakRssMb: number;
  /** User + system CPU seconds (every thread and child). */
  cpuS: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A command in a child process under /usr/bin/time (for its peak RSS and CPU), timed from spawn to exit. */
export async function timedCommand(cmd: string[], env: NodeJS.ProcessEnv = process.env): Promise<Timed> {
  const time = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const child = time
    ? spawn('/usr/bin/time', ['-f', 'PEAK_RSS_KB=%M CPU=%U+%S', ...cmd], { cwd: ROOT, env })
    : spawn(cmd[0]!, cmd.slice(1), { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const wallS = (performance.now() - t0) / 1000;
  const peakKb = Number(/PEAK_RSS_KB=(\d+)/.exec(stderr)?.[1] ?? NaN);
  const cpu = /CPU=([\d.]+)\+([\d.]+)/.exec(stderr);
  return { wallS, peakRssMb: peakKb / 1024, cpuS: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN, code, stdout, stderr };
}

/**
 * `pvmatrix run ...` as a user runs it: the whole thing, from Node's start to the last file
 * renamed into place.
 */
export async function timedRun(args: string[], place: OutPlace = 'disk'): Promise<CliRun> {
  const out = mkdtempSync(join(place === 'tmpfs' ? TMPFS : tmpdir(), 'pvmatrix-bench-out-'));
  const r = await timedCommand([process.execPath, join(ROOT, 'bin', 'pvmatrix.js'), 'run', '--out', out, '--quiet', ...args]);
  removeLater(out);
  const cells = Number(/^(\d+) cells:/m.exec(r.stdout)?.[1] ?? NaN);
  if (!(cells > 0)) throw new Error(`bench: pvmatrix run ${args.join(' ')} printed no summary (exit ${r.code}):\n${r.stderr.slice(-2000)}`);
  return { ...r, cells };
}

export const load = (): string =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
