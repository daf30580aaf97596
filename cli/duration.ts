import { UsageError } from './command.ts';

const UNITS: Record<string, number> = { ms: 1, s: 1000, '': 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** `--timeout 90`, `90s`, `500ms`, `5m`, `2h` -> milliseconds (a bare number is seconds). */
export function parseDuration(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|)$/.exec(text.trim());
  const ms = m ? Number(m[1]) * UNITS[m[2]!]! : NaN;
  if (!m || !(ms > 0))
    throw new UsageError(`--${option} ${text}: expected a duration above zero: seconds (90), or with a unit: 500ms, 90s, 5m, 2h`);
  return ms;
}
