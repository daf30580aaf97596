import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportSinks } from '../reports/sinks.ts';
import { AllureSink } from '../reports/allure/sink.ts';
import { AllureResultsWriter } from '../reports/allure/writer.ts';
import { allureCell, EXCERPT_BYTES, md5 } from '../reports/allure/result.ts';
import { categoriesJson } from '../reports/allure/categories.ts';
import { environmentProperties, executorInfo } from '../reports/allure/environment.ts';
import { axisLabels } from '../reports/labels.ts';
import { sourceRepo, sourceSegments, sourceUrl } from '../reports/links.ts';
import { CATEGORIES } from '../reports/classify.ts';
import type { CellResult } from '../contracts/result.ts';
import { HOSTILE, makeResults } from './support/results-fixture.ts';

const tmp = () => mkdtemp(join(tmpdir(), 'pvm-allure-'));

async function readResults(dir: string) {
  const names = await readdir(dir);
  const results = await Promise.all(
    names.filter((n) => n.endsWith('-result.json')).map(async (n) => JSON.parse(await readFile(join(dir, n), 'utf8'))),
  );
  return { names, results };
}

test('run --out sinks write one Allure result per cell that ran, each its own test with every axis as a parameter; skipped cells grouped', async () => {
  const { file, transcripts } = makeResults();
  const out = await tmp();
  const sinks = reportSinks(out);
  for (const s of sinks) await s.begin(file.run, file.axes);
  for (const c of file.cells) for (const s of sinks) await s.add(c, transcripts.get(c.id)!);
  // nothing visible before the end: the directory is swapped in whole
  await assert.rejects(stat(join(out, 'allure-results')));
  for (const s of sinks) await s.end(file.run, file.summary);
  const dir = join(out, 'allure-results');
  const { names, results: all } = await readResults(dir);
  const ran = file.cells.filter((c) => c.status !== 'skipped');
  const skipped = file.cells.filter((c) => c.status === 'skipped');
  assert.ok(skipped.length > 0, 'the fixture has skipped cells');
  const groups = all.filter((r) => r.fullName.includes(' skipped: '));
  const results = all.filter((r) => !r.fullName.includes(' skipped: '));
  assert.equal(results.length, ran.length);
  assert.equal(new Set(all.map((r) => r.historyId)).size, all.length, 'historyIds are unique');
  assert.equal(new Set(all.map((r) => r.testCaseId)).size, all.length, 'testCaseIds are unique');
  // every skipped cell is listed in exactly one group, of its scenario and reason
  const listed = groups.flatMap((g) =>
    (g.description as string)
      .split('\n')
      .filter((l) => l.startsWith('    '))
      .map((l) => l.trim()),
  );
  assert.deepEqual(listed.sort(), skipped.map((c) => c.id).sort());
  assert.equal(groups.length, new Set(skipped.map((c) => `${c.scenario}|${c.reason}`)).size);
  for (const g of groups) assert.equal(g.status, 'skipped');
  const byId = new Map(file.cells.map((c) => [c.id, c]));
  for (const r of results) {
    const cell = byId.get(r.fullName)!;
    assert.ok(cell, `fullName ${r.fullName} is a cell id`);
    assert.equal(r.historyId, md5(cell.id));
    assert.match(r.uuid, /^[0-9a-f-]{36}$/);
    assert.ok(['passed', 'failed', 'broken', 'skipped'].includes(r.status));
    assert.equal(r.status, cell.status);
    assert.equal(r.stage, 'finished');
    assert.ok(typeof r.start === 'number' && r.stop >= r.start);
    for (const [axis, value] of Object.entries(cell.axes)) {
      const p = r.parameters.find((x: { name: string }) => x.name === axis);
      assert.ok(p?.value.includes(value), `${axis} is a parameter of ${cell.id}`);
    }
    const label = (n: string) => r.labels.filter((l: { name: string }) => l.name === n).map((l: { value: string }) => l.value);
    assert.deepEqual(label('epic'), [cell.feature]);
    assert.deepEqual(label('feature'), [cell.scenario]);
    assert.equal(label('parentSuite').length, 1);
    assert.equal(label('suite').length, 1);
    assert.equal(label('subSuite').length, 1);
    if (cell.axes.role) assert.ok(label('tag').includes(cell.axes.role));
    assert.ok(label('tag').includes(cell.axes.arch!));
    // the steps up to the one that decided; the ones after it that never ran are counted in one line
    const decided = cell.steps.findIndex((s) => s.status !== 'passed');
    const notRun = decided < 0 ? 0 : cell.steps.length - decided - 1;
    const shown = r.steps as { name: string; status: string }[];
    if (notRun) assert.equal(shown.at(-1)!.name, `${notRun} later step${notRun === 1 ? '' : 's'} not run`);
    assert.equal(shown.length, cell.steps.length - notRun + (notRun ? 1 : 0));
    for (const [i, s] of shown.slice(0, cell.steps.length - notRun).entries()) assert.equal(s.status, cell.steps[i]!.status);
    // the console where it tells something: not for a cell that worked as expected
    if (cell.outcome === 'works' && cell.status === 'passed' && !cell.flaky) assert.equal(r.attachments.length, 0);
    else if (transcripts.get(cell.id)!.length) assert.ok(r.attachments.length > 0, `${cell.id} has its console`);
    for (const a of r.attachments) assert.ok(names.includes(a.source), `attachment ${a.source} exists`);
    if (cell.reason && cell.status !== 'passed') assert.ok(r.statusDetails.message.includes(cell.reason));
    assert.match(r.statusDetails.expected, new RegExp(`^${cell.expected} \\(from `));
  }
  // the hostile label arrives as data (Allure escapes it on display; the e2e test checks that)
  assert.ok(results.some((r) => r.labels.some((l: { value: string }) => l.value === HOSTILE)));
  for (const f of ['categories.json', 'environment.properties', 'executor.json']) assert.ok(names.includes(f), `${f} written`);
  assert.ok(
    (await readdir(out)).every((n) => !n.includes('.tmp')),
    'no temp files left',
  );
  await rm(out, { recursive: true });
});

