import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { temporaryOwner } from '../../lib/atomic-write.ts';

/**
 * Temporary files the writers leave in DIR while a run is going (named by lib/atomic-write.ts:
 * `.results.json.cells-PID`, `.allure-results.tmp-PID`, `.junit.xml.body-PID`...): a run killed
 * with -9 cannot remove its own, so the next run in DIR (typically `--resume`) removes those of
 * processes that no longer exist. Files of a live process (another run in the same DIR) are left alone.
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
    const pid = temporaryOwner(name);
    if (pid === undefined || pid === process.pid || alive(pid)) continue;
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
