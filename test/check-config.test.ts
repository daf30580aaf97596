import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../contracts/errors.ts';
import { checkConfigCommand } from '../cli/commands/check-config.ts';
import { pvmatrix } from './support/spawn-cli.ts';

import { debianKernel, NEED, skipUnless } from './support/artifacts.ts';

/** Debian's installed 6.1 config, whichever ABI is current. */
const DEBIAN_CONFIG = debianKernel?.config ?? '/boot/config-6.1.*-amd64 (not installed)';
const skip = skipUnless(NEED.kernelConfig);
const dir = mkdtempSync(join(tmpdir(), 'pvmatrix-check-config-'));

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await checkConfigCommand(argv, { out: (t) => void (out += t), err: (t) => void (out += t) });
  return { code, out };
}

/** A copy of Debian's config with some lines removed or turned off, as a maintainer's variant. */
function variant(name: string, edit: (line: string) => string | undefined): string {
  const lines = readFileSync(DEBIAN_CONFIG, 'latin1').split('\n');
  const file = join(dir, name);
  writeFileSync(file, lines.flatMap((l) => edit(l) ?? []).join('\n'));
  return file;
}

test("Debian's real config is complete for dom0 with xenfs", { skip }, async () => {
  const r = await run([DEBIAN_CONFIG, '--role', 'dom0', '--feature', 'xenfs', '--json']);
  assert.equal(r.code, 0, r.out);
  const j = JSON.parse(r.out);
  assert.equal(j.version, '6.1.192', 'version from the header line');
  assert.equal(j.arch, 'x86_64', 'arch from CONFIG_X86_64');
  assert.equal(j.complete, true);
  assert.ok(j.findings.some((f: { option: string; status: string }) => f.option === 'XEN_DOM0' && f.status === 'ok'));
  assert.ok(j.notes.some((n: { text: string }) => n.text.includes('none /proc/xen xenfs defaults 0 0')));
});

test('without XEN_DOM0 the check fails and shows the dependency chain of 6.1', { skip }, async () => {
  const file = variant('no-dom0.config', (l) => (l.startsWith('CONFIG_XEN_DOM0=') ? undefined : l));
  const r = await run([file, '--role', 'dom0']);
  assert.equal(r.code, 1);
  assert.match(r.out, /MISSING\s+XEN_DOM0/);
  assert.match(r.out, /TODO XEN_DOM0 -> y "Xen Dom0 support" in Processor type and features -> Linux guest support -> Xen guest support/);
  // The chain names what makes it visible: XEN_PV (and XEN, its parent), ACPI, X86_IO_APIC.
  for (const dep of ['XEN_PV=y', 'XEN=y', 'ACPI=y', 'X86_IO_APIC=y', 'SWIOTLB_XEN=y'])
    assert.ok(r.out.includes(`ok ${dep}`), `${dep} in the chain:\n${r.out}`);
  assert.match(r.out, /1 option to fix for dom0 \+ xenfs: XEN_DOM0/);
});

test('the same config judged as a 2009 tip kernel needs the PARAVIRT_GUEST chain', { skip }, async () => {
  const file = variant('tip.config', (l) => (l.startsWith('CONFIG_XEN_DOM0=') ? undefined : l));
  const r = await run([file, '--role', 'dom0', '--kernel', '2.6.30-rc3', '--tree', 'tip', '--json']);
  assert.equal(r.code, 1);
  const j = JSON.parse(r.out);
  const dom0 = j.findings.find((f: { option: string }) => f.option === 'XEN_DOM0');
  const todo = dom0.explanation.todo.map((s: { option: string }) => s.option);
  assert.deepEqual(todo, ['PARAVIRT_GUEST', 'XEN', 'XEN_DOM0'], 'PARAVIRT_GUEST did not exist in 6.1, so XEN is dropped');
  assert.equal(dom0.explanation.chain.at(-1).prompt, 'Enable Xen privileged domain support');
});

