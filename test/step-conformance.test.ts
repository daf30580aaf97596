/**
 * One table of (step, value, verdict), run against both backends' verdict code: the
 * emulator's interpreter on a platform whose file holds the value, and the QEMU backend's
 * agent (the real busybox sh of its initramfs, on a real file) with the host's
 * classification of what the agent printed. A row that differs between the two is a
 * disagreement between backends on the same scenario: the bug the engine is there to stop.
 * The rows marked "was:" are the cases where one backend answered differently before.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { normaliseStep } from '../domain/steps/normalise.ts';
import type { BackendResult } from '../contracts/result.ts';
import { runSteps } from '../emulator/scenario/interpreter.ts';
import { ingestLine, type BootRun } from '../backends/qemu/qemu.ts';
import { scenarioResult } from '../backends/qemu/results.ts';
import { resolveImage } from '../backends/qemu/cells.ts';
import { resolveGlob } from '../emulator/profiles.ts';
import { NEED, skipUnless } from './support/artifacts.ts';
import { bootedPlatform } from './support/emulator-cells.ts';
import { runDom0SideLines } from './support/qemu-agent.ts';

type Verdict = 'passed' | 'failed' | 'broken';
interface Row {
  expect: Record<string, unknown>;
  /** The file's text; undefined: there is no such file. */
  value: string | undefined;
  verdict: Verdict;
  was?: string;
}

const ROWS: Row[] = [
  { expect: { equals: 98304 }, value: '98304\n', verdict: 'passed' },
  { expect: { equals: 98304 }, value: '098304', verdict: 'failed', was: 'QEMU passed it (compared as numbers)' },
  { expect: { equals: '0-1' }, value: '  0-1\n', verdict: 'passed' },
  { expect: { equals: 'x' }, value: undefined, verdict: 'failed' },
  { expect: { contains: 'bar' }, value: 'foobarbaz', verdict: 'passed' },
  { expect: { contains: 'bar' }, value: 'foo', verdict: 'failed' },
  { expect: { absent: 'leak' }, value: 'all good', verdict: 'passed' },
  { expect: { absent: 'leak' }, value: 'a leak here', verdict: 'failed' },
  { expect: { absent: 'leak' }, value: undefined, verdict: 'failed', was: 'the emulator passed it (nothing to read holds no leak)' },
  { expect: { exists: true }, value: 'x', verdict: 'passed' },
  { expect: { exists: true }, value: undefined, verdict: 'failed' },
  { expect: { exists: false }, value: undefined, verdict: 'passed' },
  { expect: { exists: false }, value: '', verdict: 'failed' },
  {
    expect: { matches: '^Xen version 4\\.\\d+' },
    value: '(XEN) banner\nXen version 4.17',
    verdict: 'passed',
    was: 'the emulator failed it (single-line ^)',
  },
  { expect: { matches: '^Xen' }, value: '(XEN) Xen', verdict: 'failed' },
  { expect: { matches: '4\\.17$' }, value: 'Xen 4.17\n', verdict: 'passed' },
  { expect: { matches: '^(a|a)*$' }, value: `${'a'.repeat(40)}b`, verdict: 'failed' },
  { expect: { atLeast: 4 }, value: '5\n', verdict: 'passed' },
  { expect: { atLeast: 4 }, value: '5 kB', verdict: 'failed', was: 'QEMU passed it (took the first word)' },
  { expect: { atLeast: 10 }, value: '0x10', verdict: 'failed', was: 'the emulator passed it (Number("0x10") is 16)' },
  { expect: { atMost: 5 }, value: '', verdict: 'failed', was: 'the emulator passed it (Number("") is 0)' },
  { expect: { atLeast: 1, atMost: 2 }, value: '1.5', verdict: 'passed' },
  { expect: { atMost: -1 }, value: '-2', verdict: 'passed' },
  { expect: { equals: '${axes.role}' }, value: 'dom0', verdict: 'passed' },
  { expect: { equals: '${axes.nosuch}' }, value: 'dom0', verdict: 'broken', was: "QEMU compared with '' (failed)" },
  { expect: { contains: '${never}' }, value: 'x', verdict: 'broken', was: "QEMU compared with '' (passed)" },
];

const AXES = { role: 'dom0' };
const title = (r: Row) => `${JSON.stringify(r.expect)} on ${JSON.stringify(r.value)}`;
const verdictOf = (r: BackendResult) => ({ step: r.steps[0]?.status, outcome: r.outcome });
const expected = (v: Verdict) => ({ step: v, outcome: v === 'passed' ? 'works' : v === 'failed' ? 'unsupported' : 'broken' });

async function emulatorVerdict(row: Row): Promise<ReturnType<typeof verdictOf>> {
  const path = '/conformance/value';
  const p = await bootedPlatform();
  const value = row.value;
  if (value !== undefined) p.guest!.addFile(path, { read: () => value });
  return verdictOf(runSteps(p, [normaliseStep({ read: path, expect: row.expect })], AXES));
}

function qemuVerdict(row: Row): ReturnType<typeof verdictOf> {
  const dir = mkdtempSync(join(tmpdir(), 'pvm-conformance-'));
  const path = join(dir, 'value');
  if (row.value !== undefined) writeFileSync(path, row.value);
  const plan = { index: 0, role: 'dom0' as const, axes: AXES, steps: [normaliseStep({ read: path, expect: row.expect })] };
  const boot: BootRun = { argv: [], lines: [], markers: [], milestones: {}, exitCode: 0, durationMs: 0 };
  const lines = ['@@PVM INIT 0 6.1.0', '@@PVM BEGIN 0', ...runDom0SideLines(plan), '@@PVM END 0', '@@PVM DONE'];
  for (const [i, l] of lines.entries()) ingestLine(boot, l, i);
  return verdictOf(scenarioResult(plan, boot, 'conformance'));
}

test('the conformance table: the emulator decides every row as the table says', async () => {
  for (const row of ROWS) assert.deepEqual(await emulatorVerdict(row), expected(row.verdict), title(row));
});

test('the conformance table: the QEMU backend (its agent in busybox sh, the host classifying) decides every row as the table says', {
  skip: skipUnless(NEED.busybox),
}, () => {
  for (const row of ROWS) assert.deepEqual(qemuVerdict(row), expected(row.verdict), title(row));
});

test('one image rule: a glob resolves to the newest match in version order on both backends (6.1.10 after 6.1.9)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pvm-images-'));
  for (const v of ['6.1.9', '6.1.10', '6.1.2']) writeFileSync(join(dir, `vmlinuz-${v}-amd64`), '');
  const pattern = join(dir, 'vmlinuz-6.1.*-amd64');
  assert.equal(resolveGlob(pattern), join(dir, 'vmlinuz-6.1.10-amd64'));
  assert.equal(resolveImage(pattern), resolveGlob(pattern));
});
