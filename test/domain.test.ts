import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StepSchema } from '../domain/steps/schema.ts';
import { normaliseStep } from '../domain/steps/normalise.ts';
import { XenProfile, KernelProfile } from '../domain/profiles.ts';

test('a step is a map with one action key, normalised for backends: KiB, milliseconds, strings, a title', () => {
  const step = normaliseStep({ read: '/sys/x', expect: { equals: 98304, within: '5s' } });
  assert.deepEqual(step, {
    action: 'read',
    args: { path: '/sys/x' },
    expect: { equals: '98304', withinMs: 5000 },
    on: 'guest',
    title: 'read /sys/x',
    as: undefined,
  });
  const boot = normaliseStep({ boot: { memory: '128M', maxmem: 512 } });
  assert.equal(boot.title, 'boot memory=128M maxmem=512', 'the title keeps the sizes as written');
  assert.deepEqual(boot.action === 'boot' && [boot.args.memoryKiB, boot.args.maxmemKiB], [131072, 524288]);
  assert.equal(normaliseStep({ boot: null }).action, 'boot');
  assert.deepEqual(normaliseStep({ 'set-memory': { target: '96M' }, title: 'down' }).args, { targetKiB: 98304 });
  assert.equal(normaliseStep({ 'set-memory': { target: '96M' }, title: 'down' }).title, 'down');
  assert.deepEqual(normaliseStep({ sleep: '1.5m' }).args, { ms: 90_000 });
});

test('a misspelt action is reported with the allowed actions', () => {
  const r = StepSchema.safeParse({ 'set-memroy': { target: '96M' } });
  assert.equal(r.success, false);
  const messages = r.error!.issues.map((i) => i.message).join('\n');
  assert.match(messages, /set-memroy/);
  assert.match(messages, /allowed: boot, set-memory/);
});

test('a step with two actions is refused', () => {
  assert.equal(StepSchema.safeParse({ boot: null, read: '/x' }).success, false);
});

test('sizes and durations are checked', () => {
  assert.equal(StepSchema.safeParse({ 'set-memory': { target: 'lots' } }).success, false);
  assert.match(
    StepSchema.safeParse({ 'set-memory': { target: '1.5K' } }).error!.issues[0]!.message,
    /not a size: "1.5K"; a size is MiB \(512\)/,
  );
  assert.equal(StepSchema.safeParse({ sleep: '5 seconds' }).success, false);
  assert.equal(StepSchema.safeParse({ sleep: '500ms' }).success, true);
  assert.equal(StepSchema.safeParse({ read: '/x', expect: { within: '5s' } }).success, true);
});

test('profiles reject unknown keys and non-string versions', () => {
  assert.equal(XenProfile.safeParse({ version: '4.10', debgu: true }).success, false);
  assert.equal(XenProfile.safeParse({ version: 4.1 }).success, false);
  assert.equal(KernelProfile.parse({ version: '2.6.30' }).tree, 'mainline');
});

test('a Xen profile may only backport capabilities the emulator knows', async () => {
  const { xenDomain } = await import('../cli/xen-domain.ts');
  const schema = xenDomain.profileSchemas.xen!;
  assert.equal(schema.safeParse({ version: '3.3.1', backports: ['hv.dom0.bzimage', 'tools.xend.balloon-sysfs'] }).success, true);
  const typo = schema.safeParse({ version: '3.3.1', backports: ['hv.dom0.bzImage'] });
  assert.equal(typo.success, false);
  assert.deepEqual(typo.error!.issues[0]!.path, ['backports', 0]);
});

test('mayRefuse: alone it is accepted; with refused or a value check it is an error that says why', () => {
  const ok = StepSchema.safeParse({ 'unload-module': { name: 'xen-blkfront' }, expect: { mayRefuse: true } });
  assert.equal(ok.success, true);
  assert.deepEqual(normaliseStep({ 'unload-module': { name: 'xen-blkfront' }, expect: { mayRefuse: true } }).expect, { mayRefuse: true });
  for (const extra of [{ refused: true }, { equals: 1 }, { contains: 'x' }, { exists: true }, { within: '5s' }]) {
    const r = StepSchema.safeParse({ 'unload-module': { name: 'xen-blkfront' }, expect: { mayRefuse: true, ...extra } });
    assert.equal(r.success, false, JSON.stringify(extra));
    const issue = r.error!.issues[0]!;
    assert.deepEqual(issue.path, ['expect', 'mayRefuse']);
    assert.match(issue.message, new RegExp(`mayRefuse accepts either answer, so it cannot be combined with ${Object.keys(extra)[0]}`));
  }
  // mayRefuse: false restricts nothing.
  assert.equal(StepSchema.safeParse({ read: '/x', expect: { mayRefuse: false, equals: 1 } }).success, true);
});
