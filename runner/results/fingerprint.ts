import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Spec } from '../load/model.ts';

/**
 * What a run ran on, as two short hashes: the matrix (the matrix file and every scenario
 * file, byte for byte) and the selection (the options that pick cells, plus the backend).
 * A journal is resumed, and shards are merged, only when these agree.
 */
export function matrixHash(spec: Spec): string {
  const h = createHash('sha256');
  const files = [spec.matrixFile, ...new Set(spec.scenarios.map((s) => s.file))];
  for (const f of files) {
    h.update(f === spec.matrixFile ? '' : f.split('/').pop()!);
    h.update('\0');
    try {
      h.update(readFileSync(f));
    } catch {
      h.update('(unreadable)');
    }
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

export interface SelectionKey {
  filter?: readonly string[];
  scenario?: readonly string[];
  grep?: string;
  shard?: string;
  backend: string;
  baseline?: string;
}

/** A readable, canonical form of the selection: the same cells are picked iff it is equal. */
export function selectionKey(s: SelectionKey): string {
  const parts = [`backend=${s.backend}`];
  if (s.filter?.length) parts.push(`filter=${[...s.filter].sort().join(';')}`);
  if (s.scenario?.length)
    parts.push(
      `scenario=${s.scenario
        .flatMap((x) => x.split(','))
        .map((x) => x.trim())
        .sort()
        .join(',')}`,
    );
  if (s.grep !== undefined) parts.push(`grep=${s.grep}`);
  if (s.shard !== undefined) parts.push(`shard=${s.shard}`);
  if (s.baseline !== undefined) parts.push(`baseline=${s.baseline}`);
  return parts.join(' ');
}
