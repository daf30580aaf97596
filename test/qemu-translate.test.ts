import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { xenDomain } from '../domain/index.ts';
import type { Step } from '../domain/steps.ts';
import { parseMarker, type Marker } from '../runner/backends/qemu/markers.ts';
import { shellWord, stepSide, translate, type ScenarioPlan } from '../runner/backends/qemu/translate.ts';

const BUSYBOX = '/bin/busybox';
const steps = (raw: unknown[]) => raw.map((s) => xenDomain.normaliseStep(s) as Step);
const lib = readFileSync(new URL('../runner/backends/qemu/agent/lib.sh', import.meta.url), 'utf8');

/**
 * Runs scenario 0's translated dom0 side in the same busybox the initramfs carries, on this
 * host (no Xen needed for file steps), and returns the frames it printed.
 */
function runDom0Side(plan: ScenarioPlan): Marker[] {
  const init = translate([plan]).dom0Init.split('\n');
  const defs = init.filter((l) => /^[ac]_\d+_\d+\(\)/.test(l));
  const from = init.indexOf('s_0() {');
  const to = init.indexOf('}', from);
  const dir = mkdtempSync(join(tmpdir(), 'pvm-agent-'));
  const script = [lib, ...defs, ...init.slice(from, to + 1), 's_0; exit 0'].join('\n');
  writeFileSync(join(dir, 'run.sh'), script);
  const out = execFileSync(BUSYBOX, ['sh', join(dir, 'run.sh')], { encoding: 'utf8', env: { PATH: process.env.PATH, PVM_OUT: join(dir, 'out') } });
  return out.split('\n').map(parseMarker).filter((m): m is Marker => m !== undefined);
}

const statusOf = (ms: Marker[]) => ms.flatMap((m) => (m.kind === 'step' ? [`${m.k}:${m.status}`] : []));
const valueOf = (ms: Marker[], k: number) => Buffer.from(ms.flatMap((m) => (m.kind === 'data' && m.k === k ? [m.b64] : [])).join(''), 'base64').toString();

test('shellWord quotes literally, resolves ${axes.X} now and ${name} at run time', () => {
  assert.equal(shellWord("it's", {}), `'it'\\''s'`);
  assert.equal(shellWord('/x/${axes.role}/y', { role: 'dom0' }), `'/x/dom0/y'`);
  assert.equal(shellWord('a${before}b', {}), `'a'"$V_before"'b'`);
});

test('steps run where their role puts them', () => {
  const [read, setMem, onDom0] = steps([{ read: '/proc/meminfo' }, { 'set-memory': { target: '96M' } }, { read: '/proc/xen/capabilities', on: 'dom0' }]);
  assert.equal(stepSide(read!, 'dom0'), 'dom0');
  assert.equal(stepSide(read!, 'domU'), 'guest');
  assert.equal(stepSide(setMem!, 'domU'), 'dom0');
  assert.equal(stepSide(onDom0!, 'domU'), 'dom0');
});

test('the agent decides read/write/expect steps in the real busybox sh', { skip: !existsSync(BUSYBOX) && 'busybox-static is not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pvm-files-'));
  const target = join(dir, 'target_kb');
  writeFileSync(target, '98304\n');
  const marks = runDom0Side({
    index: 0,
    role: 'dom0',
    axes: { role: 'dom0' },
    steps: steps([
      { read: target, expect: { equals: 98304 } },
      { read: target, expect: { atLeast: 90000, atMost: 100000 }, as: 'kb' },
      { write: { path: target, value: '${kb}0' } },
      { read: target, expect: { equals: 983040 } },
      { read: join(dir, 'missing'), expect: { exists: false } },
      { write: { path: '/proc/version', value: 'x' }, expect: { refused: true } },
      { read: target, expect: { contains: 'nope' } },
      { read: target, title: 'never reached' },
    ]),
  });
  assert.deepEqual(statusOf(marks), ['0:ok', '1:ok', '2:ok', '3:ok', '4:ok', '5:ok', '6:mismatch'], 'the scenario stops at the first step that does not hold');
  assert.equal(valueOf(marks, 3).trim(), '983040', 'the stored value was substituted at run time');
  assert.match(valueOf(marks, 5), /write error|Permission denied|Input\/output error/, "the platform's own refusal text is the value");
});

test('within: the agent polls until the value appears', { skip: !existsSync(BUSYBOX) && 'busybox-static is not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pvm-within-'));
  const target = join(dir, 'online');
  writeFileSync(target, '0\n');
  const marks = runDom0Side({
    index: 0,
    role: 'dom0',
    axes: {},
    steps: steps([{ write: { path: target, value: '0-1' } }, { read: target, expect: { equals: '0-1', within: '3s' } }, { read: target, expect: { equals: 'never', within: '500ms' } }]),
  });
  assert.deepEqual(statusOf(marks), ['0:ok', '1:ok', '2:mismatch']);
  const last = marks.find((m) => m.kind === 'step' && m.k === 2);
  assert.ok(last && last.kind === 'step' && last.ms >= 400, `the failing poll waited its 500 ms (took ${last && 'ms' in last ? last.ms : '?'} ms)`);
});

test('domU scenarios: dom0 creates the domain and forwards guest steps; the guest holds their code', () => {
  const t = translate([
    {
      index: 0,
      role: 'domU',
      axes: {},
      steps: steps([{ boot: { memory: '128M', maxmem: '256M', vcpus: 1, maxvcpus: 2 } }, { 'set-vcpus': { count: 2 } }, { read: '/sys/devices/system/cpu/online', expect: { equals: '0-1', within: '5s' } }]),
      domu: { kernel: '/boot/k-bzImage', cmdline: 'loglevel=4' },
    },
  ]);
  assert.match(t.dom0Init, /pvm_domu 0 0 pvm0 '\/boot\/k-bzImage' 128 256 1 2 'console=hvc0 loglevel=4' 60000/);
  assert.match(t.dom0Init, /xl vcpu-set pvm0 2/);
  assert.match(t.dom0Init, /pvm_guest 0 2 35000/);
  assert.ok(t.guestInit, 'a guest /init exists');
  assert.match(t.guestInit!, /^g_0_2\(\) \{ pvm_step 0 2 5000 0 a_0_2 c_0_2/m);
  assert.match(t.guestInit!, /^a_0_1\(\) \{ pvm_online 2; \}/m, 'the guest onlines the vCPUs it was given (no udev)');
  assert.ok(!/g_0_0/.test(t.guestInit!), 'creating the domain is dom0 business');
  for (const script of [t.dom0Init, t.guestInit!]) {
    const dir = mkdtempSync(join(tmpdir(), 'pvm-syntax-'));
    writeFileSync(join(dir, 's.sh'), script);
    if (existsSync(BUSYBOX)) execFileSync(BUSYBOX, ['sh', '-n', join(dir, 's.sh')]);
  }
});
