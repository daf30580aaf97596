import { UserError } from '../contracts/errors.ts';

/** One `pvmatrix <name>` command. Each lives in commands/<name>.ts as `export const command`. */
export interface Command {
  name: string;
  /** One line for `pvmatrix --help`. */
  summary: string;
  /** The full `pvmatrix <name> --help` text. */
  usage: string;
  /** Returns the exit code; throws UserError for bad input (exit 2). */
  run(argv: string[]): Promise<number>;
}

/** A mistake on the command line (unknown option, bad value): exit 2 with the message. */
export class UsageError extends UserError {
  override name = 'UsageError';
}

/** Where commands write; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};
