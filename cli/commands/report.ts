import { join, relative } from 'node:path';
import { makeReports } from '../../reports/report.ts';
import { serveDir } from '../../reports/serve.ts';
import { helpOption, parseCommandArgs } from '../args.ts';
import { processIo, UsageError, type Command, type Io } from '../command.ts';

const usage = `usage: pvmatrix report [--out DIR] [--allure 3|2] [--single-file] [--serve [--port N]] [--baseline FILE]

Reads DIR/results.json (default DIR: out) and writes:
  DIR/matrix.html          the compatibility matrix: one file, opens from file://
  DIR/summary.md           counts, failures by category, the first failing cells
  DIR/junit.xml, DIR/allure-results/   when \`run\` did not write them
  DIR/allure-report/       Allure's HTML report, with trends carried from the previous one
                           (open it through \`pvmatrix serve\` or --serve, not from file://)
  DIR/allure-report.html   with --single-file: the Allure report in one file (opens from file://)

options:
  --out DIR         the run's output folder (default: out)
  --allure 3|2      which Allure makes the HTML: 3 (default; Allure 3 in Node, the classic
                    Allure UI) or 2 (allure-commandline, needs Java)
  --single-file     also write DIR/allure-report.html
  --baseline FILE   embed FILE (another results.json) in matrix.html for its diff mode
  --serve           then serve DIR on http://127.0.0.1 until Ctrl-C
  --port N          the port for --serve (default: a free one)
  -h, --help        this help

exit codes: 0 reports written; 2 bad usage or input (missing or invalid results.json);
            3 no Java for --allure 2: everything but the Allure HTML was written
`;

export async function report(argv: string[], io: Io, signalStop: () => Promise<void> = waitForCtrlC): Promise<number> {
  const { values } = parseCommandArgs('report', argv, {
    ...helpOption,
    out: { type: 'string' },
    'single-file': { type: 'boolean' },
    serve: { type: 'boolean' },
    port: { type: 'string' },
    baseline: { type: 'string' },
    allure: { type: 'string' },
  });
  if (values.help) {
    io.out(usage);
    return 0;
  }
  const port = parsePort('report', values.port);
  const allure = values.allure ?? '3';
  if (allure !== '2' && allure !== '3')
    throw new UsageError(`report: --allure ${allure}: expected 3 (Allure 3, the default) or 2 (allure-commandline, Java)`);
  const out = values.out ?? 'out';
  const outcome = await makeReports({
    out,
    allure: allure === '2' ? 2 : 3,
    singleFile: values['single-file'] ?? false,
    ...(values.baseline ? { baseline: values.baseline } : {}),
    log: (l) => io.err(`${l}\n`),
  });
  for (const w of outcome.written) io.out(`wrote ${relative(process.cwd(), w) || w}\n`);
  if (outcome.allureSkipped) {
    io.err(
      `pvmatrix report: the Allure HTML report was not generated. ${outcome.allureSkipped}\nmatrix.html, summary.md, junit.xml and allure-results/ are written; run \`pvmatrix report\` again once Java is installed.\n`,
    );
    return 3;
  }
  if (values.serve) await serveUntilStopped(out, port, io, signalStop);
  else io.out(openHint(out));
  return 0;
}

/** --port: 0 (a free port) when not given. */
export function parsePort(command: string, value: string | undefined): number {
  const port = value === undefined ? 0 : Number(value);
  if (!/^\d+$/.test(value ?? '0') || port > 65535)
    throw new UsageError(`${command}: --port ${value}: expected a port number from 0 to 65535`);
  return port;
}

/** What to type to open the reports: matrix.html opens from disk, the Allure report needs a server. */
export function openHint(out: string): string {
  const q = (s: string) => (/^[\w./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);
  return `\nopen the reports:\n  matrix.html:   ${q(join(out, 'matrix.html'))} (from disk, in any browser)\n  Allure report: npx pvmatrix serve --out ${q(out)}\n`;
}

export async function serveUntilStopped(out: string, port: number, io: Io, signalStop: () => Promise<void>): Promise<void> {
  const { server, url } = await serveDir(out, port);
  io.out(`serving ${out} at ${url}\n  Allure report: ${url}allure-report/\n  matrix:        ${url}matrix.html\nCtrl-C stops the server.\n`);
  await signalStop();
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
}

export function waitForCtrlC(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export const command: Command = {
  name: 'report',
  summary: 'matrix.html, summary.md and the Allure HTML report from DIR/results.json',
  usage,
  run: (argv) => report(argv, processIo),
};
