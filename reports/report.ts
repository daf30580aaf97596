import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { generateAllure, javaVersion, JAVA_HINT, type AllureEngine } from './allure/generate.ts';
import { writeAllureResultsFromFile } from './allure/sink.ts';
import { writeJUnitFromFile } from './junit/sink.ts';
import { writeSummary } from './markdown/sink.ts';
import { renderSummary, SummaryCollector } from './markdown/summary.ts';
import { writeMatrixHtml } from './matrix-html/write.ts';
import { readResultsFile } from '../contracts/results.ts';

export interface ReportOptions {
  out: string;
  singleFile?: boolean;
  baseline?: string;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Which Allure generates the HTML (default 3, which needs no Java). */
  allure?: AllureEngine;
}

export interface ReportOutcome {
  written: string[];
  /** Set when the Allure HTML could not be made because Java is missing (Allure 2 only). */
  allureSkipped?: string;
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

/**
 * `pvmatrix report`: from DIR/results.json, writes DIR/matrix.html (always first: it needs
 * nothing but Node), DIR/summary.md, junit.xml and allure-results/ when `run` did not leave
 * them, then the Allure HTML (DIR/allure-report/, and DIR/allure-report.html with singleFile)
 * with Allure 3 by default or Allure 2 (Java).
 * Throws InputError for a missing or invalid results.json or baseline.
 */
export async function makeReports(o: ReportOptions): Promise<ReportOutcome> {
  const log = o.log ?? (() => {});
  const file = await readResultsFile(join(o.out, 'results.json'));
  const baseline = o.baseline ? { file: await readResultsFile(o.baseline), label: basename(o.baseline) } : undefined;
  const written: string[] = [];

  const matrix = join(o.out, 'matrix.html');
  await writeMatrixHtml(matrix, file, baseline ? { baseline } : {});
  written.push(matrix);

  const collector = new SummaryCollector();
  for (const c of file.cells) collector.add(c);
  await writeSummary(
    o.out,
    renderSummary({ run: file.run, summary: file.summary, failures: collector.failures, byCategory: collector.byCategory }),
  );
  written.push(join(o.out, 'summary.md'));

  const junit = join(o.out, 'junit.xml');
  if (!(await exists(junit))) {
    await writeJUnitFromFile(file, junit);
    written.push(junit);
  }
  const results = join(o.out, 'allure-results');
  if (!(await exists(results))) {
    log('allure-results/ is missing: rebuilding it from results.json (console excerpts only)');
    await writeAllureResultsFromFile(file, results);
    written.push(results);
  }

  const engine = o.allure ?? 3;
  if (engine === 2) {
    const java = javaVersion(o.env);
    if (!java) return { written, allureSkipped: JAVA_HINT };
    log(`using ${java}`);
  }
  const reportDir = join(o.out, 'allure-report');
  const single = o.singleFile ? join(o.out, 'allure-report.html') : undefined;
  await generateAllure({ resultsDir: results, reportDir, ...(single ? { singleFile: single } : {}), log, engine });
  written.push(join(reportDir, 'index.html'));
  if (single) written.push(single);
  return { written };
}
