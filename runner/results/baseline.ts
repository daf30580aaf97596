import { readFileSync } from 'node:fs';
import { Outcome } from '../../contracts/outcome.ts';
import { UserError } from '../../contracts/errors.ts';
import { RESULTS_SCHEMA } from '../../reports/results-json/sink.ts';

/** The outcomes of a previous results.json, by cell id, to serve as expectations (--baseline). */
export function readBaseline(file: string): Map<string, Outcome> {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`--baseline ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const d = doc as { schema?: unknown; cells?: unknown };
  if (d?.schema !== RESULTS_SCHEMA || !Array.isArray(d.cells)) {
    throw new UserError(`--baseline ${file}: not a pvmatrix results file (expected "schema": "${RESULTS_SCHEMA}" and a "cells" list)`);
  }
  const out = new Map<string, Outcome>();
  d.cells.forEach((c: unknown, i: number) => {
    const cell = c as { id?: unknown; outcome?: unknown };
    const outcome = Outcome.safeParse(cell?.outcome);
    if (typeof cell?.id !== 'string' || !outcome.success)
      throw new UserError(`--baseline ${file}: cells[${i}] has no valid id and outcome`);
    out.set(cell.id, outcome.data);
  });
  return out;
}
