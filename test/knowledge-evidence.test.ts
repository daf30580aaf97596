/** Every fact says how it is known: evidence from its primary source, or why it has none. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { countFacts, factCensus } from '../emulator/knowledge/census.ts';
import { sourceOf } from '../emulator/knowledge/evidence.ts';
import { factSchemas, knowledge } from '../emulator/knowledge/index.ts';
import { facts } from '../cli/commands/facts.ts';
import { BOOT_SCENARIO, writeTree } from './support/temp-matrix.ts';

const census = factCensus();

test('every Xen fact is verified with evidence or says why it is not', () => {
  const xen = census.filter((e) => /^emulator\/knowledge\/xen[\w-]*\.yaml$/.test(e.file));
  assert.ok(xen.length > 50, `only ${xen.length} Xen facts found: the census lost them`);
  const unchecked = xen.filter((e) => e.status === 'unchecked').map((e) => `${e.file} ${e.at}`);
  assert.deepEqual(unchecked, [], 'facts without evidence and without an unverified reason');
  for (const e of xen.filter((f) => f.status === 'unverified')) assert.ok((e.why ?? '').length >= 10, `${e.file} ${e.at}`);
});

test('the schema: verified needs evidence, unverified needs a reason, evidence names where it looked', () => {
  const base = { id: 'x.y', text: 'a fact of ten characters', source: 'somewhere' };
  const ev = { repo: 'xen-project/xen', commit: 'e2b1ebf4de', firstTag: '3.4.0-rc1', saw: 'adds bzimage.c' };
  const ok = (f: object) => factSchemas.capability.safeParse({ ...base, ...f }).success;
  assert.ok(ok({ evidence: [ev], verified: true }));
  assert.ok(ok({ verified: false, unverified: 'the RPMs are not available here' }));
  assert.ok(!ok({ verified: true }), 'verified without evidence');
  assert.ok(!ok({ verified: false, evidence: [ev] }), 'unverified without a reason');
  assert.ok(!ok({ evidence: [ev], verified: true, unverified: 'both at once, which is a contradiction' }));
  assert.ok(
    !ok({ evidence: [{ repo: 'xen-project/xen', path: 'xen/arch/x86/bzimage.c', saw: 'file' }], verified: true }),
    'no ref, no commit',
  );
  assert.ok(!ok({ evidence: [{ repo: 'xen-project/xen', ref: 'RELEASE-4.0.0', firstTag: '4.0.0-rc1', saw: 'x' }], verified: true }));
  assert.ok(!ok({ evidence: [{ ...ev, commit: 'not-hex' }], verified: true }));
  assert.ok(
    ok({
      evidence: [{ package: 'xen-hypervisor-4.17-amd64', distro: 'Debian 12', path: '/boot/x.config', saw: 'PV32 off' }],
      verified: true,
    }),
  );
  // Written before evidence was recorded: read as unchecked, never as verified.
  const legacy = factSchemas.capability.parse(base);
  assert.equal(legacy.verified, false);
});

test('the census counts every knowledge file, Xen, Linux and Kconfig alike', () => {
  const counts = countFacts(census);
  for (const f of [
    'emulator/knowledge/xen.yaml',
    'emulator/knowledge/xen-builds.yaml',
    'emulator/knowledge/linux.yaml',
    'emulator/kconfig/rules.yaml',
  ])
    assert.ok((counts.byFile[f]?.facts ?? 0) > 0, f);
  assert.equal(counts.facts, counts.verified + counts.unverified + counts.unchecked);
  // The loaded knowledge and the census agree on what is verified.
  const loaded = [...knowledge.xen.values()].flat();
  const verifiedCaps = census.filter(
    (e) => e.file === 'emulator/knowledge/xen.yaml' && e.at.startsWith('capabilities') && e.status === 'verified',
  );
  assert.equal(verifiedCaps.length, loaded.filter((e) => e.verified).length);
});

test('README states the fact counts the census computes', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const m = /(\d+) facts: (\d+) verified, (\d+) unverified, (\d+) unchecked/.exec(readme);
  assert.ok(m, 'README has no fact counts');
  const c = countFacts(census);
  assert.deepEqual(
    m.slice(1).map(Number),
    [c.facts, c.verified, c.unverified, c.unchecked],
    'run `npx pvmatrix facts --cells` and update README',
  );
});

test('Xen releases: 3.x stands for the last tag before the release, where the repository has no release tag', () => {
  const ref = (v: string) => knowledge.xenReleases.find((r) => r.version === v)?.ref;
  assert.equal(ref('3.0.0'), 'RELEASE-3.0.0');
  assert.equal(ref('3.3'), '3.3.0-branched');
  assert.equal(ref('3.4'), '3.4.0-rc3');
  for (const r of knowledge.xenReleases.filter((x) => Number(x.version.split('.')[0]) >= 4)) assert.equal(r.ref, `RELEASE-${r.version}.0`);
});

test('pvmatrix facts --cells: counts the cells a not-verified fact decides (Fedora 11 backports, GRUB gunzip)', async () => {
  const dir = writeTree({
    'm.yaml': `
      schema: pvmatrix/matrix@1
      name: facts
      scenarios: s/
      axes:
        xen: ["4.2", fedora11-3.3.1]
        kernel: [xen.git-2.6.31]
        format: [bzImage, vmlinux, vmlinux.gz]
        role: [dom0]
      profiles:
        xen: { fedora11-3.3.1: { preset: fedora11-3.3.1 } }
        kernel: { xen.git-2.6.31: { version: "2.6.31", tree: xen.git } }
      `,
    's/boot.yaml': BOOT_SCENARIO,
  });
  let out = '';
  let err = '';
  const code = await facts(['--cells', '--json', '--matrix', `${dir}/m.yaml`], {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
  });
  assert.equal(code, 0, err);
  const r = JSON.parse(out) as { facts: number; cells: { cells: number; facts: { text: string; cells: number }[] } };
  assert.equal(r.facts, countFacts(census).facts);
  assert.equal(r.cells.cells, 6);
  // Fedora 11 boots the bzImage through its unverified backport (a works cell: the reason
  // names it) and vmlinux.gz through the unverified GRUB gunzip (a decision only); Xen 4.2
  // loads both by its own, verified, history.
  const cellsOf = (re: RegExp) => r.cells.facts.find((f) => re.test(f.text))?.cells;
  assert.equal(cellsOf(/Fedora 11 backported the hypervisor's bzImage dom0 loader/), 1);
  assert.equal(cellsOf(/GRUB legacy gunzips/), 1);
});

test('a citation line from evidence names the file at its tag, the commit with its first tag, or the package file', () => {
  assert.equal(
    sourceOf([
      { repo: 'xen-project/xen', ref: '3.4.0-rc3', path: 'xen/arch/x86/bzimage.c', saw: 'bzimage_check' },
      { repo: 'xen-project/xen', commit: 'e2b1ebf4de', firstTag: '3.4.0-rc1', saw: 'adds the loader' },
      { package: 'xen-hypervisor-4.17-amd64', distro: 'Debian 12', path: '/boot/xen-4.17-amd64.config', saw: 'PV32 off' },
    ]),
    'xen/arch/x86/bzimage.c @ 3.4.0-rc3; commit e2b1ebf4de (3.4.0-rc1); Debian 12 package xen-hypervisor-4.17-amd64, file /boot/xen-4.17-amd64.config',
  );
});
