import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Every file and folder pvmatrix writes appears whole or not at all: it is written under a
 * temporary name beside its final one, then renamed over it. This module owns those names, so
 * that a run killed with -9 can have its leftovers found by the next one (runner/results/stale.ts)
 * without a list of every writer's habits. The name carries the writing process's id: the
 * leftovers of a live process (another run in the same folder) are told apart from a dead one's.
 *
 * write-file-atomic is not used: its temporary names carry a hash, not the process id, and
 * most writers here stream (results.json, junit.xml) or fill a folder (allure-results/).
 */

/** What a temporary holds: the file being written, or a part a streaming writer joins at the end. */
export type TemporaryRole = 'tmp' | 'cells' | 'body' | 'old' | 'merge';

const TEMPORARY = /^\.(.+)\.(tmp|cells|body|old|merge)-(\d+)$/;

/** The temporary name of `path` for this process: DIR/.NAME.ROLE-PID (hidden, beside it). */
export function temporaryName(path: string, role: TemporaryRole = 'tmp', pid = process.pid): string {
  return join(dirname(path), `.${basename(path)}.${role}-${pid}`);
}

/** The process that owns a temporary file name (a name, not a path), or undefined if it is not one. */
export function temporaryOwner(name: string): number | undefined {
  const m = TEMPORARY.exec(name);
  return m ? Number(m[3]) : undefined;
}

/** Writes `data` to `path` through its temporary name; on failure the temporary is removed. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = temporaryName(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = temporaryName(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
