/**
 * The verdict on a step's value, one for every backend: the emulator calls it on what its
 * models produced, the QEMU backend on what the agent reported from the real system (the
 * agent's own shell test only decides when to stop polling). The value is the text the step
 * read (undefined: there was nothing, no such file), compared trimmed.
 */
import { compilePattern, isPattern, type Pattern } from '../../lib/pattern.ts';
import type { Expect } from './schema.ts';

/** A decimal number as a file shows one; not "5 kB", "0x10", "1e3" or the empty string. */
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

const patterns = new Map<string, Pattern | { error: string }>();

function pattern(source: string): Pattern {
  let p = patterns.get(source);
  if (!p) patterns.set(source, (p = compilePattern(source, { multiline: true })));
  // Checked at load; a `${...}` resolved at run time can still make it invalid.
  if (!isPattern(p)) throw new Error(`matches: /${source}/ is not a regular expression RE2 can take: ${p.error}`);
  return p;
}

/** Undefined when the expectation holds, else what was wrong, in words for the step's detail. */
export function check(expect: Expect, value: string | undefined): string | undefined {
  const shown = value === undefined ? 'nothing (no such file)' : JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}...` : value);
  const v = value?.trim();
  if (expect.exists !== undefined) {
    if (expect.exists && v === undefined) return 'expected it to exist, but it does not';
    if (!expect.exists && v !== undefined) return `expected it not to exist, saw ${shown}`;
  }
  if (expect.equals !== undefined && v !== expect.equals) return `expected ${JSON.stringify(expect.equals)}, saw ${shown}`;
  if (expect.matches !== undefined && (v === undefined || !pattern(expect.matches).test(v)))
    return `expected a match for /${expect.matches}/, saw ${shown}`;
  if (expect.contains !== undefined && (v === undefined || !v.includes(expect.contains)))
    return `expected it to contain ${JSON.stringify(expect.contains)}, saw ${shown}`;
  // A missing file holds no text at all: like `cat` on a real system, reading it fails.
  if (expect.absent !== undefined && v === undefined) return `expected no ${JSON.stringify(expect.absent)}, saw ${shown}`;
  if (expect.absent !== undefined && expect.absent !== '' && v!.includes(expect.absent))
    return `expected no ${JSON.stringify(expect.absent)}, but it is there`;
  const n = v !== undefined && NUMBER.test(v) ? Number(v) : Number.NaN;
  if (expect.atLeast !== undefined && !(n >= expect.atLeast)) return `expected at least ${expect.atLeast}, saw ${shown}`;
  if (expect.atMost !== undefined && !(n <= expect.atMost)) return `expected at most ${expect.atMost}, saw ${shown}`;
  return undefined;
}
