import type { CellResult } from '../contracts/result.ts';
import type { ResultsFile } from '../contracts/results.ts';

/** Axis value id -> display label (profile name), from results.json's `axes`. */
export type AxisLabels = (axis: string, value: string) => string;

export function axisLabels(axes: ResultsFile['axes']): AxisLabels {
  const map = new Map<string, string>();
  for (const a of axes) for (const v of a.values) map.set(`${a.name}\u0000${v.id}`, v.label);
  return (axis, value) => map.get(`${axis}\u0000${value}`) ?? value;
}

/** `bzImage (xz)`, `vmlinux`: the image a cell boots. */
export function imageOf(cell: Pick<CellResult, 'axes'>): string {
  const f = cell.axes.format;
  if (!f) return '';
  return cell.axes.compression ? `${f} (${cell.axes.compression})` : f;
}
