/**
 * The natural alternative a user would try: the same emulated cells as @playwright/test
 * tests (one test per cell, spread over spec files, 2 workers, fullyParallel off, no
 * browser: plain tests calling the emulator), against `pvmatrix run` on the same cells, in
 * the same bench run. Two sizes over the same profiles (so that preparing them is a fixed
 * cost): a slice of the default matrix (~330 cells) with a synthetic axis `rep` of 1 and of
 * 10 values (~3,300 cells) give each tool's per-cell slope, free of start-up and prepare.
 * At each size pvmatrix runs first, then Playwright bare (dot reporter, writing nothing), then
 * Playwright with the reports pvmatrix writes (Allure results with the console attached,
 * JUnit), for a like-for-like end to end. The runs that write go once to disk and once to
 * tmpfs: on these VMs creating a file costs 0.07-0.4 ms on ext4 and ~0.02 ms in memory, a
 * cost both tools pay per file that says more about the disk than about either tool.
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { load, removeLater, timedRun, TMPFS, type OutPlace } from './cli-run.ts';
import type { BenchRow } from './row.ts';
import { ROOT, scaledMatrix } from './scaled-matrix.ts';
import { xenDomain } from '../cli/xen-domain.ts';
import { createEmulatorBackend } from '../backends/emulator.ts';
import { expand } from '../runner/expand/expand.ts';
import { compileSelection } from '../runner/expand/select.ts';
import { toCellResult } from '../runner/results/cell-result.ts';
import { schedule } from '../runner/schedule/schedule.ts';
import { loadSpec } from '../runner/load/load.ts';

/** The scheduler's own rate on the selection (second pass: the first prepares), in cells/s. */
async function coreRate(matrix: string, slice: string[]): Promise<number> {
  const spec = loadSpec(matrix, xenDomain);
  const filters = slice.filter((_, i) => i % 2 === 1);
  const selector = compileSelection(spec, { filters });
  const backend = createEmulatorBackend();
  const signal = new AbortController().signal;
  let rate = 0;
  for (let pass = 0; pass < 2; pass++) {
    let n = 0;
    const t0 = performance.now();
    await schedule(expand(spec, { selector }), { backend, signal }, (p, r, ms) => {
      toCellResult(p, r, ms, '');
      n++;
    });
    rate = n / ((performance.now() - t0) / 1000);
  }
  return rate;
}

const SPEC_FILES = 8;
const SLICE = ['--filter', 'xen=4.19', '--filter', 'role=domU', '--filter', 'arch=x86_64'];
/** Two sizes of the same slice: the default matrix with a synthetic axis `rep` of 1 and of 10 values. */
const SIZES = [1, 10];

type Point = { cells: number; s: number };

