/**
 * `npm test` and `npm run test:fast`: every suite runs, whatever an earlier one did, and the
 * command fails if any failed. A chain of `a && b` would hide the browser suite behind a red
 * node suite, and a red type check behind both.
 *
 *   npm test             type check, lint and format, every node:test file, every browser test
 *   npm run test:fast    the same without real QEMU boots, Allure (Java) generation and the CI
 *                        simulations: the loop to run while working (under a minute on 2 cores)
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

const fast = process.argv.includes('--fast');

/** What the fast loop leaves out, by file: each boots QEMU, generates Allure, runs a real matrix, or replays a CI workflow. */
const SLOW = new Set([
  'test/qemu-real.test.ts',
  'test/allure-generate.test.ts',
  'test/ci-examples.test.ts',
  'test/e2e/allure.spec.ts',
  'test/e2e/start.spec.ts',
]);

const nodeFiles = readdirSync('test')
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => join('test', f))
  .sort()
  .filter((f) => !(fast && SLOW.has(f)));
const browserFiles = readdirSync('test/e2e')
  .filter((f) => f.endsWith('.spec.ts'))
  .map((f) => join('test', 'e2e', f))
  .sort()
  .filter((f) => !(fast && SLOW.has(f)));

const bin = (name: string) => join('node_modules', '.bin', name);
// The node suite is mostly waiting on child processes and disk: one file more than there are
// cores keeps both busy.
const concurrency = String(availableParallelism() + 1);

const suites: { name: string; argv: string[] }[] = [
  { name: 'typecheck (tsc --noEmit)', argv: [bin('tsc'), '--noEmit'] },
  { name: 'lint and format (biome ci)', argv: [bin('biome'), 'ci', '--error-on-warnings', '.'] },
  {
    name: `node:test (${nodeFiles.length} files)`,
    argv: [process.execPath, '--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...nodeFiles],
  },
  { name: `browser (Playwright, ${browserFiles.length} files)`, argv: [bin('playwright'), 'test', ...browserFiles] },
];

const results: { name: string; code: number; seconds: number }[] = [];
for (const s of suites) {
  process.stdout.write(`\n=== ${s.name}\n`);
  const started = performance.now();
  const r = spawnSync(s.argv[0]!, s.argv.slice(1), { stdio: 'inherit' });
  const code = r.status ?? (r.signal ? 128 : 1);
  results.push({ name: s.name, code, seconds: (performance.now() - started) / 1000 });
  if (r.signal === 'SIGINT' || r.signal === 'SIGTERM') break;
}

process.stdout.write(`\n=== ${fast ? 'npm run test:fast' : 'npm test'}: summary\n`);
for (const r of results) process.stdout.write(`${r.code === 0 ? 'ok  ' : 'FAIL'}  ${r.name}  ${r.seconds.toFixed(1)} s\n`);
const failed = results.filter((r) => r.code !== 0);
if (results.length < suites.length) process.stdout.write('interrupted: not every suite ran\n');
process.exit(failed.length || results.length < suites.length ? 1 : 0);
