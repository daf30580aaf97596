/**
 * Regular expressions users write (issue 21) run on RE2 (lib/pattern.ts): linear time, so a
 * catastrophic pattern cannot hang a run; what RE2 cannot take is refused where it is
 * written: `--grep` is an option error (exit 2), YAML a file:line:col error.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { compilePattern, isPattern } from '../lib/pattern.ts';
import { escapeRegex } from '../runner/results/reproducer.ts';
import { pvmatrix } from './support/spawn-cli.ts';
import { BOOT_SCENARIO, writeTree } from './support/temp-matrix.ts';

const CATASTROPHIC = '^([^X]|[^X])*X$';
const MATRIX = 'axes:\n  xen: ["4.17"]\n  kernel: ["6.1"]\n  format: [bzImage, vmlinux]\n  role: [dom0, domU]\n';

test('run --grep with a pattern that backtracks exponentially finishes (nothing matches it)', () => {
  const dir = writeTree({ 'matrix.yaml': MATRIX, 'scenarios/boot.yaml': BOOT_SCENARIO });
  // The cell ids are ~70 characters without an X: a backtracking engine tries 2^70 ways.
  const r = pvmatrix(['run', '--matrix', join(dir, 'matrix.yaml'), '--out', join(dir, 'out'), '--grep', CATASTROPHIC, '--quiet'], dir);
  assert.notEqual(r.code, null, 'the run was still going when the spawn timed out');
  assert.ok(r.code === 0 || r.code === 2, `${r.code}: ${r.stderr}`);
  assert.doesNotMatch(r.stdout, /[1-9]\d* cells/, 'no cell matches');
});

test('--grep with a backreference or a lookaround is an option error (exit 2) naming RE2', () => {
  const dir = writeTree({ 'matrix.yaml': MATRIX, 'scenarios/boot.yaml': BOOT_SCENARIO });
  for (const grep of ['(a)\\1', 'kernel=(?=6)', '(?<!x)role']) {
    const r = pvmatrix(['list', '--matrix', join(dir, 'matrix.yaml'), '--grep', grep], dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`^--grep ${escapeRegex(grep)}: not a regular expression RE2 can take: .*no backreferences`, 'm'));
  }
});

test('scenario matches: and rule because: that RE2 cannot take are file:line:col errors', () => {
  const dir = writeTree({
    'matrix.yaml': `${MATRIX}expect:\n  - when: { role: domU }\n    outcome: works\n    because: "(?=x)"\n`,
    'scenarios/boot.yaml': 'id: boot\nsteps:\n  - boot: {}\n  - xen-console:\n    expect: { matches: "(Xen)\\\\1" }\n',
  });
  const r = pvmatrix(['validate', '--matrix', join(dir, 'matrix.yaml')], dir);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /matrix\.yaml:9:14: invalid regular expression in `because`: .*\(\?=.*RE2 syntax/);
  assert.match(r.stderr, /scenarios\/boot\.yaml:5:24: not a regular expression RE2 can take: .*\\1/);
});

test('a catastrophic matches: on a long console finishes, and a reference in a pattern is checked with a stand-in', () => {
  const p = compilePattern('^(a|a)*$', { multiline: true });
  assert.ok(isPattern(p));
  assert.equal(p.test(`${'a'.repeat(100_000)}b`), false);
  assert.ok(isPattern(compilePattern('^${axes.kernel}\\.')), 'a literal ${...} compiles: the engine substitutes before it checks');
});

test('every reproducer --grep is an RE2 pattern that selects its own cell only', () => {
  const ids = [
    'xen=4.17/kernel=6.1/format=bzImage/compression=gzip/arch=x86_64/role=dom0/scenario=boot',
    'xen=fedora11-3.3.1/kernel=2.6.30-rc3-tip+x',
  ];
  for (const id of ids) {
    const p = compilePattern(`^${escapeRegex(id)}$`);
    assert.ok(isPattern(p), id);
    assert.equal(p.test(id), true);
    assert.equal(p.test(`${id}x`), false);
  }
});
