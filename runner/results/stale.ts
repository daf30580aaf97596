import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Temporary files the writers leave in DIR while a run is going (`.results.json.PID.*`,
 * `.allure-results.tmp-PID`, `junit.xml.body-PID`, `*.tmp-PID`): a run killed with -9 cannot
 * remove its own, so the next run in DIR (typically `--resume`) removes those of processes
 * that no longer exist. Files of a live process (another run in the same DIR) are left alone.
 */
export function removeStaleTemporaries(outDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(outDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = /^\.results\.json\.(\d+)\.(?:cells|tmp)$|^\.allure-results\.(?:tmp|merge)-(\d+)$|\.body-(\d+)$|\.tmp-(\d+)$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1] ?? m[2] ?? m[3] ?? m[4]);
    if (pid === process.pid || alive(pid)) continue;
    rmSync(join(outDir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
