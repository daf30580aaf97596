import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanLine, isFatal, isRefusal, milestoneOf, parseMarker } from '../backends/qemu/markers.ts';

test('cleanLine drops CR and the SeaBIOS terminal escapes at the start of the stream', () => {
  assert.equal(cleanLine('\x1bc\x1b[?7l\x1b[2JSeaBIOS (version 1.16.2-debian-1.16.2-1)\r'), 'SeaBIOS (version 1.16.2-debian-1.16.2-1)');
  assert.equal(cleanLine('(XEN) Xen version 4.17.7\r'), '(XEN) Xen version 4.17.7');
});

test('parseMarker reads every frame the agent prints', () => {
  assert.deepEqual(parseMarker('@@PVM INIT 6130 6.1.0-99-amd64'), { kind: 'init', uptimeMs: 6130, release: '6.1.0-99-amd64' });
  assert.deepEqual(parseMarker('@@PVM TOOLSTACK ok 780'), { kind: 'toolstack', ok: true, ms: 780 });
  assert.deepEqual(parseMarker('@@PVM TOOLSTACK error 10020'), { kind: 'toolstack', ok: false, ms: 10020 });
  assert.deepEqual(parseMarker('@@PVM STEP 3 2 mismatch 10390'), { kind: 'step', s: 3, k: 2, status: 'mismatch', ms: 10390 });
  assert.deepEqual(parseMarker('@@PVM STEP 0 1 ok 20 19342'), { kind: 'step', s: 0, k: 1, status: 'ok', ms: 20, bytes: 19342 });
  assert.deepEqual(parseMarker('@@PVM D 0 1 NTI0Mjg4Cg=='), { kind: 'data', s: 0, k: 1, b64: 'NTI0Mjg4Cg==' });
  assert.deepEqual(parseMarker('@@PVM BEGIN 4'), { kind: 'begin', s: 4 });
  assert.deepEqual(parseMarker('@@PVM END 4'), { kind: 'end', s: 4 });
  assert.deepEqual(parseMarker('@@PVM DONE'), { kind: 'done' });
});

test('parseMarker finds a frame behind a kernel message on the same line, and rejects damaged ones', () => {
  assert.deepEqual(parseMarker('[   12.3] xen:balloon: foo@@PVM STEP 0 1 ok 20'), { kind: 'step', s: 0, k: 1, status: 'ok', ms: 20 });
  assert.equal(parseMarker('@@PVM STEP 0 1 maybe 20'), undefined, 'unknown status');
  assert.equal(parseMarker('@@PVM STEP 0 x ok 20'), undefined, 'step index not a number');
  assert.equal(parseMarker('@@PVM D 0 1 not*base64'), undefined);
  assert.equal(parseMarker('(XEN) nothing to see'), undefined);
});

test('milestones and fatal lines from research/realboot.md §7', () => {
  assert.equal(milestoneOf('(XEN) Xen version 4.17.7 (Debian 4.17.7+13-g2445b30a44-0+deb12u1)'), 'xen');
  assert.equal(milestoneOf('(XEN) *** Building a PV Dom0 ***'), 'dom0-build');
  assert.equal(milestoneOf('(XEN) Freed 656kB init memory'), 'dom0-handover');
  assert.equal(milestoneOf('[    0.000000] Hypervisor detected: Xen PV'), 'dom0-kernel');
  assert.equal(milestoneOf('[    8.596915] Run /init as init process'), 'dom0-userspace');
  assert.equal(milestoneOf('(XEN) Entering ACPI S5 state.'), 'poweroff');
  for (const l of [
    '(XEN) Panic on CPU 0:',
    '(XEN) Hardware Dom0 crashed: rebooting machine in 5 seconds.',
    '(XEN) Domain 0 (vcpu#0) crashed on cpu#0:',
    '(XEN) d0v0 Unhandled: vec 14, #PF[0001]',
    '[    3.1] Kernel panic - not syncing: VFS',
    '(XEN) ****************************************',
  ]) {
    assert.ok(isFatal(l), l);
  }
  assert.ok(!isFatal('(XEN) Freed 656kB init memory'));
  assert.ok(isRefusal('(XEN) Found 32-bit PV kernel, but CONFIG_PV32 missing'));
  assert.ok(isRefusal('(XEN) Could not construct domain 0'));
  assert.ok(!isRefusal('(XEN) ****************************************'));
  assert.ok(!isRefusal('[ 1.0] Could not construct domain 0'), 'only Xen says so');
});
