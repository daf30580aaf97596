/**
 * The CI examples of docs/ci/, run as written: each job's own shell lines, in order, with
 * what the CI system does around them simulated (the shard jobs' variables, the artifacts
 * going from the shard jobs to the merge job, $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY), on a
 * small matrix with one cell that fails on purpose, so that the failure path is taken too.
 * `npx pvmatrix` is this checkout's bin; `npm ci` is the one line not run (already done).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { NEED, skipUnless } from './support/artifacts.ts';
import { BOOT_SCENARIO, smallMatrix, writeTree } from './support/temp-matrix.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'pvmatrix.js');
const SHARDS = 4;

// 3 x 2 x 2 x 2 boot cells; the last expectation is wrong on purpose, so some cell fails.
const MATRIX = smallMatrix(
  'ci example test',
  `  - when: { xen: "4.17", kernel: "2.6.32", role: dom0, format: vmlinux }
    outcome: unsupported
    because: "a wrong expectation, so that one cell fails"
`,
);
const CELLS = 24;

/** A workspace as a fresh checkout of the small matrix, with `npx` meaning this pvmatrix. */
function workspace(root: string, name: string): string {
  const ws = join(root, name);
  cpSync(join(root, 'repo'), ws, { recursive: true });
  return ws;
}

function shims(root: string): string {
  const dir = join(root, 'shims');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'npx'),
    `#!/bin/sh\nif [ "$1" = pvmatrix ]; then shift; exec "${process.execPath}" "${BIN}" "$@"; fi\necho "npx $*: not part of this simulation" >&2; exit 127\n`,
  );
  chmodSync(join(dir, 'npx'), 0o755);
  return dir;
}