const base: CellResult = {
  id: 'xen=3.3/kernel=2.6.30/format=bzImage/compression=gzip/arch=x86_64/role=dom0/scenario=boot',
  axes: { xen: '3.3', kernel: '2.6.30', format: 'bzImage', compression: 'gzip', arch: 'x86_64', role: 'dom0' },
  scenario: 'boot',
  feature: 'boot',
  outcome: 'unsupported',
  expected: 'works',
  expectedFrom: 'matrix.yaml:10',
  status: 'failed',
  reason: 'r',
  facts: [],
  steps: [],
  transcript: [],
  durationMs: 5,
  reproducer: 'pvmatrix run',
  attempts: 1,
  flaky: false,
};

/** Allure matches categories with Java's String.matches: the whole message, (?s) = dotall. */
function allureCategoryOf(message: string, status: string): string | undefined {
  for (const c of categoriesJson()) {
    // as Allure 2 (Java: the whole message) and Allure 3 (JavaScript, flag s) both read it
    const src = String(c.messageRegex);
    const java = new RegExp(`^(?:${src})$`, 's').test(message);
    const js = new RegExp(src, 's').test(message);
    assert.equal(java, js, `${src} means the same to Allure 2 and 3 on ${message}`);
    if (c.matchedStatuses?.map(String).includes(status) && js) return c.name;
  }
  return undefined;
}

test('categories.json sorts failures by what the reason and facts say', () => {
  const label = axisLabels([]);
  const t = { start: 1, stop: 2 };
  const cases: [Partial<CellResult>, string][] = [
    [{ reason: 'balloon target not reached', expectedFrom: 'baseline' }, CATEGORIES.regression],
    [{ outcome: 'broken', status: 'broken', reason: 'timeout after 120s' }, CATEGORIES.harness],
    [{ outcome: 'works', expected: 'unsupported', reason: undefined }, CATEGORIES['unexpected-fix']],
    [{ reason: 'no xenfs: CONFIG_XENFS is not set' }, CATEGORIES['kernel-config']],
    [{ reason: 'Linux 2.6.27 has no xenfs: pv-ops gained it (CONFIG_XENFS) in 2.6.29', facts: [] }, CATEGORIES.kernel],
    [
      {
        reason: 'Debian 12 Xen 4.17 is built without 32-bit PV support (# CONFIG_PV32 is not set)',
        facts: [{ text: 'build config', source: '/boot/xen-4.17-amd64.config', verified: true }],
      },
      CATEGORIES.xen,
    ],
    [
      {
        reason: 'cannot load a bzImage dom0',
        facts: [{ text: 'loader added in 3.4', source: 'xen/arch/x86/bzimage.c @ RELEASE-3.4.0', verified: true }],
      },
      CATEGORIES.xen,
    ],
    [
      {
        reason: 'no xz decompressor',
        facts: [{ text: 'KERNEL_XZ', source: 'arch/x86/boot/compressed/Makefile @ v2.6.38', verified: true }],
      },
      CATEGORIES.kernel,
    ],
    [{ reason: 'the hypervisor refused the dom0 image', facts: [] }, CATEGORIES.xen],
    [{ reason: 'Linux 2.6.18 has no sysfs balloon interface', facts: [] }, CATEGORIES.kernel],
  ];
  for (const [patch, expected] of cases) {
    const cell = { ...base, ...patch } as CellResult;
    const { result } = allureCell(cell, [], label, t);
    assert.equal(
      allureCategoryOf(result.statusDetails.message ?? '', String(result.status)),
      expected,
      `${JSON.stringify(patch)} -> ${expected}`,
    );
  }
  const passed = allureCell({ ...base, status: 'passed', expected: 'unsupported' }, [], label, t).result;
  assert.equal(allureCategoryOf(passed.statusDetails.message ?? '', 'passed'), undefined, 'a pass is in no failure category');
});

