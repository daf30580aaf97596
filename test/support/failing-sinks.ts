import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultSink } from '../../contracts/results.ts';

/** Sinks for the ThreadedSink test, built inside the worker thread from these factories. */
export function countingSinks(outDir: string): ResultSink[] {
  let n = 0;
  let last = '';
  return [
    {
      begin: async () => {},
      add: async (r) => {
        n++;
        last = r.id;
      },
      end: async (_run, summary) => writeFileSync(join(outDir, 'counted.json'), JSON.stringify({ n, last, cells: summary.cells })),
    },
  ];
}

export function failingSinks(): ResultSink[] {
  let n = 0;
  return [
    {
      begin: async () => {},
      add: async () => {
        if (++n === 300) throw new Error('disk full in the worker');
      },
      end: async () => {},
    },
  ];
}