function sh(script: string, cwd: string, env: Record<string, string>, shims: string): { code: number | null; out: string } {
  const r = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], {
    cwd,
    env: { ...process.env, ...env, PATH: `${shims}:${process.env.PATH}` },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const results = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { summary: Record<string, number>; cells: { id: string }[] };
const isNpmCi = (line: string) => /^npm ci\b/.test(line.trim());

/** The same matrix run whole, in one job: what the merged shards must add up to. */
function wholeRun(root: string): { summary: Record<string, number> } {
  const ws = workspace(root, 'whole');
  const r = spawnSync(process.execPath, [BIN, 'run', '--out', 'out', '--quiet'], { cwd: ws, encoding: 'utf8' });
  assert.equal(r.status, 1, `the whole run has a failing cell:\n${r.stderr}`);
  return results(join(ws, 'out'));
}

function checkMerged(merged: string, whole: { summary: Record<string, number> }, withAllureReport: boolean): void {
  const r = results(merged);
  assert.equal(r.summary.cells, CELLS, 'every cell once');
  assert.equal(new Set(r.cells.map((c) => c.id)).size, CELLS);
  assert.deepEqual(r.summary, whole.summary, 'the shards add up to the whole run');
  assert.equal((readFileSync(join(merged, 'junit.xml'), 'utf8').match(/<testcase /g) ?? []).length, CELLS);
  assert.equal(readdirSync(join(merged, 'allure-results')).filter((f) => f.endsWith('-result.json')).length, CELLS);
  assert.ok(existsSync(join(merged, 'matrix.html')), 'matrix.html written');
  assert.ok(existsSync(join(merged, 'summary.md')), 'summary.md written');
  if (withAllureReport) assert.ok(existsSync(join(merged, 'allure-report', 'index.html')), 'the Allure report generated');
}

// Without Java the Allure step is left out (loudly); in CI, where .ci/run installs Java, never.
const java = skipUnless(NEED.java()) === false;

test('docs/ci/github-actions.yml: 4 shard jobs, then merge and report; the failing cell fails the workflow after the reports', {
  timeout: 600_000,
}, () => {
  const root = writeTree({ 'repo/matrix.yaml': MATRIX, 'repo/scenarios/boot.yaml': BOOT_SCENARIO });
  const bin = shims(root);
  const wf = parse(readFileSync(join(ROOT, 'docs', 'ci', 'github-actions.yml'), 'utf8')) as {
    jobs: Record<
      string,
      {
        steps: { run?: string; id?: string; if?: string; uses?: string; with?: Record<string, unknown> }[];
        strategy?: { matrix: { shard: number[] } };
      }
    >;
  };
  const { shard, merge } = wf.jobs as Record<string, NonNullable<(typeof wf.jobs)[string]>>;
  assert.deepEqual(shard!.strategy!.matrix.shard, [1, 2, 3, 4]);
  const shardsDir = join(root, 'merge-job', 'shards');
  for (const k of shard!.strategy!.matrix.shard) {
    const ws = workspace(root, `shard-job-${k}`);
    const output = join(ws, '.github-output');
    writeFileSync(output, '');
    for (const step of shard!.steps) {
      if (!step.run || isNpmCi(step.run)) continue;
      const script = step.run.replaceAll('${{ matrix.shard }}', String(k));
      assert.doesNotMatch(script, /\$\{\{/, `every expression of the step is known: ${script}`);
      const r = sh(script, ws, { GITHUB_OUTPUT: output }, bin);
      assert.equal(r.code, 0, `shard ${k}: ${script}\n${r.out}`);
    }
    // actions/upload-artifact `path: out/shard-K` -> download-artifact `pattern` + `path: shards`: shards/<name>/
    const upload = shard!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    const name = String(upload.with!.name).replaceAll('${{ matrix.shard }}', String(k));
    cpSync(join(ws, String(upload.with!.path).replaceAll('${{ matrix.shard }}', String(k))), join(shardsDir, name), { recursive: true });
  }
  const ws = join(root, 'merge-job');
  cpSync(join(root, 'repo'), ws, { recursive: true });
  const outputs: Record<string, Record<string, string>> = {};
  const summary = join(ws, '.step-summary');
  writeFileSync(summary, '');
  let verdict: number | null = 0;
  for (const step of merge!.steps) {
    if (!step.run || isNpmCi(step.run)) continue;
    if (step.if && /steps\.(\w+)\.outputs\.exit != ''/.test(step.if) && !outputs[/steps\.(\w+)/.exec(step.if)![1]!]?.exit) continue;
    const script = step.run.replace(/\$\{\{ steps\.(\w+)\.outputs\.(\w+) \}\}/g, (_, id: string, key: string) => outputs[id]?.[key] ?? '');
    assert.doesNotMatch(script, /\$\{\{/, `every expression of the step is known: ${script}`);
    if (/pvmatrix report/.test(script) && !java) continue;
    const output = join(ws, '.github-output');
    writeFileSync(output, '');
    const r = sh(script, ws, { GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary }, bin);
    if (step.id)
      outputs[step.id] = Object.fromEntries(
        readFileSync(output, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('=', 2) as [string, string]),
      );
    if (step.run.trim().startsWith('exit')) verdict = r.code;
    else assert.equal(r.code, 0, `merge job: ${script}\n${r.out}`);
  }
  assert.equal(outputs.merge?.exit, '1', 'merge recorded exit 1 (a cell failed)');
  assert.equal(verdict, 1, 'the last step fails the workflow');
  if (java) {
    checkMerged(join(ws, 'merged'), wholeRun(root), true);
    assert.match(readFileSync(summary, 'utf8'), /failed/, 'summary.md went to the step summary');
  } else assert.equal(results(join(ws, 'merged')).summary.cells, CELLS);
});

test('docs/ci/gitlab-ci.yml: parallel: 4, then the merge job; its exit is the merge verdict', { timeout: 600_000 }, () => {
  const root = writeTree({ 'repo/matrix.yaml': MATRIX, 'repo/scenarios/boot.yaml': BOOT_SCENARIO });
  const bin = shims(root);
  const ci = parse(readFileSync(join(ROOT, 'docs', 'ci', 'gitlab-ci.yml'), 'utf8')) as Record<
    string,
    { script?: string[]; parallel?: number; artifacts?: { paths: string[]; reports?: { junit?: string } } }
  > & { default: { before_script: string[] } };
  assert.ok(ci.default.before_script.every(isNpmCi), 'before_script only installs');
  const job = ci.pvmatrix!;
  assert.equal(job.parallel, SHARDS);
  const merge = join(root, 'merge-job');
  cpSync(join(root, 'repo'), merge, { recursive: true });
  for (let k = 1; k <= job.parallel!; k++) {
    const ws = workspace(root, `shard-job-${k}`);
    const r = sh(job.script!.join('\n'), ws, { CI_NODE_INDEX: String(k), CI_NODE_TOTAL: String(job.parallel) }, bin);
    assert.equal(r.code, 0, `shard ${k}:\n${r.out}`);
    // artifacts: paths [out/] of every needed job are extracted into the merge job's checkout.
    for (const p of job.artifacts!.paths) cpSync(join(ws, p), join(merge, p), { recursive: true });
  }
  const script = ci.merge!.script!.map((l) => (/pvmatrix report/.test(l) && !java ? ':' : l)).join('\n');
  const r = sh(script, merge, {}, bin);
  assert.equal(r.code, 1, `the merge job fails because a cell failed:\n${r.out}`);
  assert.ok(existsSync(join(merge, ci.merge!.artifacts!.reports!.junit!)), 'the JUnit report GitLab shows exists');
  checkMerged(join(merge, 'merged'), wholeRun(root), java);
});
