import { join, resolve } from 'node:path';
import { backendFactories, createBackend, DEFAULT_BACKEND, type BackendFactory } from '../../backends/registry.ts';
import type { CellResult } from '../../contracts/result.ts';
import { readBaseline } from '../../runner/results/baseline.ts';
import { reportSinks } from '../../reports/sinks.ts';
import { ResultsJsonSink } from '../../reports/results-json/sink.ts';
import { removeStaleTemporaries } from '../../runner/results/stale.ts';
import type { ResultSink } from '../../contracts/results.ts';
import { exitCodeOf } from '../../contracts/summary.ts';
import { selectionKey } from '../../runner/results/fingerprint.ts';
import { JOURNAL_FILE, journalCellLines } from '../../runner/results/journal.ts';
import { parseDuration } from '../duration.ts';
import { createProgress, type ProgressMode } from '../../runner/schedule/progress.ts';
import { runMatrix } from '../../runner/schedule/run-matrix.ts';
import { helpOption, parseCommandArgs, positiveInt } from '../args.ts';
import { UsageError } from '../command.ts';
import { processIo, type Command, type Io } from '../command.ts';
import { toolVersion } from '../version.ts';
import { loadSelection, MATRIX_USAGE, matrixOption, SELECTION_USAGE, selectionOptions } from '../selection.ts';

const usage = `usage: pvmatrix run [--matrix FILE] [selection] [--backend emulator|qemu]
                    [--workers N] [--shard K/N] [--out DIR] [--baseline FILE]
                    [--timeout T] [--run-timeout T] [--retries N] [--resume]
                    [--quiet | --json]

Runs the selected cells and writes DIR/results.json (and the reports' files). Excluded
cells are reported as skipped with their reason and never reach the backend. Every
finished cell is appended to DIR/journal.jsonl; after a crash, kill or Ctrl-C, the same
command with --resume runs only the cells the journal lacks.

options:
${MATRIX_USAGE}
  --backend NAME        emulator (default) or qemu (real Xen under QEMU)
  --workers N           groups of cells run at once (default: what the backend suggests)
  --out DIR             where results go (default: out)
  --baseline FILE       a previous results.json: a cell found there is expected to have
                        the outcome it had then (works or unsupported)
  --timeout T           time allowed to each cell (or group of cells sharing a boot);
                        past it the backend is told to stop and the cells are broken.
                        T in seconds, or with a unit: 500ms, 90s, 5m, 2h (default: none)
  --run-timeout T       time allowed to the whole run: cells in flight are broken, the
                        rest are not run, results.json is written marked partial (exit 1)
  --retries N           run a failed or broken cell again up to N times; one that then
                        passes is reported as flaky (default: 0)
  --resume              continue the interrupted run in DIR (same matrix and options):
                        cells already in DIR/journal.jsonl are kept, not run again
  --quiet               print only the final summary line
  --json                one JSON line per finished cell on stdout; the summary on stderr
  -h, --help            this help

${SELECTION_USAGE}

exit codes: 0 every cell as expected; 1 some cell failed or broke, or --run-timeout
expired; 2 bad input (nothing written); 130 interrupted (Ctrl-C): cells in flight are
cancelled, results.json is written marked partial ("run": {"partial": true})
`;

export interface RunDeps {
  io: Io;
  backends: Readonly<Record<string, BackendFactory>>;
  /** The report writers besides results.json. */
  sinks: (outDir: string) => ResultSink[];
  /** Aborts the run (Ctrl-C in the command line). */
  signal?: AbortSignal;
  /** How long a backend told to stop may take before its call is abandoned (default 5 s). */
  graceMs?: number;
}

const defaultDeps: RunDeps = { io: processIo, backends: backendFactories, sinks: reportSinks };

/** How many failing cells the console lists (all of them are in results.json). */
const SHOWN_FAILURES = 10;

