import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MarkdownSummarySink } from '../reports/markdown/sink.ts';
import { LISTED } from '../reports/markdown/summary.ts';
import { makeResults, sizedOptions } from './support/results-fixture.ts';

test('summary.md and $GITHUB_STEP_SUMMARY: counts, categories, failing cells with reasons', async () => {
  const { file } = makeResults(sizedOptions(3000));
  const dir = await mkdtemp(join(tmpdir(), 'pvm-md-'));
  const step = join(dir, 'step-summary.md');
  await writeFile(step, 'earlier step\n');
  const sink = new MarkdownSummarySink(dir, { GITHUB_STEP_SUMMARY: step });
  await sink.begin();
  for (const c of file.cells) await sink.add(c);
  await sink.end(file.run, file.summary);
  const md = await readFile(join(dir, 'summary.md'), 'utf8');
  const s = file.summary;
  assert.ok(
    md.includes(`| ${s.cells} | ${s.passed} | ${s.failed} | ${s.broken} | ${s.skipped} | ${s.works} | ${s.unsupported} | ${s.flaky} |`),
  );
  const regressions = file.cells.filter((c) => c.status === 'failed' && c.expectedFrom === 'baseline').length;
  assert.ok(md.includes(`| Regression against the baseline | ${regressions} |`));
  const listed = md.split('\n').filter((l) => l.startsWith('| `'));
  assert.equal(listed.length, Math.min(LISTED, s.failed + s.broken));
  assert.ok(md.includes(`…and ${s.failed + s.broken - listed.length} more`));
  assert.ok(!md.includes('<img'), 'markup is escaped');
  assert.equal(await readFile(step, 'utf8'), `earlier step\n${md}`, 'appended to the step summary');
  await rm(dir, { recursive: true });
});
