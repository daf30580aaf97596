import type { Backend } from '../../contracts/backend.ts';
import type { Cell } from '../../contracts/cell.ts';
import type { BackendResult } from '../../contracts/result.ts';

/** One row of the double's table: cells whose axes include all of `when` get `result`. */
export interface TableRow {
  when: Record<string, string>;
  result: Partial<BackendResult> & Pick<BackendResult, 'outcome'>;
}

/**
 * A TEST DOUBLE for the Backend interface, used only by the tests: it answers each cell
 * from a small table keyed by axis values (first matching row; `works` when none). It
 * records which cells it was asked to run, so tests can check what reached the backend.
 */
export class TableBackendDouble implements Backend {
  readonly name = 'table-double';
  readonly ran: string[] = [];
  constructor(
    private readonly table: TableRow[],
    private readonly options: { throwFor?: (cell: Cell) => boolean; concurrency?: number; groupKey?: (cell: Cell) => string } = {},
  ) {
    if (options.groupKey) this.groupKey = options.groupKey;
  }

  groupKey?: (cell: Cell) => string;

  concurrency(): number {
    return this.options.concurrency ?? 2;
  }

  async *run(cells: readonly Cell[]): AsyncIterable<{ id: string; result: BackendResult }> {
    for (const cell of cells) {
      this.ran.push(cell.id);
      if (this.options.throwFor?.(cell)) throw new Error(`double told to fail on ${cell.id}`);
      await Promise.resolve();
      const row = this.table.find((r) =>
        Object.entries(r.when).every(([k, v]) => cell.axes[k] === v || (k === 'scenario' && cell.scenario === v)),
      );
      const r = row?.result ?? { outcome: 'works' };
      yield { id: cell.id, result: { facts: [], steps: [], transcript: [`double: ${cell.id}`], ...r } };
    }
  }
}
