// Which cells the filters let through: hidden axis values and outcomes, "not as expected"
// and "only changed cells". Both views use it; the summary applies it to the cells it sums up.
import { changeOf } from './baseline.ts';
import { NA, notAsExpected, type Cell } from './data.ts';
import { state } from './state.ts';

export function passesFilters(c: Cell): boolean {
  if (!passesAxisFilters(c)) return false;
  if (state.hiddenOutcomes.has(c.outcome)) return false;
  if (state.onlyUnexpected && !notAsExpected(c)) return false;
  if (state.onlyChanges) {
    const ch = changeOf(c.index);
    if (ch !== null && ch === 'unchanged') return false;
  }
  return true;
}

/** The axis filters alone (the summary applies the others to its cells as a whole). */
export function passesAxisFilters(c: Cell): boolean {
  for (let ai = 0; ai < NA; ai++) {
    const vi = c.v[ai]!;
    if (vi >= 0 && state.hidden[ai]!.has(vi)) return false;
  }
  return true;
}

/** Whether the cell's view axes (role, user axes) are the ones picked; cells without such an axis always are. */
export function inPickedView(c: Cell, viewAxes: number[], pick: Record<number, number>): boolean {
  for (const ai of viewAxes) if (c.v[ai]! >= 0 && c.v[ai] !== pick[ai]) return false;
  return true;
}
