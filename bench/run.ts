/**
 * `npm run bench [-- --only NAME] [-- --write-readme]`: runs every bench/*.bench.ts, prints
 * the figures, and with --write-readme replaces the block between the README's bench markers.
 */
import { readdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { removeLeftovers } from './cli-run.ts';
import type { Bench, BenchRow } from './row.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { only: { type: 'string' }, 'write-readme': { type: 'boolean' } } });

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && (!values.only || f.startsWith(values.only)))
  .sort();

const sections: { file: string; rows: BenchRow[] }[] = [];
for (const file of files) {
  const bench = (await import(join(here, file))).default as Bench;
  process.stderr.write(`running ${file}...\n`);
  const rows = await bench().finally(removeLeftovers);
  sections.push({ file, rows });
  for (const r of rows)
    console.log(
      `${file.replace('.bench.ts', '').padEnd(10)} ${r.name.padEnd(58)} ${format(r.value).padStart(12)} ${r.unit}${r.note ? `  (${r.note})` : ''}`,
    );
}

function format(v: number): string {
  return Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3);
}

if (values['write-readme']) {
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine} with \`npm run bench\`:`,
    '',
    '| bench | figure | value | unit | note |',
    '|---|---|---:|---|---|',
    ...sections.flatMap((s) =>
      s.rows.map((r) => `| ${s.file.replace('.bench.ts', '')} | ${r.name} | ${format(r.value)} | ${r.unit} | ${r.note ?? ''} |`),
    ),
  ].join('\n');
  const readme = join(here, '..', 'README.md');
  const text = readFileSync(readme, 'utf8');
  const begin = '<!-- bench:begin -->';
  const end = '<!-- bench:end -->';
  const [head, rest] = text.split(begin);
  if (rest === undefined) throw new Error(`README.md has no ${begin} marker`);
  const tail = rest.split(end)[1] ?? '';
  writeFileSync(`${readme}.tmp`, `${head}${begin}\n${table}\n${end}${tail}`);
  renameSync(`${readme}.tmp`, readme);
  console.log('README.md updated');
}