test('transcripts: a small excerpt attachment, and the full log beside it when cut', () => {
  const lines = Array.from({ length: 500 }, (_, i) => `(XEN) line ${i} ${'x'.repeat(60)}`);
  const { result, files } = allureCell(base, lines, axisLabels([]), { start: 1, stop: 2 });
  assert.equal(files.length, 2);
  assert.ok(Buffer.byteLength(files[0]!.content) <= EXCERPT_BYTES);
  assert.ok(files[0]!.content.endsWith(`line 499 ${'x'.repeat(60)}`), 'the excerpt is the end of the console');
  assert.equal(files[1]!.content.split('\n').length, 500);
  assert.deepEqual(
    result.attachments.map((a) => a.source),
    files.map((f) => f.name),
  );
  const short = allureCell(base, ['one', 'two'], axisLabels([]), { start: 1, stop: 2 });
  assert.equal(short.files.length, 1, 'no second copy when nothing was cut');
});

test('cells with the same console share one attachment file, written once', async () => {
  const dir = await tmp();
  const w = new AllureResultsWriter(dir, []);
  const other = { ...base, id: `${base.id}-2` };
  w.add(base, ['(XEN) same console']);
  w.add(other, ['(XEN) same console']);
  w.add({ ...base, id: `${base.id}-3` }, ['(XEN) another console']);
  const { names, results } = await readResults(dir);
  assert.equal(results.length, 3);
  const sources = results.map((r) => r.attachments[0].source as string);
  assert.equal(new Set(sources).size, 2, 'two distinct consoles, two files');
  assert.equal(names.filter((n) => n.endsWith('-attachment.txt')).length, 2);
  for (const r of results) {
    const text = await readFile(join(dir, r.attachments[0].source), 'utf8');
    assert.equal(
      text,
      r.fullName.endsWith('-3') ? '(XEN) another console' : '(XEN) same console',
      `${r.fullName} points at its own console`,
    );
  }
  await rm(dir, { recursive: true, force: true });
});

