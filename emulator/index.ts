import type { Cell } from '../runner/model/cell.ts';
import type { BackendResult } from '../runner/model/result.ts';

/**
 * The embedded emulator: Xen, its toolstack, xenstore and pv-ops Linux, modelled step by
 * step. `prepare` reads the images and builds one model per profile (the only I/O);
 * `run` is then pure and synchronous, one cell at a time.
 */
export class Emulator {
  async prepare(_cells: readonly Cell[]): Promise<void> {}

  run(cell: Cell): BackendResult {
    return {
      outcome: 'broken',
      reason: `the emulator cannot run ${cell.scenario} yet: its models are not built`,
      facts: [],
      steps: [],
      transcript: [],
    };
  }
}
