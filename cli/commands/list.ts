import { expand } from '../../runner/expand/expand.ts';
import type { PlannedCell } from '../../runner/expand/planned.ts';
import { helpOption, parseCommandArgs } from '../args.ts';
import { processIo, type Command, type Io } from '../command.ts';
import { ChunkedWriter, loadSelection, MATRIX_USAGE, matrixOption, SELECTION_USAGE, selectionOptions } from '../selection.ts';

const usage = `usage: pvmatrix list [--matrix FILE] [selection] [--json]

Prints the cells of the matrix, one per line: the value of each axis, the scenario and
what is expected of the cell (or why it is excluded). The count goes to stderr.

options:
${MATRIX_USAGE}
  --json                a JSON array: id, axes, scenario, feature, expected, expectedFrom,
                        excluded ({reason, source, from}) for excluded cells
  -h, --help            this help

${SELECTION_USAGE}
`;

export async function list(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('list', argv, { ...helpOption, ...matrixOption, ...selectionOptions, json: { type: 'boolean' } });
  if (values.help) {
    io.out(usage);
    return 0;
  }
  const { spec, selector } = loadSelection(values);
  const w = new ChunkedWriter(io.out);
  let cells = 0;
  let excluded = 0;
  const tally = (p: PlannedCell) => {
    cells++;
    if (p.excluded) excluded++;
  };
  if (values.json) {
    w.line('[');
    for (const p of expand(spec, { selector })) {
      const row = {
        id: p.cell.id,
        axes: p.cell.axes,
        scenario: p.cell.scenario,
        feature: p.cell.feature,
        expected: p.expected,
        expectedFrom: p.expectedFrom,
        excluded: p.excluded,
      };
      w.line((cells === 0 ? '' : ',') + JSON.stringify(row));
      tally(p);
    }
    w.line(']');
  } else {
    // Widths come from the declared values, so the table streams without a first pass.
    const widths = spec.axes.map((a) => Math.max(a.name.length, ...a.values.map((v) => v.id.length)));
    const scenarioWidth = Math.max('scenario'.length, ...spec.scenarios.map((s) => s.id.length));
    const row = (cols: string[], last: string) =>
      `${cols.map((c, i) => c.padEnd(i < widths.length ? widths[i]! : scenarioWidth)).join('  ')}  ${last}`;
    w.line(row([...spec.axes.map((a) => a.name), 'scenario'], 'expected'));
    for (const p of expand(spec, { selector })) {
      const cols = spec.axes.map((a) => p.cell.axes[a.name] ?? '-');
      cols.push(p.cell.scenario);
      const last = p.excluded
        ? `skipped: ${p.excluded.reason}`
        : p.expectedFrom === 'default'
          ? p.expected
          : `${p.expected} (${p.expectedFrom})`;
      w.line(row(cols, last));
      tally(p);
    }
  }
  w.flush();
  io.err(`${cells} cell${cells === 1 ? '' : 's'} (${excluded} excluded)\n`);
  return 0;
}

export const command: Command = {
  name: 'list',
  summary: 'print the cells of the matrix (a table, or --json)',
  usage,
  run: (argv) => list(argv, processIo),
};