test('fact sources become links when they name xen.git or Linux, plain text otherwise', () => {
  assert.equal(sourceUrl('xen.git commit 84d54d5d8b'), 'https://xenbits.xen.org/gitweb/?p=xen.git;a=commit;h=84d54d5d8b');
  assert.equal(
    sourceUrl('linux commit 83abc70a4c6'),
    'https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git/commit/?id=83abc70a4c6',
  );
  assert.equal(
    sourceUrl('xen/arch/x86/bzimage.c @ 3.4'),
    'https://xenbits.xen.org/gitweb/?p=xen.git;a=blob;f=xen%2Farch%2Fx86%2Fbzimage.c;hb=RELEASE-3.4.0',
  );
  assert.equal(
    sourceUrl('arch/x86/xen/enlighten.c @ v2.6.27'),
    'https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git/tree/arch/x86/xen/enlighten.c?h=v2.6.27',
  );
  assert.equal(sourceUrl('https://wiki.xen.org/wiki/XenParavirtOps'), 'https://wiki.xen.org/wiki/XenParavirtOps');
  assert.equal(sourceUrl('Fedora 11 release notes'), undefined);
  assert.equal(sourceUrl('javascript:alert(1)'), undefined);
  assert.equal(sourceRepo('tools/libxc/xc_dom_bzimageloader.c @ RELEASE-4.0.0'), 'xen');
  assert.equal(
    sourceUrl('init/Kconfig @ 5.9 (KERNEL_ZSTD)'),
    'https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git/tree/init/Kconfig?h=v5.9',
  );
  assert.equal(sourceUrl('arch/i386/Makefile @ 2.6.18-xen'), undefined, 'the 2.6.18-xen tree is not in linux.git');
  // several sources in one string: each part is linked on its own, a bare commit takes its neighbours' tree
  const segs = sourceSegments('tools/python/xen/xend absent @ RELEASE-4.5.0; commit 9e8672f1c3');
  assert.deepEqual(segs.map((s) => s.text).join(''), 'tools/python/xen/xend absent @ RELEASE-4.5.0; commit 9e8672f1c3');
  assert.deepEqual(
    segs.map((s) => s.url),
    [undefined, undefined, 'https://xenbits.xen.org/gitweb/?p=xen.git;a=commit;h=9e8672f1c3'],
  );
  assert.equal(sourceUrl('commit 1107ba885e4 "xen: add xenfs"'), undefined, 'a commit of no known tree stays text');
  assert.equal(sourceUrl('XenParavirtOps wiki page, "Linux distribution support"'), 'https://wiki.xenproject.org/wiki/XenParavirtOps');
  assert.deepEqual(
    sourceSegments('linux commit 42ee1471e9b; "Balloon (reversible contraction only)" (XenParavirtOps wiki)').map((s) => s.url),
    [
      `https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git/commit/?id=42ee1471e9b`,
      undefined,
      'https://wiki.xenproject.org/wiki/XenParavirtOps',
    ],
  );
  assert.equal(
    sourceUrl('git://git.kernel.org/pub/scm/linux/kernel/git/jeremy/xen.git rebase/master'),
    'https://git.kernel.org/pub/scm/linux/kernel/git/jeremy/xen.git',
  );
  assert.equal(sourceUrl('linux-facts.md Q3'), undefined, 'research notes are not public');
  assert.equal(
    sourceUrl('Fedora 11 xen-3.3.1 source RPM; upstream xen.git commit 336c683373'),
    'https://xenbits.xen.org/gitweb/?p=xen.git;a=commit;h=336c683373',
  );
  // the evidence form: a commit with its first tag and the file it touched
  assert.equal(
    sourceUrl('commit e2b1ebf4de (3.4.0-rc1) xen/arch/x86/bzimage.c'),
    'https://xenbits.xen.org/gitweb/?p=xen.git;a=commit;h=e2b1ebf4de',
  );
  assert.equal(
    sourceUrl('commit 1107ba885e4 (v2.6.29-rc1) drivers/xen/xenfs/super.c'),
    'https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git/commit/?id=1107ba885e4',
  );
  const { result } = allureCell(
    {
      ...base,
      facts: [
        { text: 'a', source: 'xen.git commit 84d54d5d8b', verified: true },
        { text: 'b', source: 'a mailing-list post', verified: false },
      ],
    },
    [],
    axisLabels([]),
    { start: 1, stop: 2 },
  );
  assert.deepEqual(
    result.links.map((l) => l.name),
    ['xen.git commit 84d54d5d8b'],
  );
  assert.match(result.description ?? '', /a mailing-list post/, 'plain-text sources stay in the description');
});

test('environment.properties and executor.json from GitHub Actions, GitLab CI, or a local run', () => {
  const run = { started: '2026-11-24T02:00:00.000Z', backend: 'emulator', matrix: 'matrix.yaml', version: '0.1.0' };
  const props = environmentProperties(run, [
    {
      name: 'kernel',
      values: [
        { id: '2.6.30', label: 'Linux 2.6.30' },
        { id: 'é=x', label: '' },
      ],
    },
  ]);
  assert.match(props, /^backend = emulator$/m);
  assert.match(props, /^axis\.kernel = 2\.6\.30, \\u00e9=x$/m);
  const gh = executorInfo(
    {
      GITHUB_ACTIONS: 'true',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'o/r',
      GITHUB_RUN_ID: '99',
      GITHUB_RUN_NUMBER: '7',
      GITHUB_WORKFLOW: 'nightly',
    },
    run,
  );
  assert.deepEqual(
    [gh.type, gh.buildOrder, gh.buildName, gh.buildUrl],
    ['github', 7, 'nightly #7', 'https://github.com/o/r/actions/runs/99'],
  );
  const gl = executorInfo(
    {
      GITLAB_CI: 'true',
      CI_PIPELINE_IID: '12',
      CI_JOB_NAME: 'matrix',
      CI_JOB_URL: 'https://gitlab.example/j/1',
      CI_PROJECT_URL: 'https://gitlab.example/p',
    },
    run,
  );
  assert.deepEqual(
    [gl.type, gl.buildOrder, gl.buildName, gl.buildUrl, gl.url],
    ['gitlab', 12, 'matrix #12', 'https://gitlab.example/j/1', 'https://gitlab.example/p'],
  );
  assert.equal(executorInfo({}, run).type, 'local');
});

test('AllureSink replaces an older allure-results whole', async () => {
  const { file } = makeResults({ xen: ['3.4'], kernels: ['6.1'], scenarios: ['boot'], hostile: false });
  const out = await tmp();
  for (let i = 0; i < 2; i++) {
    const s = new AllureSink(out);
    await s.begin(file.run, file.axes);
    for (const c of file.cells) await s.add(c, c.transcript);
    await s.end(file.run);
  }
  const { results } = await readResults(join(out, 'allure-results'));
  assert.equal(results.length, file.cells.length, 'the second run replaced the first, not added to it');
  await rm(out, { recursive: true });
});
