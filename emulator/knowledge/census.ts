/**
 * How the emulator's facts are known, counted over every knowledge file (the Xen and Linux
 * history in emulator/knowledge/, the Kconfig rules in emulator/kconfig/), whatever their
 * schema: a fact is any entry that names its `source` or says how it is known (`evidence`,
 * `verified`, `unverified`). Read from the YAML as written, so a file added or reshaped by
 * another change is counted without touching this one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** verified: evidence was looked at; unverified: could not be checked, says why; unchecked: neither. */
export type FactStatus = 'verified' | 'unverified' | 'unchecked';

export interface FactEntry {
  /** Repository-relative file. */
  file: string;
  /** Where in the file: `capabilities.3` or, with an id, `capabilities[hv.dom0.bzimage]`. */
  at: string;
  status: FactStatus;
  /** The unverified reason, when there is one. */
  why?: string;
}

export const KNOWLEDGE_DIRS = ['emulator/knowledge', 'emulator/kconfig'] as const;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function statusOf(f: Record<string, unknown>): FactStatus {
  const evidence = Array.isArray(f.evidence) && f.evidence.length > 0;
  if (f.verified === true && evidence) return 'verified';
  if (f.verified === false && typeof f.unverified === 'string') return 'unverified';
  return 'unchecked';
}

const isFact = (f: Record<string, unknown>) => typeof f.source === 'string' || 'evidence' in f || 'verified' in f || 'unverified' in f;

function walk(node: unknown, at: string, file: string, out: FactEntry[]): void {
  if (Array.isArray(node)) {
    node.forEach((n, i) => {
      const id = n && typeof n === 'object' && typeof (n as { id?: unknown }).id === 'string' ? (n as { id: string }).id : undefined;
      walk(n, id ? `${at}[${id}]` : `${at}.${i}`, file, out);
    });
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const f = node as Record<string, unknown>;
  if (isFact(f)) {
    const status = statusOf(f);
    out.push({ file, at, status, ...(typeof f.unverified === 'string' ? { why: f.unverified } : {}) });
  }
  // A fact may hold facts (a preset's backports); its evidence is not one.
  for (const [k, v] of Object.entries(f)) if (k !== 'evidence') walk(v, at ? `${at}.${k}` : k, file, out);
}

/** Every fact of every knowledge file, in file order. */
export function factCensus(root = repoRoot): FactEntry[] {
  const out: FactEntry[] = [];
  for (const dir of KNOWLEDGE_DIRS) {
    for (const name of readdirSync(`${root}/${dir}`)
      .filter((n) => n.endsWith('.yaml'))
      .sort()) {
      const file = `${dir}/${name}`;
      walk(parse(readFileSync(`${root}/${file}`, 'utf8')), '', file, out);
    }
  }
  return out;
}

export interface CensusCounts {
  facts: number;
  verified: number;
  unverified: number;
  unchecked: number;
  byFile: Record<string, { facts: number; verified: number; unverified: number; unchecked: number }>;
}

export function countFacts(entries: readonly FactEntry[]): CensusCounts {
  const zero = () => ({ facts: 0, verified: 0, unverified: 0, unchecked: 0 });
  const total = { ...zero(), byFile: {} as CensusCounts['byFile'] };
  for (const e of entries) {
    const f = (total.byFile[e.file] ??= zero());
    for (const c of [total, f]) {
      c.facts++;
      c[e.status]++;
    }
  }
  return total;
}
