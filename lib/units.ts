/**
 * The quantities a user writes, one grammar each, for the command line and every YAML file:
 *
 *   duration   90 (seconds), or with a unit: 500ms, 90s, 5m, 5min, 2h
 *   size       512 (MiB), or with a unit: 512K, 96M, 96MiB, 1G, 1T, 4096B (bytes)
 *
 * A bare size is MiB because that is how the toolstacks read one: xl's `memory =`, `xl
 * mem-set` (tools/xl parse_mem_size_kb: no suffix falls through to `m`) and `xm mem-set`.
 */

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?$/;
const MS_PER: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };
export const DURATION_FORMS = 'seconds (90), or with a unit: 500ms, 90s, 5m, 2h';

/** A duration in whole milliseconds, or undefined when the text is not one. */
export function parseDuration(text: string | number): number | undefined {
  const m = DURATION.exec(String(text).trim());
  if (!m) return undefined;
  const ms = Math.round(Number(m[1]) * MS_PER[m[2] ?? 's']!);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * The longest delay a Node timer holds (a signed 32-bit count of milliseconds, about 24.8
 * days). Past it setTimeout warns (TimeoutOverflowWarning) and fires after 1 ms instead, so
 * a time limit beyond it is refused, with the limit named, by everything that arms a timer.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;
export const MAX_TIMER_TEXT = `${MAX_TIMER_MS}ms (596h, about 24.8 days)`;

const SIZE = /^(\d+(?:\.\d+)?)\s*(?:([KMGT])(?:i?B)?|(B))?$/i;
const KIB_PER: Record<string, number> = { K: 1, M: 1024, G: 1024 ** 2, T: 1024 ** 3 };
export const SIZE_FORMS = 'MiB (512), or with a unit: 131072K, 96M, 1G (B for bytes), in whole KiB';

/** A size in KiB, or undefined when the text is not one or is not a whole number of KiB. */
export function parseSizeKiB(text: string | number): number | undefined {
  const m = SIZE.exec(String(text).trim());
  if (!m) return undefined;
  const kib = m[3] ? Number(m[1]) / 1024 : Number(m[1]) * KIB_PER[(m[2] ?? 'M').toUpperCase()]!;
  return Number.isSafeInteger(kib) ? kib : undefined;
}
