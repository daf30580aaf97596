import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The default matrix with one synthetic axis `rep` of `n` values added: n times the cells,
 * every one a real emulated cell (the emulator ignores the axis), for the growth curve.
 * Returns the path of the temporary matrix.yaml (scenarios copied beside it).
 */
export function scaledMatrix(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), `pvmatrix-bench-x${n}-`));
  cpSync(join(ROOT, 'scenarios'), join(dir, 'scenarios'), { recursive: true });
  const text = readFileSync(join(ROOT, 'matrix.yaml'), 'utf8');
  const reps = Array.from({ length: n }, (_, i) => `r${i + 1}`).join(', ');
  const scaled = text.replace(/^ {2}role: \[dom0, domU\]\n/m, (m) => `${m}  rep: [${reps}]\n`);
  if (scaled === text) throw new Error('bench: matrix.yaml has no `role: [dom0, domU]` line to add the rep axis after');
  writeFileSync(join(dir, 'matrix.yaml'), scaled);
  return join(dir, 'matrix.yaml');
}
