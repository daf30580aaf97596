import type { DiffEntry, DiffReport } from './classify.ts';

const TITLES: Record<DiffEntry['change'], string> = {
  regression: 'Regressions (was as expected or working, now not)',
  fixed: 'Fixed',
  'still-failing': 'Still failing',
  flaky: 'Flaky (passed only on a retry)',
  new: 'New cells',
  removed: 'Removed cells',
  unchanged: 'Unchanged',
};

/** The readable form of `pvmatrix diff`: counts first, then each change with its reason. */
export function renderDiff(d: DiffReport, oldName: string, newName: string, limit = 200): string {
  const c = d.counts;
  const lines = [
    `${oldName} -> ${newName}`,
    `${c.regression} regression${c.regression === 1 ? '' : 's'}, ${c.fixed} fixed, ${c['still-failing']} still failing, ${c.flaky} flaky, ${c.new} new, ${c.removed} removed, ${c.unchanged} unchanged`,
  ];
  for (const kind of ['regression', 'fixed', 'still-failing', 'flaky', 'new', 'removed'] as const) {
    const entries = d.entries.filter((e) => e.change === kind);
    if (!entries.length) continue;
    lines.push('', `${TITLES[kind]}: ${entries.length}`);
    for (const e of entries.slice(0, limit)) {
      const was = e.old ? `${e.old.outcome}/${e.old.status}` : '';
      const now = e.new ? `${e.new.outcome}/${e.new.status}` : '';
      lines.push(
        `  ${e.id}`,
        `      ${was && now ? `${was} -> ${now}` : was || now}${(e.new ?? e.old)?.reason ? `: ${(e.new ?? e.old)!.reason}` : ''}`,
      );
    }
    if (entries.length > limit) lines.push(`  ...and ${entries.length - limit} more (use --json for all)`);
  }
  return `${lines.join('\n')}\n`;
}
