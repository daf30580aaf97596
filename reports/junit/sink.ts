import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type { CellResult } from '../../contracts/result.ts';
import type { ResultSink, RunInfo } from '../../contracts/results.ts';
import { testcaseXml } from './testcase.ts';
import { xmlAttr } from './xml.ts';
import { temporaryName } from '../../lib/atomic-write.ts';

/**
 * junit.xml, streamed: testcases go to a body file as cells finish; at the end the header
 * (whose counts are only known then) and the body are joined into a temp file and renamed.
 * Memory stays flat whatever the number of cells.
 */
export class JUnitSink implements ResultSink {
  private body?: WriteStream;
  private counts = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
  private readonly bodyPath: string;
  constructor(private readonly path: string) {
    this.bodyPath = temporaryName(path, 'body');
  }
  async begin(): Promise<void> {
    this.body = createWriteStream(this.bodyPath);
  }
  async add(cell: CellResult): Promise<void> {
    this.counts.tests++;
    if (cell.status === 'failed') this.counts.failures++;
    if (cell.status === 'broken') this.counts.errors++;
    if (cell.status === 'skipped') this.counts.skipped++;
    this.counts.time += cell.durationMs / 1000;
    if (!this.body!.write(testcaseXml(cell))) await once(this.body!, 'drain');
  }
  async end(run: RunInfo): Promise<void> {
    this.body!.end();
    await once(this.body!, 'finish');
    const tmp = temporaryName(this.path);
    const c = this.counts;
    const attrs = `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${c.time.toFixed(3)}"`;
    const head = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="pvmatrix" ${attrs}>\n <testsuite name="${xmlAttr(`pvmatrix ${run.matrix}`)}" ${attrs} timestamp="${xmlAttr(run.started)}"${run.shard ? ` id="${xmlAttr(run.shard)}"` : ''}>\n`;
    const out = createWriteStream(tmp);
    out.write(head);
    try {
      await pipeline(createReadStream(this.bodyPath), out, { end: false });
      out.end(' </testsuite>\n</testsuites>\n');
      await once(out, 'finish');
      await rename(tmp, this.path);
    } finally {
      await rm(tmp, { force: true });
      await rm(this.bodyPath, { force: true });
    }
  }
}

export const junitPath = (outDir: string) => join(outDir, 'junit.xml');

/** junit.xml from a results.json (for `report`, when `run` did not write one). */
export async function writeJUnitFromFile(file: { run: RunInfo; cells: CellResult[] }, path: string): Promise<void> {
  const sink = new JUnitSink(path);
  await sink.begin();
  for (const c of file.cells) await sink.add(c);
  await sink.end(file.run);
}