export default async function (): Promise<BenchRow[]> {
  const tmpfs = existsSync(TMPFS);
  const pv: Point[] = [];
  const pvMem: Point[] = [];
  const pw: Point[] = [];
  const pwReports: Point[] = [];
  const pwReportsMem: Point[] = [];
  let matrix = '';
  for (const size of SIZES) {
    // Each size is its own matrix, so that expanding it grows with the cells too (a filter
    // on a 10x matrix would charge the small run for enumerating the cells it leaves out).
    if (matrix) rmSync(dirname(matrix), { recursive: true, force: true });
    matrix = scaledMatrix(size);
    const select = ['--matrix', matrix, ...SLICE];
    const ids = (
      JSON.parse(
        execFileSync(process.execPath, [join(ROOT, 'bin', 'pvmatrix.js'), 'list', '--json', ...select], {
          cwd: ROOT,
          encoding: 'utf8',
          maxBuffer: 1 << 28,
        }),
      ) as { id: string }[]
    ).map((c) => c.id);
    for (const [place, into] of [['disk', pv], ...(tmpfs ? [['tmpfs', pvMem]] : [])] as [OutPlace, Point[]][]) {
      const r = await timedRun(select, place);
      if (r.cells !== ids.length) throw new Error(`bench: pvmatrix ran ${r.cells} cells of ${select.join(' ')}, list said ${ids.length}`);
      into.push({ cells: r.cells, s: r.wallS });
    }
    pw.push({ cells: ids.length, s: await playwright(matrix, ids) });
    pwReports.push({ cells: ids.length, s: await playwright(matrix, ids, 'disk') });
    if (tmpfs) pwReportsMem.push({ cells: ids.length, s: await playwright(matrix, ids, 'tmpfs') });
  }
  const core = await coreRate(matrix, [...SLICE]);
  rmSync(dirname(matrix), { recursive: true, force: true });
  const slope = (xs: Point[]) => ((xs[1]!.s - xs[0]!.s) * 1000) / (xs[1]!.cells - xs[0]!.cells);
  const pwSlope = slope(pw);
  const pwReportsSlope = slope(pwReports);
  const pvSlope = slope(pv);
  const big = pw.length - 1;
  const rows: BenchRow[] = [
    {
      name: `Playwright: ${pw[big]!.cells} cells as tests, wall`,
      value: pw[big]!.s,
      unit: 's',
      note: `${SPEC_FILES} spec files, 2 workers; ${pw[0]!.cells} cells: ${pw[0]!.s.toFixed(1)} s; ${load()}`,
    },
    {
      name: `pvmatrix run: the same ${pv[big]!.cells} cells, wall`,
      value: pv[big]!.s,
      unit: 's',
      note: `${pv[0]!.cells} cells: ${pv[0]!.s.toFixed(1)} s (both include start-up and emulator prepare)`,
    },
    {
      name: 'Playwright: cost per cell (slope between the two sizes)',
      value: pwSlope,
      unit: 'ms/cell',
      note: `${(1000 / pwSlope).toFixed(0)} cells/s`,
    },
    {
      name: 'pvmatrix run: cost per cell (slope, same cells)',
      value: pvSlope,
      unit: 'ms/cell',
      note: `${(1000 / pvSlope).toFixed(0)} cells/s, end to end with results.json, allure-results, junit`,
    },
    {
      name: 'pvmatrix vs Playwright: per-cell speed-up, end to end',
      value: pwSlope / pvSlope,
      unit: 'x',
      note: 'target >= 50x; pvmatrix writes an Allure result (+ console), a JUnit case and a journal line per cell, Playwright (dot reporter) nothing',
    },
    {
      name: 'Playwright with the same reports: cost per cell',
      value: pwReportsSlope,
      unit: 'ms/cell',
      note: `allure-playwright (console attached) + junit reporters; ${pwReports[big]!.cells} cells: ${pwReports[big]!.s.toFixed(1)} s`,
    },
    {
      name: 'pvmatrix vs Playwright: per-cell speed-up, end to end, same outputs',
      value: pwReportsSlope / pvSlope,
      unit: 'x',
      note: 'target >= 50x; both write Allure results with the console and JUnit, to disk',
    },
  ];
  if (tmpfs) {
    const pvMemSlope = slope(pvMem);
    const pwMemSlope = slope(pwReportsMem);
    rows.push(
      {
        name: `pvmatrix run, outputs on tmpfs: cost per cell`,
        value: pvMemSlope,
        unit: 'ms/cell',
        note: `${TMPFS}: the same run without this machine's disk`,
      },
      { name: 'Playwright with the same reports, on tmpfs: cost per cell', value: pwMemSlope, unit: 'ms/cell', note: TMPFS },
      {
        name: 'pvmatrix vs Playwright: per-cell speed-up, same outputs, on tmpfs',
        value: pwMemSlope / pvMemSlope,
        unit: 'x',
        note: 'target >= 50x; what the tools cost, without the disk',
      },
    );
  }
  rows.push(
    {
      name: 'pvmatrix core loop on the same cells (no I/O)',
      value: 1000 / core,
      unit: 'ms/cell',
      note: `${core.toFixed(0)} cells/s, like for like with a Playwright test, which writes nothing either`,
    },
    {
      name: 'pvmatrix vs Playwright: per-cell speed-up, like for like (core loop)',
      value: pwSlope / (1000 / core),
      unit: 'x',
      note: 'target >= 50x',
    },
    {
      name: `pvmatrix vs Playwright: wall-time speed-up at ${pv[big]!.cells} cells`,
      value: pw[big]!.s / pv[big]!.s,
      unit: 'x',
      note: 'fixed costs included',
    },
  );
  return rows;
}

/** Playwright over these cells; with `reports`, writing Allure results and JUnit as pvmatrix does, there. */
async function playwright(matrix: string, ids: string[], reports?: OutPlace): Promise<number> {
  const dir = join(ROOT, 'bench', 'playwright', `.generated-${process.pid}`);
  const reportsDir = reports ? mkdtempSync(join(reports === 'tmpfs' ? TMPFS : tmpdir(), 'pvmatrix-bench-pw-')) : undefined;
  if (reportsDir) removeLater(reportsDir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    for (let f = 0; f < SPEC_FILES; f++) {
      const mine = ids.filter((_, i) => i % SPEC_FILES === f);
      writeFileSync(
        join(dir, `cells-${f}.spec.ts`),
        `import { test, expect } from '@playwright/test';
import { cellsFor, prepare, runCell } from '../cells.ts';

const cells = cellsFor(${JSON.stringify(matrix)}, ${JSON.stringify(mine)});
test.beforeAll(async () => {
  await prepare(cells);
});
const reports = Boolean(process.env.PVMATRIX_PW_REPORTS);
for (const p of cells) {
  test(p.cell.id, async () => {
    test.skip(p.excluded !== undefined, p.excluded?.reason);
    const r = runCell(p);
    if (reports) await test.info().attach('console', { body: r.console, contentType: 'text/plain' });
    expect(r.verdict).toBe('passed');
  });
}
`,
      );
    }
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js'),
        'test',
        '--config',
        join(ROOT, 'bench', 'playwright', 'playwright.config.ts'),
      ],
      {
        cwd: ROOT,
        env: { ...process.env, PVMATRIX_PW_DIR: dir, ...(reportsDir ? { PVMATRIX_PW_REPORTS: reportsDir } : {}) },
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const s = (performance.now() - t0) / 1000;
    const ran = Number(/(\d+) passed/.exec(out)?.[1] ?? 0) + Number(/(\d+) skipped/.exec(out)?.[1] ?? 0);
    if (code !== 0 || ran !== ids.length)
      throw new Error(`bench: Playwright ran ${ran} of ${ids.length} tests (exit ${code}):\n${out.slice(-2000)}`);
    return s;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
