import type { CellResult } from '../contracts/result.ts';
import { sourceRepo } from './links.ts';

/**
 * Sorts a cell that did not pass into the question a person asks about it. Decided from the
 * verdict and the reason/facts a backend gave, in this order (first match wins):
 * 1. regression: the verdict failed and the expectation came from the baseline (a previous run);
 * 2. harness: the outcome or verdict is `broken` (timeout, crash, unreadable image);
 * 3. unexpected-fix: it works although the expectation said otherwise;
 * 4. xen / kernel: unsupported, and the first fact whose source points into xen.git or into
 *    Linux (see links.ts: `xen.git commit …`, `xen/… @ RELEASE-…`, `arch/… @ v2.6.27`, URLs)
 *    decides; without such a fact, the reason's wording (`Xen …` vs `Linux …`/`kernel`);
 * 5. kernel-config: not on the Xen side, and the reason or a fact says a `CONFIG_*` option is
 *    not set (`CONFIG_XENFS is not set`, `=n`, not enabled, disabled, missing): the kernel
 *    has the feature, its .config leaves it out. (A feature the kernel version lacks, or a
 *    Kconfig dependency the arch cannot meet, is the kernel's; a Xen build option, Xen's.)
 * 6. other: any other unexpected outcome.
 * Passed and skipped cells have no category.
 */
export const CATEGORIES = {
  regression: 'Regression against the baseline',
  harness: 'Harness or infrastructure error',
  'unexpected-fix': 'Works where it was expected not to (update the expectation)',
  'kernel-config': 'Missing kernel config',
  xen: 'Unsupported by the Xen build',
  kernel: 'Unsupported by the kernel',
  other: 'Not as expected (unclassified)',
} as const;
export type Category = keyof typeof CATEGORIES;

type Classifiable = Pick<CellResult, 'status' | 'outcome' | 'expected' | 'expectedFrom' | 'reason' | 'facts'>;

export function categoryOf(cell: Classifiable): Category | undefined {
  if (cell.status === 'passed' || cell.status === 'skipped') return undefined;
  if (cell.status === 'failed' && cell.expectedFrom === 'baseline') return 'regression';
  if (cell.status === 'broken' || cell.outcome === 'broken') return 'harness';
  if (cell.outcome === 'works') return 'unexpected-fix';
  if (cell.outcome === 'unsupported') return unsupportedSide(cell) ?? 'other';
  return 'other';
}

/** For an `unsupported` outcome (whatever its verdict): which side said no. */
export function unsupportedSide(cell: Pick<CellResult, 'reason' | 'facts'>): 'kernel-config' | 'xen' | 'kernel' | undefined {
  const side = sideOf(cell);
  // a kernel option that exists but the .config leaves out; a Xen build option stays with Xen
  if (side !== 'xen' && [cell.reason ?? '', ...cell.facts.map((f) => f.text)].some((t) => MISSING_CONFIG.test(t))) return 'kernel-config';
  return side;
}

const MISSING_CONFIG = /\bCONFIG_[A-Z0-9_]+(\s+is not set|=n\b|\s+(is )?(not enabled|disabled|missing))/;

function sideOf(cell: Pick<CellResult, 'reason' | 'facts'>): 'xen' | 'kernel' | undefined {
  for (const f of cell.facts) {
    const repo = sourceRepo(f.source);
    if (repo === 'xen') return 'xen';
    if (repo === 'linux') return 'kernel';
  }
  const r = cell.reason ?? '';
  const xen = r.search(/\b(Xen|hypervisor|xend|xl|toolstack)\b/);
  const kernel = r.search(/\b(Linux|kernel|guest)\b/);
  if (xen >= 0 && (kernel < 0 || xen < kernel)) return 'xen';
  if (kernel >= 0) return 'kernel';
  return undefined;
}
