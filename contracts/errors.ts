/**
 * Errors that are the user's to fix (bad YAML, a bad option, a missing file). The command
 * line prints their message and exits 2, never a stack trace; anything else is our bug.
 */
export class UserError extends Error {
  override name = 'UserError';
}

/** One problem in an input file, at a 1-based line and column. */
export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  message: string;
  /** Load order of the file, so the matrix's errors come before its scenarios'. */
  order: number;
  /** Set for problems callers act on; branch on it, never on the message text. */
  code?: DiagnosticCode;
}

export type DiagnosticCode = 'scenario-without-cells' | 'matrix-without-cells';

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.message}`;
}

/** Every problem found in a matrix and its scenarios, reported together. */
export class SpecError extends UserError {
  override name = 'SpecError';
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: Diagnostic[]) {
    const sorted = [...diagnostics].sort((a, b) => a.order - b.order || a.line - b.line || a.col - b.col);
    const n = sorted.length;
    super(`${sorted.map(formatDiagnostic).join('\n')}\n${n} error${n === 1 ? '' : 's'}`);
    this.diagnostics = sorted;
  }
}
