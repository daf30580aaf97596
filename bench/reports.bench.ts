/**
 * Report writers: matrix.html at ~25k cells (write time, size, time to interactive in
 * Chromium), allure-results write rate (our direct writes vs allure-js-commons'
 * FileSystemWriter, which fsyncs every file). Allure HTML generation: allure.bench.ts.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchRow } from './row.ts';
import { writeMatrixHtml } from '../reports/matrix-html/write.ts';
import { AllureResultsWriter } from '../reports/allure/writer.ts';
import { allureCell } from '../reports/allure/result.ts';
import { axisLabels } from '../reports/labels.ts';
import { makeResults, sizedOptions } from '../test/support/results-fixture.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function (): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'pvm-bench-reports-'));
  try {
    const { file, transcripts } = makeResults(sizedOptions(25_000));
    const n = file.cells.length;

    // matrix.html
    const html = join(dir, 'matrix.html');
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await writeMatrixHtml(html, file);
      times.push(performance.now() - t0);
    }
    const size = statSync(html).size;
    rows.push({ name: `matrix.html write, ${n} cells`, value: median(times), unit: 'ms', note: 'median of 3, encode + render + write' });
    rows.push({ name: `matrix.html size, ${n} cells`, value: size / 1024, unit: 'KiB', note: `${(size / n).toFixed(1)} bytes per cell` });

    const chromium = process.env.PVMATRIX_CHROMIUM ?? '/usr/bin/chromium';
    if (existsSync(chromium)) {
      const { chromium: pw } = await import('@playwright/test');
      const browser = await pw.launch({
        executablePath: chromium,
        args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
      });
      try {
        const tti: number[] = [];
        const click: number[] = [];
        for (let i = 0; i < 3; i++) {
          const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
          const t0 = performance.now();
          await page.goto(pathToFileURL(html).href);
          await page.waitForSelector('body[data-ready="true"]');
          tti.push(performance.now() - t0);
          // the landing view is the summary; then the scenario view, another scenario, one cell
          await page.locator('td.cell.sum').first().click();
          await page.waitForSelector('#answer');
          const t1 = performance.now();
          await page.click('#tab-scenario');
          await page.selectOption('#sel-scenario', { index: 1 });
          await page.locator('td.cell').first().click();
          await page.waitForSelector('#details .cell-id');
          click.push(performance.now() - t1);
          await page.close();
        }
        rows.push({
          name: `matrix.html time to interactive, ${n} cells`,
          value: median(tti),
          unit: 'ms',
          note: 'Chromium, goto to the summary ready, median of 3',
        });
        rows.push({
          name: 'matrix.html summary to scenario view, switch scenario, open a cell',
          value: median(click),
          unit: 'ms',
          note: 'median of 3',
        });
      } finally {
        await browser.close();
      }
    } else {
      rows.push({ name: 'matrix.html time to interactive', value: NaN, unit: 'ms', note: `skipped: no Chromium at ${chromium}` });
    }

    // allure-results: direct writes vs allure-js-commons FileSystemWriter (temp file + fsync + rename per file)
    const sample = file.cells.slice(0, 2000);
    const direct = new AllureResultsWriter(join(dir, 'direct'), file.axes);
    let t0 = performance.now();
    for (const c of sample) direct.add(c, transcripts.get(c.id)!);
    const directMs = (performance.now() - t0) / sample.length;
    const { FileSystemWriter } = await import('allure-js-commons/sdk/reporter');
    const writer = new FileSystemWriter({ resultsDir: join(dir, 'commons') });
    const label = axisLabels(file.axes);
    t0 = performance.now();
    for (const c of sample) {
      const { result, files } = allureCell(c, transcripts.get(c.id)!, label, { start: 0, stop: 1 });
      for (const f of files) writer.writeAttachment(f.name, Buffer.from(f.content));
      writer.writeResult(result);
    }
    const commonsMs = (performance.now() - t0) / sample.length;
    rows.push({
      name: 'allure-results write, direct (ours)',
      value: directMs * 1000,
      unit: 'µs/cell',
      note: `${sample.length} cells, result + console attachments`,
    });
    rows.push({
      name: 'allure-results write, allure-js-commons FileSystemWriter',
      value: commonsMs * 1000,
      unit: 'µs/cell',
      note: `same cells; ${(commonsMs / directMs).toFixed(1)}x ours (fsync per file)`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
