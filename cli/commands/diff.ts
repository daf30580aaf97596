import { compareOutcomes, renderAgreement } from '../../reports/diff/agreement.ts';
import { diffResults } from '../../reports/diff/classify.ts';
import { renderDiff } from '../../reports/diff/render.ts';
import { readResultsFile } from '../../contracts/results.ts';
import { helpOption, parseCommandArgs } from '../args.ts';
import { processIo, UsageError, type Command, type Io } from '../command.ts';

const usage = `usage: pvmatrix diff OLD.json NEW.json [--json]
       pvmatrix diff --agreement A.json B.json [--json]

Compares two results.json files cell by cell:
  regression     was as expected (or worked), now fails or breaks; or went from works to
                 unsupported/broken even if the expectation moved with it
  fixed          failed or broke before, passes now; or went from unsupported/broken to works
  still failing  failed or broke in both
  flaky          passed only on a retry in NEW
  new, removed   cells only in NEW, only in OLD

--agreement compares two backends on the same cells instead (the emulator and the real
backend): the outcome of every cell both ran, disagreements listed with both reasons.

options:
  --agreement   compare outcomes between two backends' runs (exit 1 on a disagreement)
  --json        the same as JSON: { old, new, counts, entries: [{ id, change, old, new }] },
                or with --agreement { a, b, compared, agree, disagreements, ... }
  -h, --help    this help

exit codes: 0 no regression (no disagreement); 1 at least one regression (disagreement);
            2 bad usage or input
`;

export async function diff(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'diff',
    argv,
    { ...helpOption, json: { type: 'boolean' }, agreement: { type: 'boolean' } },
    true,
  );
  if (values.help) {
    io.out(usage);
    return 0;
  }
  if (positionals.length !== 2)
    throw new UsageError(`diff: expected two files, OLD.json and NEW.json, got ${positionals.length}; see: pvmatrix diff --help`);
  const [oldPath, newPath] = positionals as [string, string];
  if (values.agreement) {
    const r = compareOutcomes(await readResultsFile(oldPath), await readResultsFile(newPath));
    io.out(values.json ? `${JSON.stringify({ a: oldPath, b: newPath, ...r }, null, 2)}\n` : renderAgreement(r, oldPath, newPath));
    return r.disagreements.length > 0 ? 1 : 0;
  }
  const result = diffResults(await readResultsFile(oldPath), await readResultsFile(newPath));
  io.out(values.json ? `${JSON.stringify({ old: oldPath, new: newPath, ...result }, null, 2)}\n` : renderDiff(result, oldPath, newPath));
  return result.counts.regression > 0 ? 1 : 0;
}

export const command: Command = {
  name: 'diff',
  summary: 'regressions, fixes and new or removed cells between two results.json files',
  usage,
  run: (argv) => diff(argv, processIo),
};
