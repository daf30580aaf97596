import { DURATION_FORMS, MAX_TIMER_MS, MAX_TIMER_TEXT, parseDuration as durationMs } from '../lib/units.ts';
import { UsageError } from './command.ts';

/** `--timeout 90`, `90s`, `500ms`, `5m`, `2h` -> milliseconds (lib/units.ts: a bare number is seconds). */
export function parseDuration(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = durationMs(text);
  if (ms === undefined || !(ms > 0)) throw new UsageError(`--${option} ${text}: expected a duration above zero: ${DURATION_FORMS}`);
  if (ms > MAX_TIMER_MS)
    throw new UsageError(`--${option} ${text}: longer than a timer can hold: at most ${MAX_TIMER_TEXT}; leave the option out for no limit`);
  return ms;
}
