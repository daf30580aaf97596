import { closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CellResult } from '../../contracts/result.ts';
import { type AxisInfo, RESULTS_SCHEMA, type ResultSink, type RunInfo, type Summary } from '../../contracts/results.ts';
import { temporaryName } from '../../lib/atomic-write.ts';

export interface ResultsJsonOptions {
  /**
   * The cells as JSON lines, read at end() instead of those add() received: the run's journal
   * (runner/results/journal.ts), which holds exactly these results one per line, so that
   * every cell is not serialised and written twice.
   */
  cellLines?: () => Iterable<string>;
}

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
  private readonly cellLines?: () => Iterable<string>;

  constructor(outDir: string, options: ResultsJsonOptions = {}) {
    this.final = join(outDir, 'results.json');
    this.cellsTmp = temporaryName(this.final, 'cells');
    this.fileTmp = temporaryName(this.final);
    this.cellLines = options.cellLines;
    mkdirSync(outDir, { recursive: true });
  }

  async begin(_run: RunInfo, axes: AxisInfo): Promise<void> {
    this.axes = axes;
    if (!this.cellLines) this.fd = openSync(this.cellsTmp, 'w');
  }

  async add(result: CellResult): Promise<void> {
    if (this.cellLines) return;
    this.buffer += (this.first ? '\n' : ',\n') + JSON.stringify(result);
    this.first = false;
    if (this.buffer.length > 1 << 16) this.flush();
  }

  async end(run: RunInfo, summary: Summary): Promise<void> {
    if (this.cellLines) return this.endFromLines(run, summary, this.cellLines());
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
    const header = this.header(run, summary);
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

  private endFromLines(run: RunInfo, summary: Summary, lines: Iterable<string>): void {
    const out = openSync(this.fileTmp, 'w');
    try {
      let buf = this.header(run, summary);
      let first = true;
      for (const line of lines) {
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

  private header(run: RunInfo, summary: Summary): string {
    return `{"schema":${JSON.stringify(RESULTS_SCHEMA)},"run":${JSON.stringify(run)},"summary":${JSON.stringify(summary)},"axes":${JSON.stringify(this.axes)},"cells":[`;
  }

  private flush(): void {
    if (this.buffer) writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
}
