import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pvmatrix } from './support/spawn-cli.ts';
import { BOOT_SCENARIO, smallMatrix, writeTree } from './support/temp-matrix.ts';

// Real runs of the emulator on a small matrix: one whole, and the same in three shards.
const MATRIX = smallMatrix('merge test');
const XENFS = 'id: xenfs\nfeature: xenfs\napplies: { role: dom0 }\nsteps: [ { mount: { fs: xenfs, at: /proc/xen } } ]\n';
const CELLS = 24 + 12;

type Results = {
  run: Record<string, unknown>;
  summary: { cells: number; passed: number; failed: number; broken: number; skipped: number };
  cells: { id: string; status: string }[];
};
const read = (dir: string): Results => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
const allureCells = (dir: string) => readdirSync(join(dir, 'allure-results')).filter((f) => f.endsWith('-result.json')).length;
const junitCases = (dir: string) => (readFileSync(join(dir, 'junit.xml'), 'utf8').match(/<testcase /g) ?? []).length;

const dir = writeTree({ 'matrix.yaml': MATRIX, 'scenarios/boot.yaml': BOOT_SCENARIO, 'scenarios/xenfs.yaml': XENFS });
const ok = (r: { code: number | null; stderr: string }) => assert.ok(r.code === 0 || r.code === 1, r.stderr);
ok(pvmatrix(['run', '--out', 'whole', '--quiet'], dir));
for (const k of [1, 2, 3]) ok(pvmatrix(['run', '--shard', `${k}/3`, '--out', `s${k}`, '--quiet'], dir));

test('merging the three shards gives the whole run: the same cells once each, the same summary, one allure-results and junit.xml', () => {
  const r = pvmatrix(['merge', 's1', 's2', 's3', '--out', 'merged'], dir);
  const whole = read(join(dir, 'whole'));
  assert.equal(r.code, whole.summary.failed + whole.summary.broken > 0 ? 1 : 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^merged 3 runs: ${CELLS} cells: `));
  const merged = read(join(dir, 'merged'));
  assert.equal(merged.cells.length, CELLS);
  assert.deepEqual(merged.summary, whole.summary);
  const byId = (x: Results) => Object.fromEntries(x.cells.map((c) => [c.id, c.status]));
  assert.deepEqual(byId(merged), byId(whole));
  assert.equal(merged.run.shard, undefined);
  // Each shard is a proper part: together they hold every cell exactly once.
  const shardSizes = [1, 2, 3].map((k) => read(join(dir, `s${k}`)).cells.length);
  assert.equal(
    shardSizes.reduce((a, b) => a + b),
    CELLS,
  );
  assert.ok(shardSizes.every((n) => n > 0 && n < CELLS));
  assert.equal(allureCells(join(dir, 'merged')), CELLS);
  assert.equal(junitCases(join(dir, 'merged')), CELLS);
  assert.match(readFileSync(join(dir, 'merged', 'junit.xml'), 'utf8'), new RegExp(`<testsuites name="pvmatrix" tests="${CELLS}"`));
  assert.ok(existsSync(join(dir, 'merged', 'allure-results', 'environment.properties')));
  assert.ok(existsSync(join(dir, 'merged', 'summary.md')));
});

test('merge warns about a missing shard, and rebuilds allure-results for a shard that has none', () => {
  mkdirSync(join(dir, 's2-bare'));
  cpSync(join(dir, 's2', 'results.json'), join(dir, 's2-bare', 'results.json'));
  const r = pvmatrix(['merge', 's1', 's2-bare', '--out', 'two'], dir);
  assert.match(r.stderr, /warning: shards 3\/3 are missing/);
  const two = read(join(dir, 'two'));
  assert.equal(two.cells.length, read(join(dir, 's1')).cells.length + read(join(dir, 's2')).cells.length);
  assert.equal(allureCells(join(dir, 'two')), two.cells.length);
});

test('merge refuses overlapping shards, other matrices, partial runs and a missing results.json, writing nothing', () => {
  const overlap = pvmatrix(['merge', 's1', 'whole', '--out', 'bad1'], dir);
  assert.equal(overlap.code, 2);
  assert.match(overlap.stderr, /merge: cell .* is in both s1 and whole: the inputs overlap/);
  assert.equal(existsSync(join(dir, 'bad1', 'results.json')), false);

  const other = writeTree({
    'matrix.yaml': MATRIX.replace('"4.17"]', '"4.17", "4.19"]'),
    'scenarios/boot.yaml': BOOT_SCENARIO,
    'scenarios/xenfs.yaml': XENFS,
  });
  ok(pvmatrix(['run', '--shard', '2/3', '--out', join(dir, 'other'), '--quiet'], other));
  const mixed = pvmatrix(['merge', 's1', 'other', '--out', 'bad2'], dir);
  assert.equal(mixed.code, 2);
  assert.match(mixed.stderr, /merge: other and s1 come from different matrices/);
  assert.equal(existsSync(join(dir, 'bad2', 'results.json')), false);

  cpSync(join(dir, 's3'), join(dir, 's3-partial'), { recursive: true });
  const p = join(dir, 's3-partial', 'results.json');
  writeFileSync(p, readFileSync(p, 'utf8').replace('"run":{', '"run":{"partial":true,'));
  const partial = pvmatrix(['merge', 's1', 's3-partial', '--out', 'bad3'], dir);
  assert.equal(partial.code, 2);
  assert.match(
    partial.stderr,
    /the run was interrupted \(results\.json is partial\); finish it first with: pvmatrix run --resume --out s3-partial/,
  );

  const none = pvmatrix(['merge', 's1', 'nowhere', '--out', 'bad4'], dir);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /merge: nowhere\/results\.json: no such file/);
  assert.equal(pvmatrix(['merge', 's1'], dir).code, 2);
});
