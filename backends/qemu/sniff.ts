import { readFileSync, statSync } from 'node:fs';
import { kernelFileFacts, type KernelFileFacts } from '../../emulator/images/kernel-file.ts';

/**
 * Just enough of a kernel file to pick QEMU flags and say "cannot run": the image layer's
 * reading (emulator/images/kernel-file.ts), kept per version of the file, since cannotRun
 * asks for every cell and synchronously.
 */
const known = new Map<string, { version: string; facts: KernelFileFacts }>();

export function sniffKernel(path: string): KernelFileFacts {
  const st = statSync(path);
  const version = `${st.size}:${st.mtimeMs}`;
  const hit = known.get(path);
  if (hit?.version === version) return hit.facts;
  const facts = kernelFileFacts(readFileSync(path), path);
  known.set(path, { version, facts });
  return facts;
}
