import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CellResult } from '../../contracts/result.ts';
import type { AxisInfo, RunInfo } from '../../contracts/results.ts';
import { axisLabels, type AxisLabels } from '../labels.ts';
import { categoriesJson } from './categories.ts';
import { environmentProperties, executorInfo } from './environment.ts';
import { allureCell, allureSkippedGroup, SKIPPED_GROUP_FILE, type AllureDetail } from './result.ts';

/**
 * Writes allure-results/ with plain synchronous writes: one small JSON per cell plus its
 * attachments, shared between cells with the same console. No fsync per file
 * (allure-js-commons' FileSystemWriter does one, ~12x slower, see bench/reports.bench.ts):
 * the whole directory is made whole by the caller's rename instead.
 * In the default `light` detail, skipped cells (not applicable: no verdict, no console) are
 * one Allure test per scenario and reason, written by finish(): Allure's cost grows with
 * the number of tests, and a cell that cannot exist has no history worth a test of its own.
 */
export class AllureResultsWriter {
  private label: AxisLabels;
  /** Attachment names are content hashes: each is written once however many cells share it. */
  private written = new Set<string>();
  private skipped = new Map<string, CellResult[]>();
  constructor(
    readonly dir: string,
    axes: AxisInfo,
    readonly detail: AllureDetail = 'light',
  ) {
    mkdirSync(dir, { recursive: true });
    this.label = axisLabels(axes);
  }

  add(cell: CellResult, transcript: readonly string[], times?: { start: number; stop: number }): void {
    if (this.detail === 'light' && cell.status === 'skipped') {
      const key = `${cell.scenario}\u0000${cell.reason ?? ''}`;
      const group = this.skipped.get(key);
      if (group) group.push(cell);
      else this.skipped.set(key, [cell]);
      return;
    }
    const now = Date.now();
    const t = times ?? { start: now - Math.round(cell.durationMs), stop: now };
    const { result, files } = allureCell(cell, transcript, this.label, t, this.detail);
    for (const f of files) {
      if (this.written.has(f.name)) continue;
      writeFileSync(join(this.dir, f.name), f.content);
      this.written.add(f.name);
    }
    writeFileSync(join(this.dir, `${result.uuid}-result.json`), JSON.stringify(result));
  }

  /** The skipped groups, categories.json, environment.properties and executor.json. */
  finish(run: RunInfo, axes: AxisInfo, env: NodeJS.ProcessEnv = process.env): void {
    const at = Date.parse(run.started) || Date.now();
    for (const cells of this.skipped.values()) {
      const result = allureSkippedGroup(cells, at);
      writeFileSync(join(this.dir, SKIPPED_GROUP_FILE(result.historyId!)), JSON.stringify(result));
    }
    writeFileSync(join(this.dir, 'categories.json'), JSON.stringify(categoriesJson(), null, 2));
    writeFileSync(join(this.dir, 'environment.properties'), environmentProperties(run, axes));
    writeFileSync(join(this.dir, 'executor.json'), JSON.stringify(executorInfo(env, run), null, 2));
  }
}
