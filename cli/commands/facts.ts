import { Emulator } from '../../emulator/index.ts';
import type { Fact } from '../../emulator/knowledge/index.ts';
import { countFacts, factCensus, type CensusCounts, type FactEntry } from '../../emulator/knowledge/census.ts';
import { expand } from '../../runner/expand/expand.ts';
import { helpOption, parseCommandArgs } from '../args.ts';
import { processIo, type Command, type Io } from '../command.ts';
import { loadSelection, MATRIX_USAGE, matrixOption } from '../selection.ts';

const usage = `usage: pvmatrix facts [--cells] [--matrix FILE] [--list] [--json]

How the emulator's facts are known, over every knowledge file (emulator/knowledge/*.yaml,
emulator/kconfig/*.yaml): verified (evidence from the primary source was looked at),
unverified (could not be checked; the fact says why) and unchecked (no evidence recorded).

options:
  --cells               also run the matrix on the emulator and count the cells whose
                        deciding facts (the reason's, and every capability a decision
                        asked about, held or not) include one that is not verified
${MATRIX_USAGE}
  --list                every fact that is not verified: file, place, reason
  --json                the same as JSON
  -h, --help            this help
`;

interface CellCensus {
  cells: number;
  decidedByUnverified: number;
  /** The not-verified facts that decide cells, with how many each. */
  facts: { text: string; source: string; cells: number }[];
}

/** Runs every cell of the matrix that is not excluded and counts those a not-verified fact decides. */
async function cellCensus(matrix: string): Promise<CellCensus> {
  const { spec } = loadSelection({ matrix });
  const cells = [...expand(spec)].filter((p) => !p.excluded).map((p) => p.cell);
  const em = new Emulator();
  await em.prepare(cells);
  const byFact = new Map<string, { text: string; source: string; cells: number }>();
  let decided = 0;
  for (const c of cells) {
    const decisions: Fact[] = [];
    const weak = [...em.run(c, { decided: decisions }).facts, ...decisions].filter((f) => !f.verified);
    if (weak.length) decided++;
    for (const f of new Map(weak.map((f) => [`${f.text}\u0000${f.source}`, f])).values()) {
      const k = `${f.text}\u0000${f.source}`;
      const row = byFact.get(k) ?? { text: f.text, source: f.source, cells: 0 };
      row.cells++;
      byFact.set(k, row);
    }
  }
  return { cells: cells.length, decidedByUnverified: decided, facts: [...byFact.values()].sort((a, b) => b.cells - a.cells) };
}

function text(counts: CensusCounts, weak: FactEntry[] | undefined, cells: CellCensus | undefined): string {
  const lines = [
    `facts: ${counts.facts}: ${counts.verified} verified, ${counts.unverified} unverified, ${counts.unchecked} unchecked`,
    ...Object.entries(counts.byFile).map(
      ([file, c]) => `  ${file}: ${c.facts}: ${c.verified} verified, ${c.unverified} unverified, ${c.unchecked} unchecked`,
    ),
  ];
  if (cells) {
    lines.push(`cells: ${cells.decidedByUnverified} of ${cells.cells} decided by a fact that is not verified`);
    for (const f of cells.facts.slice(0, 10)) lines.push(`  ${f.cells}: ${f.text} [${f.source}]`);
  }
  for (const e of weak ?? []) lines.push(`${e.status}: ${e.file} ${e.at}${e.why ? `: ${e.why}` : ''}`);
  return `${lines.join('\n')}\n`;
}

export async function facts(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('facts', argv, {
    ...helpOption,
    ...matrixOption,
    cells: { type: 'boolean' },
    list: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    io.out(usage);
    return 0;
  }
  const entries = factCensus();
  const counts = countFacts(entries);
  const weak = values.list ? entries.filter((e) => e.status !== 'verified') : undefined;
  const cells = values.cells ? await cellCensus(values.matrix) : undefined;
  io.out(
    values.json
      ? `${JSON.stringify({ ...counts, ...(weak ? { notVerified: weak } : {}), ...(cells ? { cells } : {}) }, null, 2)}\n`
      : text(counts, weak, cells),
  );
  return 0;
}

export const command: Command = {
  name: 'facts',
  summary: 'how the emulator knows what it knows: facts verified / unverified, cells they decide',
  usage,
  run: (argv) => facts(argv, processIo),
};
