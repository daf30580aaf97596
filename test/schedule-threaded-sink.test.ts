import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CellResult } from '../contracts/result.ts';
import { ThreadedSink } from '../runner/results/threaded-sink.ts';
import { emptySummary } from '../contracts/summary.ts';

const SINKS = new URL('./support/failing-sinks.ts', import.meta.url).href;
const run = { started: '2026-11-24T00:00:00.000Z', backend: 'x', matrix: 'm.yaml', version: '0' };
const cell = (i: number): CellResult => ({
  id: `c=${i}`,
  axes: { c: String(i) },
  scenario: 's',
  feature: 'f',
  outcome: 'works',
  expected: 'works',
  expectedFrom: 'default',
  status: 'passed',
  facts: [],
  steps: [],
  transcript: [],
  durationMs: 0,
  reproducer: '',
  attempts: 1,
  flaky: false,
});

test('a threaded sink gets every result, in order, and its end() is awaited', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pvmatrix-threaded-'));
  try {
    const sink = new ThreadedSink({ url: SINKS, exportName: 'countingSinks', args: [dir] });
    await sink.begin(run, []);
    for (let i = 0; i < 5000; i++) await sink.add(cell(i), []);
    await sink.end(run, { ...emptySummary(), cells: 5000 });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'counted.json'), 'utf8')), { n: 5000, last: 'c=4999', cells: 5000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an error in a threaded sink surfaces in this thread (the run stops), and the thread ends', async () => {
  const sink = new ThreadedSink({ url: SINKS, exportName: 'failingSinks', args: [] });
  await sink.begin(run, []);
  await assert.rejects(async () => {
    for (let i = 0; i < 5000; i++) await sink.add(cell(i), []);
    await sink.end(run, emptySummary());
  }, /disk full in the worker/);
  await sink.abort();
});
