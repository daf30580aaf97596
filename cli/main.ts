import { UserError } from '../contracts/errors.ts';
import { didYouMean } from '../lib/suggest.ts';
import { processIo, UsageError, type Command, type Io } from './command.ts';
import { commands } from './commands/index.ts';
import { toolVersion } from './version.ts';

/**
 * `pvmatrix <command> [options]`: returns the exit code. User mistakes print a message and
 * give 2; anything else is a bug in pvmatrix, said as much, with its stack, and gives 1.
 */
export async function main(
  argv: string[],
  io: Io = processIo,
  registry: Readonly<Record<string, () => Promise<{ command: Command }>>> = commands,
): Promise<number> {
  if (io === processIo) quietOnClosedPipe();
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      io.err(await toolHelp(registry));
      return 2;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      if (rest[0] && Object.hasOwn(registry, rest[0])) return await (await registry[rest[0]]!()).command.run(['--help']);
      io.out(await toolHelp(registry));
      return 0;
    }
    if (first === '--version' || first === '-V') {
      io.out(`${toolVersion()}\n`);
      return 0;
    }
    if (first.startsWith('-'))
      throw new UsageError(`unknown option ${first}${didYouMean(first, ['--help', '--version'])}; see: pvmatrix --help`);
    const load = Object.hasOwn(registry, first) ? registry[first] : undefined;
    if (!load) {
      const names = Object.keys(registry);
      throw new UsageError(`unknown command "${first}"${didYouMean(first, names)}; commands: ${names.join(', ')}`);
    }
    return await (await load()).command.run(rest);
  } catch (e) {
    if (e instanceof UserError) {
      io.err(`${e.message}\n`);
      return 2;
    }
    io.err(
      `pvmatrix: internal error (a bug in pvmatrix, not in your input):\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    return 1;
  }
}

async function toolHelp(registry: Readonly<Record<string, () => Promise<{ command: Command }>>>): Promise<string> {
  const lines: string[] = [];
  for (const [name, load] of Object.entries(registry)) {
    let summary: string;
    try {
      summary = (await load()).command.summary;
    } catch (e) {
      summary = `(cannot load: ${(e as Error).message.split('\n')[0]})`;
    }
    lines.push(`  ${name.padEnd(14)}${summary}`);
  }
  return `pvmatrix ${toolVersion()}: compatibility matrix runner for Linux pv-ops kernels on Xen

usage: pvmatrix <command> [options]

commands:
${lines.join('\n')}

  pvmatrix <command> --help   the options of a command
  pvmatrix --version          the version

exit codes: 0 every cell as expected; 1 some cell failed or broke; 2 bad input or usage
`;
}

/** `pvmatrix list | head`: the reader went away; stop quietly, as command-line tools do. */
function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(process.exitCode ?? 0);
    });
  }
}
