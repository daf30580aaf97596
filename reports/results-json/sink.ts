import { closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CellResult } from '../../contracts/result.ts';
import { fileLines } from '../../runner/results/lines.ts';
import type { AxisInfo, ResultSink, RunInfo, Summary } from '../../contracts/sink.ts';

export const RESULTS_SCHEMA = 'pvmatrix/results@1';

/**
 * Writes DIR/results.json (contract pvmatrix/results@1) without holding the results in
 * memory: cells go to a temporary file as they finish; at the end the header (run, summary,
 * axes) is written, the cells copied after it, and the whole renamed into place, so a
 * reader never sees a half-written file and an interrupted run leaves the old one intact.
 */
export class ResultsJsonSink implements ResultSink {
  private readonly final: string;
  private readonly cellsTmp: string;
  private readonly fileTmp: string;
  private fd = -1;
  private buffer = '';
  private first = true;
  private axes: AxisInfo = [];
  /** When set, the cells are taken from this journal at the end instead of being written twice. */
  private journal?: string;

  constructor(outDir: string) {
    this.final = join(outDir, 'results.json');
    this.cellsTmp = join(outDir, `.results.json.${process.pid}.cells`);
    this.fileTmp = join(outDir, `.results.json.${process.pid}.tmp`);
    mkdirSync(outDir, { recursive: true });
  }

  async begin(_run: RunInfo, axes: AxisInfo): Promise<void> {
    this.axes = axes;
    if (!this.journal) this.fd = openSync(this.cellsTmp, 'w');
  }

  /**
   * The run keeps a journal (journal.ts) holding exactly the CellResults this sink would
   * receive, one per line, closed before end(): copy them from there rather than serialise
   * and write every cell twice. Call before begin().
   */
  cellsFrom(journalPath: string): void {
    this.journal = journalPath;
  }

  async add(result: CellResult): Promise<void> {
    if (this.journal) return;
    this.buffer += (this.first ? '\n' : ',\n') + JSON.stringify(result);
    this.first = false;
    if (this.buffer.length > 1 << 16) this.flush();
  }

  async end(run: RunInfo, summary: Summary): Promise<void> {
    if (this.journal) return this.endFromJournal(run, summary, this.journal);
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
    const header = `{"schema":${JSON.stringify(RESULTS_SCHEMA)},"run":${JSON.stringify(run)},"summary":${JSON.stringify(summary)},"axes":${JSON.stringify(this.axes)},"cells":[`;
    const out = openSync(this.fileTmp, 'w');
    try {
      writeSync(out, header);
      const src = openSync(this.cellsTmp, 'r');
      const chunk = Buffer.allocUnsafe(1 << 20);
      for (let n: number; (n = readSync(src, chunk, 0, chunk.length, null)) > 0; ) writeSync(out, chunk, 0, n);
      closeSync(src);
      writeSync(out, '\n]}\n');
    } finally {
      closeSync(out);
    }
    renameSync(this.fileTmp, this.final);
    rmSync(this.cellsTmp, { force: true });
  }

  private endFromJournal(run: RunInfo, summary: Summary, journal: string): void {
    const out = openSync(this.fileTmp, 'w');
    try {
      let buf = `{"schema":${JSON.stringify(RESULTS_SCHEMA)},"run":${JSON.stringify(run)},"summary":${JSON.stringify(summary)},"axes":${JSON.stringify(this.axes)},"cells":[`;
      let first = true;
      let header = true;
      for (const { line, torn } of fileLines(journal)) {
        if (header || torn) {
          header = false;
          continue;
        }
        buf += (first ? '\n' : ',\n') + line;
        first = false;
        if (buf.length > 1 << 20) {
          writeSync(out, buf);
          buf = '';
        }
      }
      writeSync(out, `${buf}\n]}\n`);
    } finally {
      closeSync(out);
    }
    renameSync(this.fileTmp, this.final);
  }

  /** Removes the temporary files of an abandoned run; results.json stays as it was. */
  abort(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    rmSync(this.cellsTmp, { force: true });
    rmSync(this.fileTmp, { force: true });
  }

  private flush(): void {
    if (this.buffer) writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
}
