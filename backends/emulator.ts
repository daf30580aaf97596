import { Emulator } from '../emulator/index.ts';
import type { Cell } from '../contracts/cell.ts';
import type { Backend } from '../contracts/backend.ts';

/**
 * The embedded emulator as a Backend. The emulator runs a cell synchronously once its
 * profiles are prepared (images read, models built); profiles are shared objects across
 * cells, so each is prepared once, on the first cell that uses it.
 */
export function createEmulatorBackend(): Backend {
  const emulator = new Emulator();
  const prepared = new WeakSet<object>();
  let preparedAny = false;
  const needsPrepare = (cell: Cell): boolean => {
    if (!preparedAny) return true;
    for (const k in cell.profiles) {
      const p = cell.profiles[k];
      if (p !== null && typeof p === 'object' && !prepared.has(p)) return true;
    }
    return false;
  };
  return {
    name: 'emulator',
    // The emulator runs in this thread: one cell at a time, each a synchronous computation.
    concurrency: () => 1,
    async *run(cells, ctx) {
      const fresh = cells.filter(needsPrepare);
      if (fresh.length) {
        await emulator.prepare(fresh);
        preparedAny = true;
        for (const c of fresh)
          for (const k in c.profiles) {
            const p = c.profiles[k];
            if (p !== null && typeof p === 'object') prepared.add(p);
          }
      }
      for (const cell of cells) {
        if (ctx.signal.aborted) return;
        yield { id: cell.id, result: emulator.run(cell, { timeoutMs: ctx.timeoutMs }) };
      }
    },
  };
}
