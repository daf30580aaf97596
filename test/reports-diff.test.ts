import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareOutcomes } from '../reports/diff/agreement.ts';
import { classifyChange, diffResults } from '../reports/diff/classify.ts';
import { diff } from '../cli/commands/diff.ts';
import { main } from '../cli/main.ts';
import type { CellResult } from '../contracts/result.ts';
import { makeResults } from './support/results-fixture.ts';

type V = Pick<CellResult, 'outcome' | 'status' | 'flaky'>;
const v = (outcome: V['outcome'], status: V['status'], flaky = false): V => ({ outcome, status, flaky });

test('classifyChange on crafted pairs', () => {
  const cases: [V, V, string][] = [
    [v('works', 'passed'), v('unsupported', 'failed'), 'regression'],
    [v('works', 'passed'), v('broken', 'broken'), 'regression'],
    [v('unsupported', 'passed'), v('broken', 'broken'), 'regression'], // was as expected, now broke
    [v('works', 'passed'), v('unsupported', 'passed'), 'regression'], // the expectation moved with it: still a loss
    [v('unsupported', 'failed'), v('works', 'passed'), 'fixed'],
    [v('broken', 'broken'), v('unsupported', 'passed'), 'fixed'],
    [v('unsupported', 'passed'), v('works', 'failed'), 'fixed'], // works now, expectation lags behind
    [v('unsupported', 'failed'), v('unsupported', 'failed'), 'still-failing'],
    [v('broken', 'broken'), v('broken', 'broken'), 'still-failing'],
    [v('works', 'passed'), v('works', 'passed', true), 'flaky'],
    [v('works', 'passed'), v('works', 'passed'), 'unchanged'],
    [v('unsupported', 'passed'), v('unsupported', 'passed'), 'unchanged'],
    [v('skipped', 'skipped'), v('skipped', 'skipped'), 'unchanged'],
    [v('skipped', 'skipped'), v('unsupported', 'failed'), 'unchanged'],
  ];
  // the last row: a cell that was skipped has no verdict to regress from
  for (const [old, cur, want] of cases) assert.equal(classifyChange(old, cur), want, `${JSON.stringify(old)} -> ${JSON.stringify(cur)}`);
});

test('diffResults finds new and removed cells and orders regressions first', () => {
  const old = makeResults({ seed: 1 }).file;
  const cur = makeResults({ seed: 2 }).file;
  const removed = cur.cells.pop()!;
  const added = { ...removed, id: `${removed.id}-new` };
  cur.cells.push(added);
  const d = diffResults(old, cur);
  assert.equal(d.counts.new, 1);
  assert.equal(d.counts.removed, 1);
  assert.deepEqual(d.entries.find((e) => e.change === 'new')?.id, added.id);
  assert.deepEqual(d.entries.find((e) => e.change === 'removed')?.id, removed.id);
  assert.ok(d.counts.regression > 0 && d.counts.fixed > 0, 'different seeds move some cells both ways');
  assert.equal(d.entries[0]!.change, 'regression');
  const total = Object.values(d.counts).reduce((a, b) => a + b, 0);
  assert.equal(total, cur.cells.length + 1, 'every cell counted once, plus the removed one');
});

function capture() {
  const io = { text: '', errText: '', out: (t: string) => void (io.text += t), err: (t: string) => void (io.errText += t) };
  return io;
}

test('pvmatrix diff: exit 1 on regressions, 0 without, 2 on bad input naming the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pvm-diff-'));
  const a = join(dir, 'old.json');
  const b = join(dir, 'new.json');
  await writeFile(a, JSON.stringify(makeResults({ seed: 1 }).file));
  await writeFile(b, JSON.stringify(makeResults({ seed: 2 }).file));
  let io = capture();
  assert.equal(await diff([a, b], io), 1);
  assert.match(io.text, /^Regressions .*: \d+$/m);
  io = capture();
  assert.equal(await diff([a, a], io), 0);
  assert.match(io.text, /0 regressions, 0 fixed/);
  io = capture();
  assert.equal(await diff([a, b, '--json'], io), 1);
  const json = JSON.parse(io.text);
  assert.ok(json.counts.regression > 0 && Array.isArray(json.entries));

  const notResults = join(dir, 'package.json');
  await writeFile(notResults, '{"name":"x"}');
  const broken = join(dir, 'broken.json');
  await writeFile(broken, '{"schema":"pvmatrix/results@1","run":{}}');
  for (const [args, pattern] of [
    [[join(dir, 'missing.json'), b], /missing\.json: no such file/],
    [[notResults, b], /package\.json: not a pvmatrix results file/],
    [[broken, b], /broken\.json: run\.started: missing/],
    [[a], /expected two files/],
  ] as [string[], RegExp][]) {
    io = capture();
    assert.equal(await main(['diff', ...args], io), 2, args.join(' '));
    assert.match(io.errText, pattern);
    assert.doesNotMatch(io.errText, /at .*\.ts:\d+/, 'no stack trace');
  }
  await rm(dir, { recursive: true });
});

test('diff --agreement: outcomes of the cells both backends ran; skipped cells apart; exit 1 on a disagreement', async () => {
  const emu = makeResults({ seed: 1 }).file;
  const real = structuredClone(emu);
  const ran = real.cells.filter((c) => c.outcome !== 'skipped');
  assert.ok(ran.length >= 3, 'the fixture has cells that ran');
  // the real backend could not run one cell, and disagrees on another (same verdict text, other outcome)
  ran[0]!.outcome = 'skipped';
  ran[0]!.reason = 'the real image is x86_64';
  ran[1]!.outcome = ran[1]!.outcome === 'works' ? 'unsupported' : 'works';
  real.cells.push({ ...ran[2]!, id: `${ran[2]!.id}-only-real` });
  const r = compareOutcomes(emu, real);
  const skippedInEmu = emu.cells.filter((c) => c.outcome === 'skipped').length;
  assert.equal(r.skipped, skippedInEmu + 1);
  assert.equal(r.compared, emu.cells.length - r.skipped);
  assert.equal(r.agree, r.compared - 1);
  assert.deepEqual(
    r.disagreements.map((d) => d.id),
    [ran[1]!.id],
  );
  assert.equal(r.onlyB, 1);
  assert.equal(r.onlyA, 0);

  const dir = await mkdtemp(join(tmpdir(), 'pvm-agree-'));
  const a = join(dir, 'emu.json');
  const b = join(dir, 'real.json');
  await writeFile(a, JSON.stringify(emu));
  await writeFile(b, JSON.stringify(real));
  let io = capture();
  assert.equal(await diff(['--agreement', a, b], io), 1);
  assert.match(io.text, new RegExp(`\\| ${r.compared} \\| ${r.agree} \\| 1 \\|`));
  assert.ok(io.text.includes(ran[1]!.id), 'the disagreeing cell is named');
  io = capture();
  assert.equal(await diff(['--agreement', a, a, '--json'], io), 0);
  assert.equal(JSON.parse(io.text).disagreements.length, 0);
  await rm(dir, { recursive: true });
});
