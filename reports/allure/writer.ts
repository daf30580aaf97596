import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CellResult } from '../../contracts/result.ts';
import type { AxisInfo, RunInfo } from '../../contracts/results.ts';
import { axisLabels, type AxisLabels } from '../labels.ts';
import { categoriesJson } from './categories.ts';
import { environmentProperties, executorInfo } from './environment.ts';
import { allureCell } from './result.ts';

/**
 * Writes allure-results/ with plain synchronous writes: one small JSON per cell plus its
 * attachments, shared between cells with the same console. No fsync per file
 * (allure-js-commons' FileSystemWriter does one, ~12x slower, see bench/reports.bench.ts):
 * the whole directory is made whole by the caller's rename instead.
 */
export class AllureResultsWriter {
  private label: AxisLabels;
  /** Attachment names are content hashes: each is written once however many cells share it. */
  private written = new Set<string>();
  constructor(
    readonly dir: string,
    axes: AxisInfo,
  ) {
    mkdirSync(dir, { recursive: true });
    this.label = axisLabels(axes);
  }

  add(cell: CellResult, transcript: readonly string[], times?: { start: number; stop: number }): void {
    const now = Date.now();
    const t = times ?? { start: now - Math.round(cell.durationMs), stop: now };
    const { result, files } = allureCell(cell, transcript, this.label, t);
    for (const f of files) {
      if (this.written.has(f.name)) continue;
      writeFileSync(join(this.dir, f.name), f.content);
      this.written.add(f.name);
    }
    writeFileSync(join(this.dir, `${result.uuid}-result.json`), JSON.stringify(result));
  }

  /** categories.json, environment.properties and executor.json. */
  finish(run: RunInfo, axes: AxisInfo, env: NodeJS.ProcessEnv = process.env): void {
    writeFileSync(join(this.dir, 'categories.json'), JSON.stringify(categoriesJson(), null, 2));
    writeFileSync(join(this.dir, 'environment.properties'), environmentProperties(run, axes));
    writeFileSync(join(this.dir, 'executor.json'), JSON.stringify(executorInfo(env, run), null, 2));
  }
}
