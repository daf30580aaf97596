import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { JOURNAL_FILE } from '../results/journal.ts';
import { fileLines } from '../../lib/lines.ts';

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
  // The journal holds every cell results.json does (and more, after an interruption).
  const file = [JOURNAL_FILE, 'results.json'].map((f) => join(outDir, f)).find((f) => existsSync(f));
  if (!file) return new Map();
  try {
    for (const { line } of fileLines(file)) {
      // One cell per line in both files. Only three fields are needed, so the line is not
      // parsed whole (a previous run of 100,000 cells would cost seconds): the keys come in
      // CellResult order, `status` before the steps (which have their own) and `durationMs`
      // after them; a raw `"key":` cannot occur inside a JSON string.
      if (!line.startsWith('{"id":"')) continue;
      const id = idOf(line);
      if (id === undefined || seen.has(id)) continue;
      seen.add(id);
      const status = /"status":"(\w+)"/.exec(line)?.[1];
      const at = line.lastIndexOf('"durationMs":');
      const ms = at < 0 ? 0 : parseFloat(line.slice(at + 13, at + 40));
      if (status === 'failed' || status === 'broken') {
        if (bad.length < MAX_FAILED) bad.push({ id, ms });
      } else if (ms >= SLOW_MS) slow.push({ id, ms });
    }
  } catch {
    // An unreadable previous run only costs the ordering.
  }
  const out = new Map<string, number>();
  slow.sort((a, b) => b.ms - a.ms);
  for (const s of slow.slice(0, MAX_SLOW)) out.set(s.id, 1 + s.ms / 1e9);
  for (const b of bad) out.set(b.id, 2 + b.ms / 1e9);
  return out;
}

function idOf(line: string): string | undefined {
  const m = /^\{"id":("(?:[^"\\]|\\.)*")/.exec(line);
  if (!m) return undefined;
  try {
    return JSON.parse(m[1]!) as string;
  } catch {
    return undefined;
  }
}
