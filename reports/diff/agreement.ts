import type { CellResult } from '../../contracts/result.ts';
import type { ResultsFile } from '../../contracts/results.ts';

/**
 * Two backends on the same cells (the emulator and real Xen under QEMU): do they give the
 * same outcome? Only the outcome counts, not the verdict (expectations are the same on
 * both sides) nor the reason's wording. A cell is compared when both ran it: a cell one side
 * skipped (the real backend cannot run it, or the matrix excludes it) is counted apart, with
 * the skip's reason, so that "17 of 17 agree" says how many were really compared.
 */
export interface AgreementEntry {
  id: string;
  a: Side;
  b: Side;
}
type Side = Pick<CellResult, 'outcome'> & { reason?: string };

export interface AgreementReport {
  compared: number;
  agree: number;
  /** Cells both ran with different outcomes: each a bug in one of the two backends. */
  disagreements: AgreementEntry[];
  /** Cells in both files that one side (or both) skipped. */
  skipped: number;
  /** Cells in only one of the files. */
  onlyA: number;
  onlyB: number;
}

export function compareOutcomes(a: ResultsFile, b: ResultsFile): AgreementReport {
  const report: AgreementReport = { compared: 0, agree: 0, disagreements: [], skipped: 0, onlyA: 0, onlyB: 0 };
  const side = (c: CellResult): Side => ({ outcome: c.outcome, ...(c.reason ? { reason: c.reason } : {}) });
  const fromA = new Map(a.cells.map((c) => [c.id, c]));
  for (const cb of b.cells) {
    const ca = fromA.get(cb.id);
    if (!ca) {
      report.onlyB++;
      continue;
    }
    fromA.delete(cb.id);
    if (ca.outcome === 'skipped' || cb.outcome === 'skipped') {
      report.skipped++;
      continue;
    }
    report.compared++;
    if (ca.outcome === cb.outcome) report.agree++;
    else report.disagreements.push({ id: cb.id, a: side(ca), b: side(cb) });
  }
  report.onlyA = fromA.size;
  return report;
}

export function renderAgreement(r: AgreementReport, aName: string, bName: string): string {
  const lines = [
    `${aName} vs ${bName}: outcomes of the cells both ran`,
    '',
    '| cells compared | agree | disagree |',
    '|---|---|---|',
    `| ${r.compared} | ${r.agree} | ${r.disagreements.length} |`,
    '',
    `not compared: ${r.skipped} skipped by one side or both, ${r.onlyA} only in ${aName}, ${r.onlyB} only in ${bName}`,
  ];
  if (r.disagreements.length) {
    lines.push('', `Disagreements (each is a bug in one of the two): ${r.disagreements.length}`);
    for (const d of r.disagreements) {
      lines.push(
        `  ${d.id}`,
        `      ${aName}: ${d.a.outcome}${d.a.reason ? `: ${d.a.reason}` : ''}`,
        `      ${bName}: ${d.b.outcome}${d.b.reason ? `: ${d.b.reason}` : ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
