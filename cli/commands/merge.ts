import { resolve } from 'node:path';
import { mergeRuns } from '../../reports/merge.ts';
import { exitCodeOf } from '../../contracts/summary.ts';
import { helpOption, parseCommandArgs } from '../args.ts';
import { processIo, UsageError, type Command, type Io } from '../command.ts';

const usage = `usage: pvmatrix merge DIR... --out DIR

Combines the output folders of several runs (typically \`run --shard K/N\` on several CI
machines) into one: DIR/results.json with the summary recomputed, DIR/allure-results/,
DIR/junit.xml and DIR/summary.md. Then \`pvmatrix report --out DIR\` as for a single run.

Refuses (exit 2): folders from different matrices, backends or pvmatrix versions; a cell
found in two folders (overlapping shards); an interrupted (partial) run. Warns when the
inputs are shards K/N and some K is missing.

options:
  --out DIR     where the merged run goes (must not be one of the inputs)
  -h, --help    this help

exit codes: 0 merged, every cell as expected; 1 merged, some cell failed or broke;
            2 bad usage or inputs (nothing written)
`;

export async function merge(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('merge', argv, { ...helpOption, out: { type: 'string' } }, true);
  if (values.help) {
    io.out(usage);
    return 0;
  }
  if (!values.out) throw new UsageError('merge: --out DIR is required (where the merged run goes); see: pvmatrix merge --help');
  if (positionals.length === 0)
    throw new UsageError('merge: name the run folders to merge, e.g. pvmatrix merge shard-1 shard-2 --out merged');
  const { summary: s, missingShards } = await mergeRuns(positionals, values.out);
  if (missingShards.length)
    io.err(`warning: shards ${missingShards.join(', ')} are missing: the merged run does not cover the whole matrix\n`);
  io.out(
    `merged ${positionals.length} runs: ${s.cells} cells: ${s.passed} passed${s.flaky ? ` (${s.flaky} flaky)` : ''}, ${s.failed} failed, ${s.broken} broken, ${s.skipped} skipped ` +
      `(works ${s.works}, unsupported ${s.unsupported}) -> ${resolve(values.out, 'results.json')}\n`,
  );
  return exitCodeOf(s);
}

export const command: Command = {
  name: 'merge',
  summary: 'combine the outputs of shard runs into one results.json, allure-results and junit.xml',
  usage,
  run: (argv) => merge(argv, processIo),
};
