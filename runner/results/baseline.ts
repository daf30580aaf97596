import type { Outcome } from '../../contracts/outcome.ts';
import { readResultsFile } from '../../contracts/results.ts';

/** The outcomes of a previous results.json, by cell id, to serve as expectations (--baseline). */
export async function readBaseline(file: string): Promise<Map<string, Outcome>> {
  const results = await readResultsFile(file, { prefix: '--baseline' });
  return new Map(results.cells.map((c) => [c.id, c.outcome]));
}
