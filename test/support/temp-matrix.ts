import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';

/**
 * Writes files (path -> text) into a fresh temp dir, removed when the test file ends.
 * Returns the dir. Text is dedented so YAML can be written inline in tests.
 */
export function writeTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pvmatrix-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, dedent(text));
  }
  return dir;
}

export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** A scenario that needs nothing special: one boot step. */
export const BOOT_SCENARIO = `
id: boot
feature: boot
steps:
  - boot: {}
`;

/**
 * A small matrix of the emulator's own versions (3 Xen x 2 kernels x 2 formats x 2 roles)
 * for tests that run it whole and in shards; `extraExpect` appends expect rules (YAML lines
 * indented as list items under `expect:`).
 */
export function smallMatrix(name: string, extraExpect = ''): string {
  return `
name: ${name}
axes:
  xen: ["3.4", "4.0", "4.17"]
  kernel: ["2.6.32", "6.1"]
  format: [bzImage, vmlinux]
  role: [dom0, domU]
expect:
  - when: { xen: "3.4", kernel: "6.1" }
    outcome: unsupported
${extraExpect}`;
}
