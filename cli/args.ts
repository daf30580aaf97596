import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from '../lib/suggest.ts';
import { UsageError } from './command.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export const helpOption = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * node:util parseArgs in strict mode, with its errors turned into usage errors that name
 * the command, suggest the closest option and point at --help.
 */
export function parseCommandArgs<O extends Options & typeof helpOption, P extends boolean = false>(
  command: string,
  argv: string[],
  options: O,
  allowPositionals?: P,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: allowPositionals ?? false, strict: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const see = `see: pvmatrix ${command} --help`;
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const opt = /'([^']+)'/.exec(err.message)?.[1] ?? '';
      const names = Object.keys(options).map((n) => `--${n}`);
      throw new UsageError(`${command}: unknown option ${opt}${didYouMean(opt, names)}; ${see}`);
    }
    if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const arg = /'([^']+)'/.exec(err.message)?.[1] ?? '';
      throw new UsageError(`${command}: unexpected argument "${arg}"; ${see}`);
    }
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new UsageError(`${command}: ${err.message.replace(/^Option /, 'option ')}; ${see}`);
    }
    throw e;
  }
}

/** A positive integer option value. */
export function positiveInt(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1) throw new UsageError(`--${option} ${text}: expected a whole number of at least 1`);
  return n;
}
