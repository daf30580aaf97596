import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CellResult } from '../contracts/result.ts';
import { runCommand, type RunDeps } from '../cli/commands/run.ts';
import type { Command, Io } from '../cli/command.ts';
import { main } from '../cli/main.ts';
import { commands } from '../cli/commands/index.ts';
import { validate } from '../cli/commands/validate.ts';
import { list } from '../cli/commands/list.ts';
import { backendFactories } from '../backends/registry.ts';
import type { ResultSink } from '../contracts/results.ts';
import { UserError } from '../contracts/errors.ts';
import { pvmatrix } from './support/spawn-cli.ts';
import { TableBackendDouble, type TableRow } from './support/table-backend-double.ts';
import { BOOT_SCENARIO, writeTree } from './support/temp-matrix.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const Results = z.object({
  schema: z.literal('pvmatrix/results@1'),
  run: z.object({
    started: z.string(),
    finished: z.string(),
    backend: z.string(),
    shard: z.string().optional(),
    matrix: z.string(),
    version: z.string(),
  }),
  summary: z
    .object({
      cells: z.number(),
      passed: z.number(),
      failed: z.number(),
      broken: z.number(),
      skipped: z.number(),
      works: z.number(),
      unsupported: z.number(),
      flaky: z.number(),
    })
    .strict(),
  axes: z.array(z.object({ name: z.string(), values: z.array(z.object({ id: z.string(), label: z.string() })) })),
  cells: z.array(CellResult),
});
type Results = z.infer<typeof Results>;

