import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { helpOption, parseCommandArgs } from '../args.ts';
import { processIo, UsageError, type Command, type Io } from '../command.ts';
import { parsePort, serveUntilStopped, waitForCtrlC } from './report.ts';

const usage = `usage: pvmatrix serve [--out DIR] [--port N]

Serves DIR (default: out) read-only on http://127.0.0.1:PORT/ until Ctrl-C, so that the
Allure report written by \`pvmatrix report\` can be opened: its multi-file report fetches
its data, which browsers refuse from file://. Nothing is generated.

options:
  --out DIR     the folder \`pvmatrix report\` wrote (default: out)
  --port N      the port (default: a free one)
  -h, --help    this help

exit codes: 0 stopped with Ctrl-C; 2 bad usage, or DIR has no allure-report/
`;

export async function serve(argv: string[], io: Io, signalStop: () => Promise<void> = waitForCtrlC): Promise<number> {
  const { values } = parseCommandArgs('serve', argv, { ...helpOption, out: { type: 'string' }, port: { type: 'string' } });
  if (values.help) {
    io.out(usage);
    return 0;
  }
  const port = parsePort('serve', values.port);
  const out = values.out ?? 'out';
  const isDir = await stat(join(out, 'allure-report')).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new UsageError(`serve: ${join(out, 'allure-report')}: no such folder; run \`pvmatrix report --out ${out}\` first`);
  await serveUntilStopped(out, port, io, signalStop);
  return 0;
}

export const command: Command = {
  name: 'serve',
  summary: 'serve the reports of DIR on 127.0.0.1 (the Allure report does not open from file://)',
  usage,
  run: (argv) => serve(argv, processIo),
};
