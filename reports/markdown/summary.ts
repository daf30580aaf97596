import type { CellResult } from '../../contracts/result.ts';
import type { RunInfo, Summary } from '../../contracts/results.ts';
import { CATEGORIES, categoryOf, type Category } from '../classify.ts';

/** How many failing cells the summary lists by name; the rest are counted. */
export const LISTED = 50;

export interface SummaryInput {
  run: RunInfo;
  summary: Summary;
  /** Cells that failed or broke, in any order; at most LISTED are shown. */
  failures: CellResult[];
  /** Failed/broken cells per category (all of them, not only the listed ones). */
  byCategory: Partial<Record<Category, number>>;
}

const cellText = (s: string) =>
  s
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');

/** GitHub-flavoured Markdown: counts, failures by category, the first failing cells with reasons. */
export function renderSummary(input: SummaryInput): string {
  const { run, summary: s } = input;
  const ok = s.failed === 0 && s.broken === 0;
  const lines = [
    `## pvmatrix: ${ok ? 'every cell as expected' : `${s.failed + s.broken} cell${s.failed + s.broken === 1 ? '' : 's'} not as expected`}`,
    '',
    `${cellText(run.matrix)} on the ${cellText(run.backend)} backend${run.shard ? `, shard ${cellText(run.shard)}` : ''}, started ${run.started}.`,
    '',
    '| cells | as expected | failed | broken | skipped | works | unsupported | flaky |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${s.cells} | ${s.passed} | ${s.failed} | ${s.broken} | ${s.skipped} | ${s.works} | ${s.unsupported} | ${s.flaky} |`,
  ];
  const cats = (Object.keys(CATEGORIES) as Category[]).filter((c) => input.byCategory[c]);
  if (cats.length) {
    lines.push(
      '',
      '### Why',
      '',
      '| category | cells |',
      '|---|---:|',
      ...cats.map((c) => `| ${CATEGORIES[c]} | ${input.byCategory[c]} |`),
    );
  }
  if (input.failures.length) {
    const order = Object.keys(CATEGORIES);
    const shown = [...input.failures]
      .sort((a, b) => order.indexOf(categoryOf(a) ?? 'other') - order.indexOf(categoryOf(b) ?? 'other') || (a.id < b.id ? -1 : 1))
      .slice(0, LISTED);
    lines.push('', '### Cells not as expected', '', '| cell | outcome | expected | reason |', '|---|---|---|---|');
    for (const c of shown) lines.push(`| \`${cellText(c.id)}\` | ${c.outcome} | ${c.expected} | ${cellText(c.reason ?? '')} |`);
    const total = s.failed + s.broken;
    if (total > shown.length) lines.push('', `…and ${total - shown.length} more: see matrix.html or the Allure report.`);
  }
  return `${lines.join('\n')}\n`;
}

/** Collects what renderSummary needs while cells stream by, holding at most LISTED failures. */
export class SummaryCollector {
  readonly failures: CellResult[] = [];
  readonly byCategory: Partial<Record<Category, number>> = {};
  add(cell: CellResult): void {
    const cat = categoryOf(cell);
    if (!cat) return;
    this.byCategory[cat] = (this.byCategory[cat] ?? 0) + 1;
    // keep regressions preferably: they are what the nightly reader looks for first
    if (this.failures.length < LISTED) this.failures.push(cell);
    else if (cat === 'regression') {
      const i = this.failures.findIndex((f) => categoryOf(f) !== 'regression');
      if (i >= 0) this.failures[i] = cell;
    }
  }
}
