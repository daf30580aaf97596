/** Sizes and durations of the step language, in the units the agent uses. */

const UNIT: Record<string, number> = { '': 1, K: 1, M: 1024, G: 1024 * 1024, T: 1024 * 1024 * 1024 };

/**
 * A step size in KiB. `96M`, `131072K`, `1G`; a bare number means MiB, as in xl's
 * `memory =` and `xl mem-set` (and in the Xen wiki's examples).
 */
export function sizeKiB(size: string | number): number {
  if (typeof size === 'number') return size * 1024;
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i.exec(size.trim());
  if (!m) throw new Error(`not a size: ${size}`);
  const unit = m[2]!.toUpperCase();
  // A bare "512" string reads as MiB too; "512K" as KiB.
  return Math.round(Number(m[1]) * (unit === '' ? 1024 : UNIT[unit]!));
}

export const sizeMiB = (size: string | number) => Math.ceil(sizeKiB(size) / 1024);

export function durationMs(d: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(d);
  if (!m) throw new Error(`not a duration: ${d}`);
  return Math.round(Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60000));
}
