import { RE2JS } from 're2js';

/**
 * Regular expressions a user writes (`--grep`, a scenario's `matches:`, a rule's `because:`),
 * on RE2 (re2js): matching takes time linear in the text, so no pattern can hang a run the
 * way a backtracking engine does on `^([^X]|[^X])*X$`. RE2 has no backreferences and no
 * lookaround; such a pattern is refused when it is compiled, with RE2's own words.
 */
export interface Pattern {
  readonly source: string;
  /** Whether the pattern matches anywhere in the text. */
  test(text: string): boolean;
}

export interface PatternOptions {
  /** `^` and `$` match at every line's start and end (the text is console output or a file). */
  multiline?: boolean;
}

/** The compiled pattern, or what RE2 could not take in it. */
export function compilePattern(source: string, opts: PatternOptions = {}): Pattern | { error: string } {
  try {
    const re = RE2JS.compile(source, opts.multiline ? RE2JS.MULTILINE : 0);
    return { source, test: (text) => re.test(text) };
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^error parsing regexp: /, '') : String(e);
    return { error: `${why} (patterns are RE2 syntax: no backreferences, no lookahead or lookbehind)` };
  }
}

export const isPattern = (p: Pattern | { error: string }): p is Pattern => 'test' in p;
