import { closeSync, existsSync, fdatasyncSync, ftruncateSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CellResult } from '../../contracts/result.ts';
import { UserError } from '../../contracts/errors.ts';
import { fileLines } from '../../lib/lines.ts';
import { temporaryName } from '../../lib/atomic-write.ts';

export const JOURNAL_SCHEMA = 'pvmatrix/journal@1';
export const JOURNAL_FILE = 'journal.jsonl';

/** The journal's first line: what the run was, so that --resume can refuse another one. */
export interface JournalHeader {
  journal: typeof JOURNAL_SCHEMA;
  matrix: string;
  matrixHash: string;
  selection: string;
  started: string;
}

/** Buffered writes reach the file at least this often (a kill -9 loses at most this much work). */
const FLUSH_MS = 200;
/** ...and the disk at least this often (a power cut loses at most this much). */
const SYNC_MS = 1000;
const FLUSH_BYTES = 1 << 16;

/**
 * DIR/journal.jsonl: one CellResult per line, appended as cells finish. It is what survives
 * a kill -9 or a power cut: `run --resume` replays it and runs only the cells it lacks. A
 * line cut short by a crash is dropped (that cell runs again).
 */
export class Journal {
  private buffer = '';
  private timer?: ReturnType<typeof setInterval>;
  private lastSync = Date.now();

  private constructor(
    readonly path: string,
    private fd: number,
  ) {
    this.timer = setInterval(() => this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  /** A new journal for a fresh run (replacing any old one). */
  static create(outDir: string, header: JournalHeader): Journal {
    const path = join(outDir, JOURNAL_FILE);
    const tmp = temporaryName(path);
    const fd = openSync(tmp, 'w');
    writeSync(fd, `${JSON.stringify(header)}\n`);
    fdatasyncSync(fd);
    renameSync(tmp, path);
    return new Journal(path, fd);
  }

  /**
   * The journal of an interrupted run, checked against this one; returns it ready to
   * append, and the ids it already holds.
   */
  static resume(outDir: string, header: JournalHeader): { journal: Journal; done: Set<string> } {
    const path = join(outDir, JOURNAL_FILE);
    if (!existsSync(path)) throw new UserError(`--resume: ${path}: no journal to resume (run without --resume to start afresh)`);
    const done = new Set<string>();
    let keep = 0;
    let first = true;
    for (const { line, end, torn } of fileLines(path)) {
      if (torn) break;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        // A line garbled by a crash: what follows it cannot be trusted to be whole either.
        break;
      }
      if (first) {
        checkHeader(path, value, header);
        first = false;
      } else {
        const id = (value as { id?: unknown })?.id;
        if (typeof id !== 'string') break;
        done.add(id);
      }
      keep = end;
    }
    if (first)
      throw new UserError(`--resume: ${path}: the journal is empty or not a pvmatrix journal (run without --resume to start afresh)`);
    const fd = openSync(path, 'r+');
    ftruncateSync(fd, keep);
    closeSync(fd);
    return { journal: new Journal(path, openSync(path, 'a')), done };
  }

  add(result: CellResult): void {
    this.buffer += `${JSON.stringify(result)}\n`;
    if (this.buffer.length >= FLUSH_BYTES) this.flush();
  }

  flush(): void {
    if (this.fd < 0) return;
    if (this.buffer) {
      writeSync(this.fd, this.buffer);
      this.buffer = '';
    }
    const now = Date.now();
    if (now - this.lastSync >= SYNC_MS) {
      fdatasyncSync(this.fd);
      this.lastSync = now;
    }
  }

  close(): void {
    if (this.fd < 0) return;
    clearInterval(this.timer);
    if (this.buffer) writeSync(this.fd, this.buffer);
    this.buffer = '';
    fdatasyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
  }
}

/** The journal's result lines as written (the header and a line cut short by a crash left out). */
export function* journalCellLines(path: string): Generator<string> {
  let header = true;
  for (const { line, torn } of fileLines(path)) {
    if (!header && !torn) yield line;
    header = false;
  }
}

/** The results a journal holds, in the order they were written, each id once (the first). */
export function* journalResults(path: string): Generator<CellResult> {
  const seen = new Set<string>();
  let first = true;
  for (const { line, torn } of fileLines(path)) {
    if (torn) return;
    if (first) {
      first = false;
      continue;
    }
    let r: CellResult;
    try {
      r = JSON.parse(line) as CellResult;
    } catch {
      return;
    }
    if (typeof r?.id !== 'string') return;
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    yield r;
  }
}

function checkHeader(path: string, value: unknown, want: JournalHeader): void {
  const h = value as Partial<JournalHeader> | null;
  if (h?.journal !== JOURNAL_SCHEMA)
    throw new UserError(`--resume: ${path}: not a pvmatrix journal (expected "journal": "${JOURNAL_SCHEMA}" on the first line)`);
  if (h.matrixHash !== want.matrixHash) {
    throw new UserError(
      `--resume: ${path}: the journal belongs to a different matrix (${h.matrix} as it was at ${h.started}; the matrix or its scenario files have changed since); run without --resume to start afresh`,
    );
  }
  if (h.selection !== want.selection) {
    throw new UserError(
      `--resume: ${path}: the journal belongs to a different selection:\n  journal: ${h.selection}\n  now:     ${want.selection}\ngive the same options as the interrupted run, or run without --resume to start afresh`,
    );
  }
}
