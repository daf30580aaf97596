import { readFileSync } from 'node:fs';
import { parseGrub2 } from './grub2.ts';
import { parseGrubLegacy } from './legacy.ts';
import { type BootEntry, GrubError } from './types.ts';

export * from './types.ts';
export { parseGrubLegacy } from './legacy.ts';
export { parseGrub2 } from './grub2.ts';
export { xenFromName, kernelFromName } from './names.ts';
export { parseCmdline, xenSummary, kernelSummary } from './cmdline.ts';

/** GRUB 2 if the file has menuentry blocks (or is named *.cfg), GRUB legacy otherwise. */
export function grubSyntax(text: string, file: string): 'grub2' | 'grub-legacy' {
  if (/^\s*(menuentry|submenu)\s/m.test(text)) return 'grub2';
  if (/^\s*title\s/m.test(text)) return 'grub-legacy';
  return file.endsWith('.cfg') ? 'grub2' : 'grub-legacy';
}

/** Every boot entry of a grub.conf/menu.lst or grub.cfg text; GrubError lists every problem. */
export function parseGrub(text: string, file: string): BootEntry[] {
  const { entries, errors } = grubSyntax(text, file) === 'grub2' ? parseGrub2(text, file) : parseGrubLegacy(text, file);
  if (errors.length > 0) throw new GrubError([...errors].sort((a, b) => a.line - b.line));
  if (entries.length === 0) throw new GrubError([{ file, line: 1, message: 'no boot entries (no title or menuentry)' }]);
  return entries;
}

export function readGrubFile(file: string): BootEntry[] {
  return parseGrub(readFileSync(file, 'utf8'), file);
}
export { grubMatrix, REPO_SCENARIOS, type GrubMatrix, type GrubMatrixOptions } from './matrix.ts';
export { describeEntry } from './describe.ts';
export { compressionOf } from './compression.ts';
