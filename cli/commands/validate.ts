import { expand } from '../../runner/expand/expand.ts';
import { helpOption, parseCommandArgs } from '../args.ts';
import { processIo, type Command, type Io } from '../command.ts';
import { loadSelection, MATRIX_USAGE, matrixOption } from '../selection.ts';

const usage = `usage: pvmatrix validate [--matrix FILE]

Checks the matrix and every scenario file it uses; prints a one-line summary, or every
problem as FILE:LINE:COL: message (exit 2).

options:
${MATRIX_USAGE}
  -h, --help            this help
`;

export async function validate(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('validate', argv, { ...helpOption, ...matrixOption });
  if (values.help) {
    io.out(usage);
    return 0;
  }
  const { spec } = loadSelection({ matrix: values.matrix });
  let cells = 0;
  let excluded = 0;
  for (const p of expand(spec)) {
    cells++;
    if (p.excluded) excluded++;
  }
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  io.out(
    `${spec.matrixFile}: valid: ${plural(cells, 'cell')} (${excluded} excluded), ${plural(spec.scenarios.length, 'scenario')}, ${plural(spec.axes.length, 'axis').replace(/axiss$/, 'axes')}\n`,
  );
  return 0;
}

export const command: Command = {
  name: 'validate',
  summary: 'check matrix.yaml and the scenarios; print a summary or every error',
  usage,
  run: (argv) => validate(argv, processIo),
};