const readResults = (dir: string): Results => Results.parse(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')));

const MATRIX = `
name: cli test
axes:
  xen: ["3.3", "3.4", debian12-4.17]
  kernel: ["2.6.30", "6.1"]
  format: [bzImage, vmlinux]
  role: [dom0, domU]
profiles:
  xen:
    debian12-4.17: { version: "4.17", name: Debian 12 Xen 4.17 }
exclude:
  - when: { xen: "<3.4", kernel: "6.1" }
    reason: Linux 6.1 needs Xen 3.4 or later
    source: arch/x86/xen/Kconfig
expect:
  - when: { role: dom0, format: bzImage, xen: "<3.4" }
    outcome: unsupported
    because: bzImage
`;
const XENFS = 'id: xenfs\nfeature: xenfs\napplies: { role: dom0 }\nsteps: [ { mount: { fs: xenfs, at: /proc/xen } } ]\n';
const project = () => writeTree({ 'matrix.yaml': MATRIX, 'scenarios/boot.yaml': BOOT_SCENARIO, 'scenarios/xenfs.yaml': XENFS });
// 3 xen x 2 kernels x 2 formats x 2 roles for boot, half of that for xenfs (dom0 only).
const CELLS = 24 + 12;
const EXCLUDED = 4 + 2;

test('--version and --help in a real process; --help for every command', async () => {
  const dir = project();
  assert.deepEqual(pvmatrix(['--version'], dir), { code: 0, stdout: `${VERSION}\n`, stderr: '' });
  const help = pvmatrix(['--help'], dir);
  assert.equal(help.code, 0);
  for (const name of ['validate', 'list', 'run']) assert.match(help.stdout, new RegExp(`^  ${name} +\\S`, 'm'));
  for (const [name, run] of [
    ['validate', validate],
    ['list', list],
    ['run', (argv: string[], io: Io) => runCommand(argv, { io, backends: {}, sinks: () => [] })],
  ] as const) {
    for (const flag of ['--help', '-h']) {
      const io = quietIo();
      assert.equal(await run([flag], io), 0);
      assert.match(io.text(), new RegExp(`^usage: pvmatrix ${name}`));
    }
  }
});

test('usage mistakes exit 2 with a did-you-mean and no stack trace', async () => {
  const dir = project();
  const spawned = pvmatrix(['lsit'], dir);
  assert.deepEqual([spawned.code, spawned.stdout], [2, '']);
  assert.equal(spawned.stderr, `unknown command "lsit" (did you mean "list"?); commands: ${Object.keys(commands).join(', ')}\n`);
  const cases: [string[], RegExp][] = [
    [[], /^pvmatrix \S+: compatibility matrix/],
    [['--verison'], /^unknown option --verison \(did you mean "--version"\?\)/],
    [['list', '--fitler', 'xen=3.4'], /^list: unknown option --fitler \(did you mean "--filter"\?\); see: pvmatrix list --help/],
    [['list', '--matrix'], /^list: option '--matrix <value>' argument missing/],
    [
      ['run', '--backend', 'emu', '--matrix', join(dir, 'matrix.yaml')],
      /^--backend emu: unknown backend \(did you mean "emulator"\?\); backends: emulator, qemu/,
    ],
    [['validate', '--matrix', join(dir, 'nope.yaml')], /nope\.yaml:1:1: cannot read the matrix file .*nope\.yaml: no such file/],
  ];
  for (const [args, message] of cases) {
    const io = quietIo();
    assert.equal(await main(args, io), 2, `${args.join(' ')}: ${io.text()}`);
    assert.match(io.text(), message, args.join(' '));
    assert.doesNotMatch(io.text(), /^\s+at /m, 'no stack trace');
  }
});

test('acceptance: validate reports a key typo, an unknown axis value and an unquoted 4.10, each with file:line:col, exit 2', () => {
  const dir = writeTree({
    'matrix.yaml': 'axes:\n  xen: ["3.4", 4.10]\n  format: [bzImage, vmlinx]\n  role: [dom0]\nexpcet: []\n',
    'scenarios/boot.yaml': BOOT_SCENARIO,
  });
  const r = pvmatrix(['validate'], dir);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.deepEqual(r.stderr.trim().split('\n'), [
    'matrix.yaml:2:16: expected a string, not the number 4.1: write "4.10" in quotes: YAML reads 4.10 as the number 4.1',
    'matrix.yaml:3:21: "vmlinx" is not a value of axis format (did you mean "vmlinux"?); allowed: bzImage, vmlinux, vmlinux.gz',
    'matrix.yaml:5:1: unknown key "expcet" (did you mean "expect"?); allowed: schema, name, scenarios, axes, profiles, include, exclude, expect',
    '3 errors',
  ]);
});

test('validate prints a summary; list prints a table or JSON of the same cells', async () => {
  const dir = project();
  const matrix = join(dir, 'matrix.yaml');
  const v = quietIo();
  assert.equal(await validate(['--matrix', matrix], v), 0);
  assert.equal(v.text(), `${matrix}: valid: ${CELLS} cells (${EXCLUDED} excluded), 2 scenarios, 4 axes\n`);
  const table = quietIo();
  assert.equal(await list(['--matrix', matrix, '--filter', 'xen=3.3', '--filter', 'kernel=6.1', '--scenario', 'xenfs'], table), 0);
  assert.deepEqual(
    table
      .text()
      .split('\n')
      .map((l) => l.trimEnd()),
    [
      'xen            kernel  format   role  scenario  expected',
      '3.3            6.1     bzImage  dom0  xenfs     skipped: Linux 6.1 needs Xen 3.4 or later',
      '3.3            6.1     vmlinux  dom0  xenfs     skipped: Linux 6.1 needs Xen 3.4 or later',
      '2 cells (2 excluded)',
      '',
    ],
  );
  // The JSON list, from a real process in the matrix's folder (default --matrix).
  const json = pvmatrix(['list', '--json'], dir);
  assert.equal(json.code, 0);
  assert.equal(json.stderr, `${CELLS} cells (${EXCLUDED} excluded)\n`);
  const rows = JSON.parse(json.stdout) as {
    id: string;
    axes: Record<string, string>;
    expected: string;
    expectedFrom: string;
    excluded?: { reason: string };
  }[];
  assert.equal(rows.length, CELLS);
  assert.equal(rows.filter((r) => r.excluded).length, EXCLUDED);
  const dom0 = rows.find((r) => r.id === 'xen=3.3/kernel=2.6.30/format=bzImage/role=dom0/scenario=boot')!;
  assert.deepEqual(
    [dom0.expected, dom0.expectedFrom, dom0.axes],
    ['unsupported', 'matrix.yaml:15', { xen: '3.3', kernel: '2.6.30', format: 'bzImage', role: 'dom0' }],
  );
});

test('run with the default backend writes a results.json that follows the contract; bad input leaves it untouched', async () => {
  const dir = project();
  const r = pvmatrix(['run'], dir);
  const results = readResults(join(dir, 'out'));
  const s = results.summary;
  // Whatever the emulator answers today, the exit code and the summary must agree with the cells.
  assert.equal(r.code, s.failed + s.broken > 0 ? 1 : 0, r.stderr);
  assert.equal(s.cells, CELLS);
  assert.equal(results.cells.length, CELLS);
  assert.equal(s.passed + s.failed + s.broken + s.skipped, CELLS);
  assert.equal(results.cells.filter((c) => c.status === 'failed').length, s.failed);
  assert.equal(results.run.backend, 'emulator');
  assert.equal(results.run.version, VERSION);
  assert.deepEqual(results.axes[0], {
    name: 'xen',
    values: [
      { id: '3.3', label: '3.3' },
      { id: '3.4', label: '3.4' },
      { id: 'debian12-4.17', label: 'Debian 12 Xen 4.17' },
    ],
  });
  const excluded = results.cells.filter((c) => c.outcome === 'skipped');
  assert.ok(excluded.length >= EXCLUDED);
  const ex = results.cells.find((c) => c.id === 'xen=3.3/kernel=6.1/format=vmlinux/role=domU/scenario=boot')!;
  assert.deepEqual(
    [ex.status, ex.reason, ex.facts],
    [
      'skipped',
      'Linux 6.1 needs Xen 3.4 or later',
      [{ text: 'Linux 6.1 needs Xen 3.4 or later', source: 'arch/x86/xen/Kconfig', verified: true }],
    ],
  );
  assert.match(r.stdout, new RegExp(`^${CELLS} cells: ${s.passed} passed, ${s.failed} failed, ${s.broken} broken, ${s.skipped} skipped`));

  const before = readFileSync(join(dir, 'out', 'results.json'));
  const bad = pvmatrix(['run', '--matrix', 'scenarios/boot.yaml'], dir);
  assert.equal(bad.code, 2);
  for (const args of [
    ['--baseline', 'missing.json'],
    ['--shard', '4/3'],
    ['--filter', 'xen=9.9'],
    ['--backend', 'nope'],
  ]) {
    assert.equal(
      await main(['run', '--matrix', join(dir, 'matrix.yaml'), '--out', join(dir, 'out'), ...args], quietIo()),
      2,
      args.join(' '),
    );
  }
  assert.deepEqual(readFileSync(join(dir, 'out', 'results.json')), before);

  // The reproducer of a cell runs that cell alone.
  const cell = results.cells.find((c) => c.id === 'xen=debian12-4.17/kernel=6.1/format=bzImage/role=dom0/scenario=xenfs')!;
  const command = `${cell.reproducer.replace(/^npx pvmatrix /, `'${process.execPath}' '${join(ROOT, 'bin', 'pvmatrix.js')}' `)} --out again`;
  const again = spawnSync('sh', ['-c', command], { cwd: dir, encoding: 'utf8' });
  assert.ok(again.status === 0 || again.status === 1, again.stderr);
  assert.deepEqual(
    readResults(join(dir, 'again')).cells.map((c) => c.id),
    [cell.id],
  );
});

test('run --shard 1/3, 2/3 and 3/3 together cover every cell exactly once', async () => {
  const dir = project();
  const seen: string[] = [];
  for (let k = 1; k <= 3; k++) {
    const out = join(dir, `shard${k}`);
    const code = await runCommand(['--matrix', join(dir, 'matrix.yaml'), '--shard', `${k}/3`, '--out', out], {
      io: quietIo(),
      backends: backendFactories,
      sinks: () => [],
    });
    const results = readResults(out);
    assert.equal(code, results.summary.failed + results.summary.broken > 0 ? 1 : 0);
    assert.equal(results.run.shard, `${k}/3`);
    seen.push(...results.cells.map((c) => c.id));
  }
  assert.equal(seen.length, CELLS);
  assert.equal(new Set(seen).size, CELLS);
});

// In-process runs with the table double: the verdicts, exit codes and what reaches the backend.

function quietIo(): Io & { text: () => string } {
  let text = '';
  return { out: (t) => void (text += t), err: (t) => void (text += t), text: () => text };
}

async function runWith(dir: string, backend: TableBackendDouble, args: string[] = [], extra: Partial<RunDeps> = {}) {
  const io = quietIo();
  const code = await runCommand(['--matrix', join(dir, 'matrix.yaml'), '--out', join(dir, 'out'), '--backend', 'double', ...args], {
    io,
    backends: { double: async () => backend },
    sinks: () => [],
    ...extra,
  });
  return { code, io };
}

/** What the platform would say for this matrix, as the expect rules predict it. */
const AS_EXPECTED: TableRow[] = [
  { when: { role: 'dom0', format: 'bzImage', xen: '3.3' }, result: { outcome: 'unsupported', reason: 'Xen 3.3 has no bzImage loader' } },
];

test('every cell as expected: exit 0; excluded cells never reach the backend; sinks see every result', async () => {
  const dir = project();
  const backend = new TableBackendDouble(AS_EXPECTED);
  const events: string[] = [];
  const sink: ResultSink = {
    begin: async (run) => void events.push(`begin ${run.backend}`),
    add: async (r, transcript) => void events.push(`add ${r.status} ${transcript.length}`),
    end: async (_run, summary) => void events.push(`end ${summary.cells}`),
  };
  const { code, io } = await runWith(dir, backend, [], { sinks: () => [sink] });
  assert.equal(code, 0, io.text());
  const results = readResults(join(dir, 'out'));
  assert.deepEqual(results.summary, {
    cells: CELLS,
    passed: CELLS - EXCLUDED,
    failed: 0,
    broken: 0,
    skipped: EXCLUDED,
    works: CELLS - EXCLUDED - 2,
    unsupported: 2,
    flaky: 0,
  });
  assert.equal(backend.ran.length, CELLS - EXCLUDED);
  assert.ok(backend.ran.every((id) => !/xen=3\.3\/kernel=6\.1/.test(id)));
  const cell = results.cells.find((c) => c.id === 'xen=3.3/kernel=2.6.30/format=bzImage/role=dom0/scenario=boot')!;
  assert.deepEqual(
    [cell.outcome, cell.expected, cell.expectedFrom, cell.status],
    ['unsupported', 'unsupported', 'matrix.yaml:15', 'passed'],
  );
  assert.equal(
    cell.reproducer,
    `npx pvmatrix run --matrix ${join(dir, 'matrix.yaml')} --grep '^xen=3\\.3/kernel=2\\.6\\.30/format=bzImage/role=dom0/scenario=boot$' --backend double`,
  );
  assert.deepEqual(events[0], 'begin double');
  assert.equal(events.filter((e) => e.startsWith('add')).length, CELLS);
  assert.ok(events.includes('add passed 1') && events.includes('add skipped 0'));
  assert.equal(events.at(-1), `end ${CELLS}`);
});

test('a regression, an unexpected fix and a reason that misses `because` fail; a throwing backend breaks; exit 1', async () => {
  const dir = project();
  const backend = new TableBackendDouble(
    [
      {
        when: { xen: '3.4', role: 'domU', format: 'vmlinux', kernel: '6.1' },
        result: { outcome: 'unsupported', reason: 'balloon driver missing' },
      },
      { when: { xen: '3.3', role: 'dom0', format: 'bzImage', kernel: '2.6.30' }, result: { outcome: 'works' } },
      { when: { role: 'dom0', format: 'bzImage', xen: '3.3' }, result: { outcome: 'unsupported', reason: 'out of memory' } },
    ],
    { throwFor: (c) => c.id === 'xen=debian12-4.17/kernel=6.1/format=vmlinux/role=dom0/scenario=xenfs' },
  );
  const { code, io } = await runWith(dir, backend);
  assert.equal(code, 1);
  const byId = new Map(readResults(join(dir, 'out')).cells.map((c) => [c.id, c]));
  const status = (id: string) => [byId.get(id)!.outcome, byId.get(id)!.status];
  assert.deepEqual(status('xen=3.4/kernel=6.1/format=vmlinux/role=domU/scenario=boot'), ['unsupported', 'failed']);
  assert.deepEqual(status('xen=3.3/kernel=2.6.30/format=bzImage/role=dom0/scenario=boot'), ['works', 'failed']);
  assert.deepEqual(status('xen=3.3/kernel=2.6.30/format=bzImage/role=dom0/scenario=xenfs'), ['works', 'failed']);
  const broken = byId.get('xen=debian12-4.17/kernel=6.1/format=vmlinux/role=dom0/scenario=xenfs')!;
  assert.deepEqual(
    [broken.outcome, broken.status, broken.reason],
    [
      'broken',
      'broken',
      'table-double backend failed: double told to fail on xen=debian12-4.17/kernel=6.1/format=vmlinux/role=dom0/scenario=xenfs',
    ],
  );
  assert.match(
    io.text(),
    /^failed: xen=3\.4\/kernel=6\.1\/format=vmlinux\/role=domU\/scenario=boot\n {2}balloon driver missing\n {2}npx pvmatrix run/m,
  );
});

test('a bug is reported as an internal error with its stack (exit 1); a user error without one (exit 2)', async () => {
  const command = (run: Command['run']) => async () => ({ command: { name: 'x', summary: 'x', usage: 'usage: x', run } });
  const registry = {
    buggy: command(async () => (null as unknown as { boom(): number }).boom()),
    picky: command(async () => {
      throw new UserError('picky: that will not do');
    }),
  };
  const io = quietIo();
  assert.equal(await main(['buggy'], io, registry), 1);
  assert.match(io.text(), /^pvmatrix: internal error \(a bug in pvmatrix, not in your input\):\nTypeError: .*boom.*\n\s+at /);
  const io2 = quietIo();
  assert.equal(await main(['picky'], io2, registry), 2);
  assert.equal(io2.text(), 'picky: that will not do\n');
});

test('in-process usage errors: a bad --workers, a stray argument', async () => {
  const dir = project();
  await assert.rejects(runWith(dir, new TableBackendDouble([]), ['--workers', 'lots']), /--workers lots: expected a whole number/);
  await assert.rejects(runWith(dir, new TableBackendDouble([]), ['extra']), /run: unexpected argument "extra"/);
  assert.equal(existsSync(join(dir, 'out')), false, 'nothing written on bad input');
});

test('a baseline sets the expectation of the cells it holds', async () => {
  const dir = project();
  await runWith(dir, new TableBackendDouble([{ when: { xen: '3.4' }, result: { outcome: 'unsupported', reason: 'no' } }, ...AS_EXPECTED]));
  const first = readResults(join(dir, 'out'));
  assert.equal(first.summary.failed, 12);
  const baseline = join(dir, 'baseline.json');
  spawnSync('cp', [join(dir, 'out', 'results.json'), baseline]);
  const { code } = await runWith(
    dir,
    new TableBackendDouble([{ when: { xen: '3.4' }, result: { outcome: 'unsupported', reason: 'no' } }, ...AS_EXPECTED]),
    ['--baseline', baseline],
  );
  assert.equal(code, 0);
  const second = readResults(join(dir, 'out'));
  const cell = second.cells.find((c) => c.id === 'xen=3.4/kernel=6.1/format=vmlinux/role=domU/scenario=boot')!;
  assert.deepEqual([cell.expected, cell.expectedFrom, cell.status], ['unsupported', 'baseline', 'passed']);
  await assert.rejects(
    runWith(dir, new TableBackendDouble([]), ['--baseline', join(dir, 'matrix.yaml')]),
    (e: unknown) => e instanceof UserError && /not a pvmatrix results file|--baseline/.test((e as Error).message),
  );
});

test('a grouping backend gets its groups; an aborted run returns 130 and writes a partial results.json', async () => {
  const dir = project();
  const grouped = new TableBackendDouble(AS_EXPECTED, { concurrency: 1, groupKey: (c) => `${c.axes.xen}/${c.axes.kernel}/${c.axes.role}` });
  assert.equal((await runWith(dir, grouped)).code, 0);
  assert.equal(grouped.ran.length, CELLS - EXCLUDED);
  // Cells of one group were handed over together, so they ran one after another.
  const keys = grouped.ran.map((id) => id.replace(/\/format=[^/]+/, '').replace(/\/scenario=.*/, ''));
  const changes = keys.filter((k, i) => i > 0 && k !== keys[i - 1]).length;
  assert.equal(changes + 1, new Set(keys).size);

  const controller = new AbortController();
  const slow = new TableBackendDouble(AS_EXPECTED, {
    throwFor: () => {
      controller.abort();
      return false;
    },
  });
  const { code } = await runWith(dir, slow, [], { signal: controller.signal });
  assert.equal(code, 130);
  // Interrupted (docs/scale.md): a valid results.json marked partial, holding only cells that finished.
  const partial = readResults(join(dir, 'out'));
  assert.equal(JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')).run.partial, true);
  assert.ok(partial.cells.length < CELLS);
  assert.equal(partial.summary.cells, partial.cells.length);
  assert.equal(existsSync(join(dir, 'out', `.results.json.${process.pid}.cells`)), false);
});

test('a result sink that fails is an internal error: the run stops and results.json is not replaced', async () => {
  const dir = project();
  const failing: ResultSink = {
    begin: async () => {},
    add: async () => {
      throw new Error('disk full');
    },
    end: async () => {},
  };
  await assert.rejects(runWith(dir, new TableBackendDouble(AS_EXPECTED), [], { sinks: () => [failing] }), /disk full/);
  assert.equal(existsSync(join(dir, 'out', 'results.json')), false);
});