for (const removed of ['XENFS', 'XEN_COMPAT_XENFS']) {
  test(`without ${removed} the xenfs check fails and names the fstab line`, { skip }, async () => {
    const file = variant(`no-${removed}.config`, (l) => (l.startsWith(`CONFIG_${removed}=`) ? `# CONFIG_${removed} is not set` : l));
    const r = await run([file, '--role', 'dom0', '--feature', 'xenfs']);
    assert.equal(r.code, 1);
    assert.match(r.out, new RegExp(`MISSING\\s+${removed}\\s`));
    assert.match(r.out, /note: \/etc\/fstab needs: none \/proc\/xen xenfs defaults 0 0/);
    if (removed === 'XEN_COMPAT_XENFS') assert.match(r.out, /ok XENFS=m/);
  });
}

test('device-unplug needs the frontends as modules; a built-in one is reported', { skip }, async () => {
  const file = variant('builtin-blkfront.config', (l) => (l === 'CONFIG_XEN_BLKDEV_FRONTEND=m' ? 'CONFIG_XEN_BLKDEV_FRONTEND=y' : l));
  const r = await run([file, '--role', 'domU', '--feature', 'device-unplug']);
  assert.equal(r.code, 1);
  assert.match(r.out, /WRONG\s+XEN_BLKDEV_FRONTEND\s+=y/);
});

test('a feature the kernel version cannot have is reported as unavailable, with the version that has it', async () => {
  const file = join(dir, '2.6.28.config');
  writeFileSync(file, '# Linux kernel version: 2.6.28\nCONFIG_X86_64=y\nCONFIG_PARAVIRT_GUEST=y\nCONFIG_XEN=y\nCONFIG_HVC_XEN=y\n');
  const r = await run([file, '--role', 'domU', '--feature', 'xenfs', '--json']);
  assert.equal(r.code, 1);
  const j = JSON.parse(r.out);
  assert.equal(j.version, '2.6.28');
  const xenfs = j.findings.find((f: { option: string }) => f.option === 'XENFS');
  assert.equal(xenfs.status, 'unavailable');
  assert.match(xenfs.why.join(' '), /first appears in 2\.6\.29/);
  assert.equal(j.findings.find((f: { option: string }) => f.option === 'XEN').status, 'ok');
  assert.equal(j.findings.find((f: { option: string }) => f.option === 'XEN_BLKDEV_FRONTEND').status, 'missing');
});

test('bad input: missing file, unknown role, feature or arch, no version', async () => {
  const cases: [string[], RegExp][] = [
    [[join(dir, 'absent.config'), '--role', 'dom0'], /absent\.config: no such file/],
    [[DEBIAN_CONFIG, '--role', 'dom1'], /unknown role "dom1".*allowed: dom0, domU/],
    [[DEBIAN_CONFIG, '--role', 'dom0', '--feature', 'baloon'], /unknown feature "baloon" \(did you mean "balloon"\?\); allowed: balloon/],
    [[DEBIAN_CONFIG, '--role', 'dom0', '--arch', 'x86'], /allowed: x86_32, x86_32-pae, x86_64, ia64/],
    [[DEBIAN_CONFIG], /--role is required/],
  ];
  for (const [argv, message] of cases) await assert.rejects(run(argv), (e: unknown) => e instanceof UserError && message.test(e.message));
  const noHeader = join(dir, 'no-header.config');
  writeFileSync(noHeader, 'CONFIG_X86_64=y\nCONFIG_XEN=y\n');
  await assert.rejects(run([noHeader, '--role', 'domU']), /pass --kernel VERSION/);
  const notConfig = join(dir, 'not-a-config');
  writeFileSync(notConfig, 'hello\n');
  await assert.rejects(run([notConfig, '--role', 'domU', '--kernel', '6.1']), /not a kernel \.config/);
});

test('pvmatrix check-config is registered and exits 2 on bad input, 1 when something is missing', () => {
  const bad = pvmatrix(['check-config', join(dir, 'absent.config'), '--role', 'dom0'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /no such file/);
  assert.doesNotMatch(bad.stderr, /at .*\.ts:\d+/, 'no stack trace');
  const file = join(dir, 'domu.config');
  writeFileSync(
    file,
    '# Linux/x86 2.6.30 Kernel Configuration\nCONFIG_X86_32=y\nCONFIG_X86_PAE=y\nCONFIG_PARAVIRT_GUEST=y\nCONFIG_XEN=y\n',
  );
  const r = pvmatrix(['check-config', file, '--role', 'domU'], dir);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /Linux 2\.6\.30 \(mainline, x86_32-pae\)/);
  assert.match(r.stdout, /MISSING\s+HVC_XEN/);
});
