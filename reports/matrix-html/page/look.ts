// How outcomes and changes look: a symbol for each (colour is never the only sign) and words.
// Typed over the contract's names, so a new outcome or change kind fails the type check here.
import type { Change } from '../../diff/classify.ts';
import type { Outcome } from './data.ts';

export type PageChange = Change | 'new';

export const SYMBOL: Record<Outcome, string> = { works: '\u2713', unsupported: '\u2717', broken: '!', skipped: '\u2013' };

export const CHANGE_SYMBOL: Record<Exclude<PageChange, 'unchanged'>, string> = {
  regression: '\u25BC',
  fixed: '\u25B2',
  'still-failing': '\u25CF',
  flaky: '~',
  new: '\u2605',
};

export const CHANGE_TEXT: Record<PageChange, string> = {
  regression: 'regression',
  fixed: 'fixed',
  'still-failing': 'still failing',
  flaky: 'flaky',
  new: 'new cell',
  unchanged: 'unchanged',
};

/** Change kinds in the order `pvmatrix diff` lists them: regressions first. */
export const CHANGE_ORDER = Object.keys(CHANGE_SYMBOL) as Exclude<PageChange, 'unchanged'>[];
