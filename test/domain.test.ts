import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StepSchema, normaliseStep } from '../domain/steps.ts';
import { XenProfile, KernelProfile } from '../domain/profiles.ts';

test('a step is a map with one action key, normalised for backends', () => {
  const step = normaliseStep(StepSchema.parse({ read: '/sys/x', expect: { equals: 98304, within: '5s' } }));
  assert.deepEqual(step, { action: 'read', args: '/sys/x', expect: { equals: 98304, within: '5s' }, on: 'guest', title: undefined, as: undefined });
  assert.equal(normaliseStep(StepSchema.parse({ boot: null })).action, 'boot');
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
  assert.equal(StepSchema.safeParse({ sleep: '5 seconds' }).success, false);
  assert.equal(StepSchema.safeParse({ sleep: '500ms' }).success, true);
});

test('profiles reject unknown keys and non-string versions', () => {
  assert.equal(XenProfile.safeParse({ version: '4.10', debgu: true }).success, false);
  assert.equal(XenProfile.safeParse({ version: 4.1 }).success, false);
  assert.equal(KernelProfile.parse({ version: '2.6.30' }).tree, 'mainline');
});

test('a Xen profile may only backport capabilities the emulator knows', async () => {
  const { xenDomain } = await import('../domain/index.ts');
  const schema = xenDomain.profileSchemas.xen!;
  assert.equal(schema.safeParse({ version: '3.3.1', backports: ['hv.dom0.bzimage', 'tools.xend.balloon-sysfs'] }).success, true);
  const typo = schema.safeParse({ version: '3.3.1', backports: ['hv.dom0.bzImage'] });
  assert.equal(typo.success, false);
  assert.deepEqual(typo.error!.issues[0]!.path, ['backports', 0]);
});
