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
 * `pvmatrix run ...` as a user runs it, in a child process under /usr/bin/time (for its
 * peak RSS): the whole thing, from Node's start to the last file renamed into place.
 */
export async function timedRun(args: string[]): Promise<CliRun> {
  const out = mkdtempSync(join(tmpdir(), 'pvmatrix-bench-out-'));
  const time = existsSync('/usr/bin/time');
  const cmd = [process.execPath, join(ROOT, 'bin', 'pvmatrix.js'), 'run', '--out', out, '--quiet', ...args];
  const t0 = performance.now();
  const child = time ? spawn('/usr/bin/time', ['-f', 'PEAK_RSS_KB=%M CPU=%U+%S', ...cmd], { cwd: ROOT }) : spawn(cmd[0]!, cmd.slice(1), { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  let peakKb = 0;
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const wallS = (performance.now() - t0) / 1000;
  peakKb = Number(/PEAK_RSS_KB=(\d+)/.exec(stderr)?.[1] ?? NaN);
  const cpu = /CPU=([\d.]+)\+([\d.]+)/.exec(stderr);
  const cpuS = cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN;
  rmSync(out, { recursive: true, force: true });
  const cells = Number(/^(\d+) cells:/m.exec(stdout)?.[1] ?? NaN);
  if (!(cells > 0)) throw new Error(`bench: pvmatrix run ${args.join(' ')} printed no summary (exit ${code}):\n${stderr.slice(-2000)}`);
  return { wallS, peakRssMb: peakKb / 1024, cpuS, cells, code, stdout, stderr };
}

export const load = (): string => `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
