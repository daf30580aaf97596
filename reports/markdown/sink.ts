import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CellResult } from '../../contracts/result.ts';
import type { ResultSink, RunInfo, Summary } from '../../contracts/results.ts';
import { renderSummary, SummaryCollector } from './summary.ts';
import { writeFileAtomic } from '../../lib/atomic-write.ts';

/**
 * DIR/summary.md at the end of `run`, and the same text appended to $GITHUB_STEP_SUMMARY
 * when that is set (GitHub Actions shows it on the job page). `run` writes it, not `report`,
 * so that a job whose run failed (exit 1) still gets its summary without another step.
 */
export class MarkdownSummarySink implements ResultSink {
  private collector = new SummaryCollector();
  constructor(
    private readonly outDir: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}
  async begin(): Promise<void> {}
  async add(cell: CellResult): Promise<void> {
    this.collector.add(cell);
  }
  async end(run: RunInfo, summary: Summary): Promise<void> {
    const text = renderSummary({ run, summary, failures: this.collector.failures, byCategory: this.collector.byCategory });
    await writeSummary(this.outDir, text);
    const step = this.env.GITHUB_STEP_SUMMARY;
    if (step) await appendFile(step, text);
  }
}

export async function writeSummary(outDir: string, text: string): Promise<void> {
  const path = join(outDir, 'summary.md');
  await writeFileAtomic(path, text);
}
