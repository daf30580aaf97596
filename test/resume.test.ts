import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMALL_CELLS, SMALL_MATRIX, smallProject } from './support/scale-doubles.ts';

const SCRIPT = fileURLToPath(new URL('./support/slow-cli.ts', import.meta.url));
const DELAY_MS = '40';

function start(
  dir: string,
  extra: string[] = [],
): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', SCRIPT, DELAY_MS, '--matrix', join(dir, 'matrix.yaml'), '--out', join(dir, 'out'), ...extra],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => setImmediate(() => resolve({ code, signal, stdout, stderr }))),
  );
  return { child, done };
}

const journalIds = (dir: string): string[] => {
  const lines = readFileSync(join(dir, 'out', 'journal.jsonl'), 'utf8').split('\n');
  // Only whole lines count; a torn last one is what a crash leaves.
  return lines.slice(1, -1).map((l) => (JSON.parse(l) as { id: string }).id);
};

async function waitForJournal(dir: string, lines: number): Promise<void> {
  const path = join(dir, 'out', 'journal.jsonl');
  for (let i = 0; i < 1500; i++) {
    if (existsSync(path) && journalIds(dir).length >= lines) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`the journal never reached ${lines} cells`);
}

const results = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')) as {
    run: { partial?: boolean };
    summary: { cells: number; passed: number };
    cells: { id: string }[];
  };
const ran = (stderr: string) => Number(/ran (\d+)/.exec(stderr)?.[1]);

test('kill -9 part way, then --resume: only the cells the journal lacks run, and every cell is in results.json exactly once', async () => {
  const dir = smallProject();
  const first = start(dir);
  await waitForJournal(dir, 10);
  first.child.kill('SIGKILL');
  const killed = await first.done;
  assert.equal(killed.signal, 'SIGKILL');
  assert.equal(existsSync(join(dir, 'out', 'results.json')), false, 'a killed run writes no results.json');
  const kept = journalIds(dir);
  assert.ok(kept.length >= 10 && kept.length < SMALL_CELLS, `${kept.length} journalled`);

  // Every temporary is a hidden name beside its output (lib/atomic-write.ts); the outputs are not hidden.
  const leftovers = () => readdirSync(join(dir, 'out')).filter((f) => f.startsWith('.'));
  assert.ok(leftovers().length > 0, 'a killed run leaves its temporary files');
  const second = await start(dir, ['--resume']).done;
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(leftovers(), [], 'the next run removes those of dead processes');
  assert.equal(ran(second.stderr), SMALL_CELLS - kept.length, 'the resumed run redoes only the missing cells');
  const r = results(dir);
  const ids = r.cells.map((c) => c.id);
  assert.equal(ids.length, SMALL_CELLS);
  assert.equal(new Set(ids).size, SMALL_CELLS);
  assert.equal(r.summary.cells, SMALL_CELLS);
  assert.equal(r.summary.passed, SMALL_CELLS);
  assert.equal(r.run.partial, undefined);
  // The journal now holds every cell once, and the same ones as results.json.
  const journal = journalIds(dir);
  assert.equal(journal.length, SMALL_CELLS);
  assert.deepEqual(new Set(journal), new Set(ids));
});

test('--resume refuses a journal of another selection or another matrix, and a missing one', async () => {
  const dir = smallProject();
  const first = start(dir);
  await waitForJournal(dir, 3);
  first.child.kill('SIGKILL');
  await first.done;
  const other = await start(dir, ['--resume', '--filter', 'role=dom0']).done;
  assert.equal(other.code, 2);
  assert.match(
    other.stderr,
    /journal belongs to a different selection:\n {2}journal: backend=slow\n {2}now: {5}backend=slow filter=role=dom0/,
  );
  writeFileSync(join(dir, 'matrix.yaml'), SMALL_MATRIX.replace('"4.17"]', '"4.17", "4.19"]'));
  const changed = await start(dir, ['--resume']).done;
  assert.equal(changed.code, 2);
  assert.match(changed.stderr, /journal belongs to a different matrix/);
  const none = await start(dir, ['--resume', '--out', join(dir, 'elsewhere')]).done;
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no journal to resume/);
});

test('Ctrl-C: exit 130, in-flight cells cancelled, a valid partial results.json matching the journal; --resume finishes', async () => {
  const dir = smallProject();
  const first = start(dir);
  await waitForJournal(dir, 6);
  first.child.kill('SIGINT');
  const stopped = await first.done;
  assert.equal(stopped.code, 130, stopped.stderr);
  assert.match(stopped.stderr, /interrupted: .*results\.json holds the \d+ cells that finished \(marked partial\)/);
  const partial = results(dir);
  assert.equal(partial.run.partial, true);
  assert.ok(partial.cells.length >= 6 && partial.cells.length < SMALL_CELLS);
  assert.equal(partial.summary.cells, partial.cells.length);
  assert.deepEqual(new Set(partial.cells.map((c) => c.id)), new Set(journalIds(dir)));
  assert.equal(ran(stopped.stderr), partial.cells.length, 'a cancelled cell is not reported');
  assert.ok(existsSync(join(dir, 'out', 'junit.xml')) && existsSync(join(dir, 'out', 'allure-results')));

  const rest = await start(dir, ['--resume']).done;
  assert.equal(rest.code, 0, rest.stderr);
  assert.equal(ran(rest.stderr), SMALL_CELLS - partial.cells.length);
  const all = results(dir);
  assert.equal(all.cells.length, SMALL_CELLS);
  assert.equal(new Set(all.cells.map((c) => c.id)).size, SMALL_CELLS);
  assert.equal(all.run.partial, undefined);
});
