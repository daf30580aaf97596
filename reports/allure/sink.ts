import { rm, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { CellResult } from '../../contracts/result.ts';
import type { AxisInfo, ResultSink, RunInfo } from '../../contracts/results.ts';
import type { ResultsFile } from '../../contracts/results.ts';
import type { AllureDetail } from './result.ts';
import { AllureResultsWriter } from './writer.ts';
import { temporaryName } from '../../lib/atomic-write.ts';

/** Replaces `final` by the directory `tmp`, so that readers see the old or the new one, whole. */
export async function swapDir(tmp: string, final: string): Promise<void> {
  const old = temporaryName(final, 'old');
  await rm(old, { recursive: true, force: true });
  try {
    await rename(final, old);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await rename(tmp, final);
  await rm(old, { recursive: true, force: true });
}

/** `run --out DIR`: DIR/allure-results/, written in a temp directory as cells finish, swapped in at the end. */
export class AllureSink implements ResultSink {
  private writer?: AllureResultsWriter;
  private axes: AxisInfo = [];
  private readonly tmp: string;
  constructor(private readonly outDir: string) {
    this.tmp = temporaryName(join(outDir, 'allure-results'));
  }
  async begin(_run: RunInfo, axes: AxisInfo): Promise<void> {
    await rm(this.tmp, { recursive: true, force: true });
    this.axes = axes;
    this.writer = new AllureResultsWriter(this.tmp, axes);
  }
  async add(result: CellResult, transcript: readonly string[]): Promise<void> {
    this.writer!.add(result, transcript);
  }
  async end(run: RunInfo): Promise<void> {
    this.writer!.finish(run, this.axes);
    await swapDir(this.tmp, join(this.outDir, 'allure-results'));
  }
}

/**
 * allure-results/ rebuilt from a results.json alone (after `merge`, or when it was deleted):
 * the transcripts are the excerpts results.json keeps; cell times are spread over the run.
 */
export async function writeAllureResultsFromFile(file: ResultsFile, dir: string, detail: AllureDetail = 'light'): Promise<void> {
  const tmp = temporaryName(dir);
  await rm(tmp, { recursive: true, force: true });
  const writer = new AllureResultsWriter(tmp, file.axes, detail);
  let t = Date.parse(file.run.started) || Date.now();
  for (const cell of file.cells) {
    const stop = t + Math.max(1, Math.round(cell.durationMs));
    writer.add(cell, cell.transcript, { start: t, stop });
    t = stop;
  }
  writer.finish(file.run, file.axes);
  await swapDir(tmp, dir);
}
