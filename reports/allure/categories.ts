import type { Category as AllureCategory } from 'allure-js-commons/sdk';
import { CATEGORIES, type Category } from '../classify.ts';

/**
 * categories.json: Allure matches each failed/broken result's message against these
 * regular expressions, first match wins: Allure 2 in Java (matches(): the whole message),
 * Allure 3 in JavaScript (test(), flag s). `^…:[\s\S]*` means the same to both; Java's
 * inline `(?s)` does not compile in JavaScript (Allure 3 then matches nothing). result.ts starts every
 * message of a classified cell with its category's title and a colon, so the decision is
 * made once, in classify.ts, and Allure only reads it back.
 */
const ORDER: Category[] = ['regression', 'harness', 'unexpected-fix', 'kernel-config', 'xen', 'kernel', 'other'];

export function categoriesJson(): AllureCategory[] {
  return ORDER.map((c) => ({
    name: CATEGORIES[c],
    matchedStatuses: (c === 'harness' ? ['broken', 'failed'] : ['failed', 'broken']) as AllureCategory['matchedStatuses'],
    messageRegex: `^${escapeRegex(CATEGORIES[c])}:[\\s\\S]*`,
  }));
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function messagePrefix(category: Category | undefined): string {
  return category ? `${CATEGORIES[category]}: ` : '';
}
