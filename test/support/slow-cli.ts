/**
 * `node --import tsx test/support/slow-cli.ts DELAY_MS run-args...`: the real `run` command
 * in a process of its own (real SIGINT handling, real exit code), on the SlowBackend double,
 * so that tests can kill -9 or Ctrl-C it part way. Prints `ran N` (cells the backend ran) on exit.
 */
import { reportSinks } from '../../reports/sinks.ts';
import { runCommand } from '../../cli/commands/run.ts';
import { processIo } from '../../cli/command.ts';
import { UserError } from '../../contracts/errors.ts';
import { SlowBackend } from './scale-doubles.ts';

const [delay, ...args] = process.argv.slice(2);
const backend = new SlowBackend(Number(delay));
try {
  process.exitCode = await runCommand(['--backend', 'slow', ...args], {
    io: processIo,
    backends: { slow: async () => backend },
    sinks: reportSinks,
  });
} catch (e) {
  if (!(e instanceof UserError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 2;
}
process.stderr.write(`ran ${backend.ran.length}\n`);
