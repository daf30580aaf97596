import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { JOURNAL_FILE } from '../results/journal.ts';
import { fileLines } from '../results/lines.ts';

/** At most this many cells are moved to the front (the rest keep the matrix order). */
const MAX_FAILED = 10_000;
const MAX_SLOW = 1_000;
/** Cells quicker than this gain nothing from going first. */
const SLOW_MS = 100;

/**
 * The order hints a previous run in DIR leaves behind (its results.json and journal):
 * cells that failed or broke go first (you want to know soonest whether they still do),
 * then the slowest (started early, they do not hold up the end of a wide run). Returns
 * id -> rank, higher first; empty when DIR holds no previous run.
 */
export function previousPriorities(outDir: string): Map<string, number> {
  const bad: { id: string; ms: number }[] = [];
  const slow: { id: string; ms: number }[] = [];
  const seen = new Set<string>();
  for (const file of [JOURNAL_FILE, 'results.json']) {
    const path = join(outDir, file);
    if (!existsSync(path)) continue;
    try {
      for (const { line } of fileLines(path)) {
        // results.json keeps one cell per line, as the journal does.
        if (!line.startsWith('{"id":')) continue;
        let c: { id?: unknown; status?: unknown; durationMs?: unknown };
        try {
          c = JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line);
        } catch {
          continue;
        }
        if (typeof c.id !== 'string' || seen.has(c.id)) continue;
        seen.add(c.id);
        const ms = typeof c.durationMs === 'number' ? c.durationMs : 0;
        if (c.status === 'failed' || c.status === 'broken') {
          if (bad.length < MAX_FAILED) bad.push({ id: c.id, ms });
        } else if (ms >= SLOW_MS) slow.push({ id: c.id, ms });
      }
    } catch {
      // An unreadable previous run only costs the ordering.
    }
  }
  const out = new Map<string, number>();
  slow.sort((a, b) => b.ms - a.ms);
  for (const s of slow.slice(0, MAX_SLOW)) out.set(s.id, 1 + s.ms / 1e9);
  for (const b of bad) out.set(b.id, 2 + b.ms / 1e9);
  return out;
}