export async function runCommand(argv: string[], deps: RunDeps = defaultDeps): Promise<number> {
  const { io } = deps;
  const { values } = parseCommandArgs('run', argv, {
    ...helpOption,
    ...matrixOption,
    ...selectionOptions,
    backend: { type: 'string', default: DEFAULT_BACKEND },
    workers: { type: 'string' },
    out: { type: 'string', default: 'out' },
    baseline: { type: 'string' },
    timeout: { type: 'string' },
    'run-timeout': { type: 'string' },
    retries: { type: 'string' },
    resume: { type: 'boolean' },
    quiet: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    io.out(usage);
    return 0;
  }
  // Everything the user gave is checked before anything is written.
  const workers = positiveInt('workers', values.workers);
  const timeoutMs = parseDuration('timeout', values.timeout);
  const runTimeoutMs = parseDuration('run-timeout', values['run-timeout']);
  const retries = values.retries === undefined ? 0 : /^\d+$/.test(values.retries) ? Number(values.retries) : NaN;
  if (!Number.isInteger(retries)) throw new UsageError(`--retries ${values.retries}: expected a whole number (0 for none)`);
  if (values.quiet && values.json) throw new UsageError('--quiet and --json cannot be combined: --json already keeps stdout for the cells');
  const { spec, selector } = loadSelection(values);
  const baseline = values.baseline === undefined ? undefined : await readBaseline(values.baseline);
  const backend = await createBackend(values.backend, deps.backends);

  removeStaleTemporaries(values.out);
  // results.json holds exactly the journal's lines (runMatrix keeps it in --out): copied from
  // it at the end, not serialised and written twice.
  const journal = join(values.out, JOURNAL_FILE);
  const results = new ResultsJsonSink(values.out, { cellLines: () => journalCellLines(journal) });
  const failures: CellResult[] = [];
  const mode: ProgressMode = values.quiet || values.json || io !== processIo ? 'none' : process.stderr.isTTY ? 'bar' : 'lines';
  const progress = createProgress(mode);
  let jsonLines = '';
  const flushJson = (): void => {
    if (jsonLines) io.out(jsonLines);
    jsonLines = '';
  };
  const console: ResultSink = {
    begin: async () => {},
    add: async (r) => {
      if ((r.status === 'failed' || r.status === 'broken') && failures.length < SHOWN_FAILURES) failures.push(r);
      progress.cell(r);
      if (values.json) {
        jsonLines += `${JSON.stringify(r)}\n`;
        if (jsonLines.length > 1 << 16) flushJson();
      }
    },
    end: async () => {
      progress.stop();
      flushJson();
    },
  };
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    // A second Ctrl-C means now: the journal already holds every finished cell.
    if (++interrupts > 1) process.exit(130);
    controller.abort();
  };
  if (!deps.signal) process.on('SIGINT', onSigint);
  deps.signal?.addEventListener('abort', onSigint, { once: true });
  const reports = deps.sinks(values.out);
  let outcome: Awaited<ReturnType<typeof runMatrix>>;
  try {
    outcome = await runMatrix({
      spec,
      selector,
      baseline,
      backend,
      backendName: values.backend,
      defaultBackend: DEFAULT_BACKEND,
      workers,
      sinks: [results, ...reports, console],
      signal: controller.signal,
      version: toolVersion(),
      journalDir: values.out,
      selection: selectionKey({ ...values, backend: values.backend }),
      resume: values.resume ?? false,
      timeoutMs,
      runTimeoutMs,
      graceMs: deps.graceMs,
      retries,
      onTotal: mode === 'none' ? undefined : (n, already) => progress.total(n, already),
    });
  } catch (e) {
    progress.stop();
    results.abort();
    for (const r of reports) await (r as { abort?: () => Promise<void> }).abort?.();
    throw e;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  const s = outcome.summary;
  const where = resolve(values.out, 'results.json');
  const line =
    `${s.cells} cells: ${s.passed} passed${s.flaky ? ` (${s.flaky} flaky)` : ''}, ${s.failed} failed, ${s.broken} broken, ${s.skipped} skipped ` +
    `(works ${s.works}, unsupported ${s.unsupported})${outcome.aborted ? ' [partial]' : ''} -> ${where}\n`;
  const say = values.json ? io.err : io.out;
  if (outcome.stop?.kind === 'interrupt') {
    io.err(
      `interrupted: ${where} holds the ${s.cells} cells that finished (marked partial); ${resolve(values.out, JOURNAL_FILE)} keeps them for --resume\n`,
    );
    say(line);
    return 130;
  }
  if (!values.quiet) {
    for (const f of failures)
      io.err(`${f.status}: ${f.id}\n  ${f.reason ?? `expected ${f.expected}, got ${f.outcome}`}\n  ${f.reproducer}\n`);
    if (s.failed + s.broken > failures.length) io.err(`... and ${s.failed + s.broken - failures.length} more in results.json\n`);
  }
  if (outcome.stop)
    io.err(`${outcome.stop.message}: the cells not run are missing from ${where} (marked partial); run again with --resume to finish\n`);
  if (s.cells === 0) io.err('warning: the selection matches no cell\n');
  say(line);
  return outcome.stop ? 1 : exitCodeOf(s);
}
export const command: Command = {
  name: 'run',
  summary: 'run the selected cells and write results.json',
  usage,
  run: (argv) => runCommand(argv),
};
