import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { xenDomain } from '../cli/xen-domain.ts';
import { loadSpec } from '../runner/load/load.ts';
import { SpecError, formatDiagnostic } from '../contracts/errors.ts';
import { compareVersions, parseRange, parseVersion } from '../contracts/version.ts';
import { BOOT_SCENARIO, writeTree } from './support/temp-matrix.ts';
import { normaliseStep } from '../domain/steps/normalise.ts';

/** Loads a matrix written to a temp dir; returns its errors as `file:line:col: message`, paths relative to the dir. */
function errorsOf(files: Record<string, string>, matrix = 'matrix.yaml'): string[] {
  const dir = writeTree(files);
  try {
    loadSpec(join(dir, matrix), xenDomain);
  } catch (e) {
    assert.ok(e instanceof SpecError, `expected a SpecError, got ${String(e)}`);
    return e.diagnostics.map((d) => formatDiagnostic(d).split(`${dir}/`).join(''));
  }
  assert.fail('the matrix loaded without errors');
}

function load(files: Record<string, string>) {
  const dir = writeTree(files);
  return loadSpec(join(dir, 'matrix.yaml'), xenDomain);
}

const AXES = `
axes:
  xen: ["3.4", "4.0"]
  format: [bzImage, vmlinux]
  role: [dom0, domU]
`;

test('a valid matrix loads: axes in order, profiles resolved, labels and versions', () => {
  const spec = load({
    'matrix.yaml': `
      name: demo
      axes:
        xen: ["3.4", fedora11-3.3.1]
        kernel: ["2.6.31-rc3", "2.6.30"]
        format: [bzImage]
        toolstack: [xm, xl]
      profiles:
        xen:
          fedora11-3.3.1: { version: "3.3.1", name: Fedora 11 Xen 3.3.1, backports: [hv.dom0.bzimage] }
        kernel:
          "2.6.31-rc3": { version: "2.6.31-rc3", tree: xen.git }
    `,
    'scenarios/boot.yaml': BOOT_SCENARIO,
  });
  assert.equal(spec.name, 'demo');
  assert.deepEqual(
    spec.axes.map((a) => a.name),
    ['xen', 'kernel', 'format', 'toolstack'],
  );
  const fedora = spec.axes[0]!.byId.get('fedora11-3.3.1')!;
  assert.equal(fedora.label, 'Fedora 11 Xen 3.3.1');
  assert.deepEqual(fedora.profile, { version: '3.3.1', name: 'Fedora 11 Xen 3.3.1', backports: ['hv.dom0.bzimage'] });
  assert.deepEqual(fedora.version?.parts, [3, 3, 1]);
  // A bare release needs no profile: the domain supplies one (kernel tree defaults to mainline).
  assert.deepEqual(spec.axes[1]!.values[0]!.profile, { version: '2.6.31-rc3', tree: 'xen.git' });
  assert.deepEqual(spec.axes[1]!.values[1]!.profile, { version: '2.6.30', tree: 'mainline' });
  // A user axis has no profiles at all.
  assert.equal(spec.axes[3]!.values[1]!.profile, undefined);
  assert.deepEqual(
    spec.scenarios.map((s) => [s.id, s.feature]),
    [['boot', 'boot']],
  );
  assert.deepEqual(spec.scenarios[0]!.steps, [normaliseStep({ boot: {} })], 'the steps as the domain normalised them');
});

test('acceptance: a typo in a key, an unknown axis value and an unquoted 4.10 give three errors with file:line:col', () => {
  const errors = errorsOf({
    'matrix.yaml': `
      axes:
        xen: ["3.4", 4.10]
        format: [bzImage, vmlinx]
        role: [dom0]
      exlcude:
        - when: { role: dom0 }
          reason: no
    `,
    'scenarios/boot.yaml': BOOT_SCENARIO,
  });
  assert.deepEqual(errors, [
    'matrix.yaml:2:16: expected a string, not the number 4.1: write "4.10" in quotes: YAML reads 4.10 as the number 4.1',
    'matrix.yaml:3:21: "vmlinx" is not a value of axis format (did you mean "vmlinux"?); allowed: bzImage, vmlinux, vmlinux.gz',
    'matrix.yaml:5:1: unknown key "exlcude" (did you mean "exclude"?); allowed: schema, name, scenarios, axes, profiles, include, exclude, expect',
  ]);
});

test('YAML syntax errors and duplicate keys are reported at their position, in every file', () => {
  const errors = errorsOf({
    'matrix.yaml': `
      axes:
        role: [dom0]
        role: [domU]
    `,
    'scenarios/a.yaml': `
      id: a
      steps: [ { boot: {} }
    `,
    'scenarios/b.yaml': BOOT_SCENARIO,
  });
  assert.equal(errors.length, 2, errors.join('\n'));
  assert.match(errors[0]!, /^matrix\.yaml:3:3: map keys must be unique/);
  assert.match(errors[1]!, /^scenarios\/a\.yaml:3:1: .*flow sequence/i);
});

test('numbers where a string belongs: integers, float versions in profiles, float profile ids', () => {
  const errors = errorsOf({
    'matrix.yaml': `
      axes:
        xen: [custom]
        kernel: ["6.1"]
        role: [dom0]
      profiles:
        xen:
          custom: { version: 4.20 }
          4.10: { version: "4.10" }
    `,
    'scenarios/boot.yaml': BOOT_SCENARIO,
  });
  assert.deepEqual(errors, [
    'matrix.yaml:7:24: expected a string, not the number 4.2: write "4.20" in quotes: YAML reads 4.20 as the number 4.2',
    'matrix.yaml:8:5: expected a string, not the number 4.1: write "4.10" in quotes: YAML reads 4.10 as the number 4.1',
  ]);
  const ints = errorsOf({
    'matrix.yaml': `axes:\n  xen: ["4.0"]\n  role: [dom0]\n  dom0_mem: [512, 1024M]\n`,
    'scenarios/boot.yaml': BOOT_SCENARIO,
  });
  assert.deepEqual(ints, ['matrix.yaml:4:14: expected a string, not the number 512: write "512" in quotes']);
});

test('profiles and steps are validated by the domain, with paths into the file', () => {
  const errors = errorsOf({
    'matrix.yaml': `
      axes:
        xen: [dbg]
        role: [dom0]
      profiles:
        xen:
          dbg: { version: "4.17", debgu: true, toolstack: xm }
    `,
    'scenarios/balloon.yaml': `
      id: balloon
      steps:
        - boot: { memory: lots }
        - set-memroy: { target: 96M }
    `,
  });
  assert.deepEqual(errors, [
    'matrix.yaml:6:29: unknown key "debgu" (did you mean "debug"?); allowed: version, preset, name, debug, backports, build, toolstack, cmdline, dom0, dom0Image, image, config, source',
    'matrix.yaml:6:53: "xm" is not allowed here (did you mean "xl"?); allowed: xend, xl',
    'scenarios/balloon.yaml:3:21: not a size: "lots"; a size is MiB (512), or with a unit: 131072K, 96M, 1G (B for bytes), in whole KiB',
    'scenarios/balloon.yaml:4:5: unknown key "set-memroy" (did you mean "set-memory"?); allowed: boot, set-memory, set-vcpus, attach-device, detach-device, load-module, unload-module, read, write, mount, xen-console, guest-console, sleep, expect, on, title, as',
  ]);
});

test('an open-axis value needs a profile or a release-like id; profiles only on axes that take them', () => {
  const errors = errorsOf({
    'matrix.yaml': `
      axes:
        xen: ["4.0", mybuild]
        role: [dom0]
      profiles:
        xen:
          mybiuld: { version: "4.0" }
        role:
          dom0: {}
    `,
    'scenarios/boot.yaml': BOOT_SCENARIO,
  });
  assert.deepEqual(errors, [
    'matrix.yaml:2:16: xen value "mybuild" has no profile: declare profiles.xen.mybuild (did you mean "mybiuld"?)',
    'matrix.yaml:7:3: axis role takes no profiles; axes with profiles: xen, kernel',
  ]);
});

test('rules: unknown axis, closed-axis value, bad range, bad regex, numbers, each at its place', () => {
  const errors = errorsOf({
    'matrix.yaml': `
      ${AXES.trim().split('\n').join('\n      ')}
      exclude:
        - when: { rloe: dom0 }
          reason: typo in the axis
        - when: { format: bzimage }
          reason: wrong case
      expect:
        - when: { xen: ">=3.x" }
          outcome: unsupported
        - when: { xen: "3.4..", role: dom0 }
          unless: { xen: 3.4 }
          outcome: unsupported
          because: "bz("
        - when: { role: dom0 }
          outcome: borken
    `,
    'scenarios/boot.yaml': BOOT_SCENARIO,
  });
  assert.deepEqual(errors, [
    'matrix.yaml:6:13: unknown axis "rloe" (did you mean "role"?); axes: xen, format, role, scenario',
    'matrix.yaml:8:21: "bzimage" is not a value of axis format (did you mean "bzImage"?); values: bzImage, vmlinux, vmlinux.gz',
    'matrix.yaml:11:18: bad range ">=3.x": "3.x" is not a version (write >=3.4)',
    'matrix.yaml:13:18: bad range "3.4..": write LOW..HIGH with two versions, e.g. 2.6.23..2.6.29',
    'matrix.yaml:14:20: expected a string, not the number 3.4: write "3.4" in quotes',
    'matrix.yaml:16:14: invalid regular expression in `because`: missing closing ): `bz(` (patterns are RE2 syntax: no backreferences, no lookahead or lookbehind)',
    'matrix.yaml:18:14: "borken" is not allowed here (did you mean "broken"?); allowed: works, unsupported, broken',
  ]);
});

test('scenarios: applies and ignores name real axes; a scenario that applies to no cell is an error', () => {
  const errors = errorsOf({
    'matrix.yaml': AXES,
    'scenarios/a.yaml': `
      id: a
      applies: { arhc: x86_64 }
      ignores: [xne]
      steps: [ { boot: {} } ]
    `,
    'scenarios/b.yaml': `
      id: b
      feature: never
      applies: { xen: "<3.0" }
      steps: [ { boot: {} } ]
    `,
    'scenarios/c.yaml': `
      id: a
      steps: [ { boot: {} } ]
    `,
  });
  assert.deepEqual(errors, [
    'scenarios/a.yaml:2:12: unknown axis "arhc"; axes: xen, format, role, scenario',
    'scenarios/a.yaml:3:11: unknown axis "xne" (did you mean "xen"?); axes: xen, format, role',
    'scenarios/c.yaml:1:5: scenario id "a" is already used by scenarios/a.yaml',
  ]);
  const none = errorsOf({
    'matrix.yaml': AXES,
    'scenarios/b.yaml': `id: b\napplies: { xen: "<3.0" }\nsteps: [ { boot: {} } ]\n`,
    'scenarios/ok.yaml': BOOT_SCENARIO,
  });
  assert.deepEqual(none, ['scenarios/b.yaml:2:1: scenario b applies to no cell of the matrix: check its `applies` and `ignores`']);
});

test('missing files and folders, empty matrices, and matrices with no cells have their own messages', () => {
  assert.deepEqual(errorsOf({ 'other.yaml': 'x: 1\n' }), [
    'matrix.yaml:1:1: cannot read the matrix file matrix.yaml: no such file (pass --matrix FILE, or run where matrix.yaml is)',
  ]);

  assert.match(errorsOf({ 'matrix.yaml': AXES })[0]!, /^matrix\.yaml:1:1: the scenario folder .*scenarios\/ does not exist/);
  assert.match(
    errorsOf({ 'matrix.yaml': `scenarios: [boot.yaml, nope.yaml]\n${AXES}`, 'boot.yaml': BOOT_SCENARIO })[0]!,
    /^matrix\.yaml:1:24: cannot read the scenario file nope\.yaml: no such file$/,
  );
  assert.match(
    errorsOf({ 'matrix.yaml': AXES, 'scenarios/README.md': 'no yaml here' })[0]!,
    /^matrix\.yaml:1:1: no scenario files \(\*\.yaml\) in /,
  );
  assert.deepEqual(errorsOf({ 'matrix.yaml': '# nothing yet\n', 'scenarios/boot.yaml': BOOT_SCENARIO }), [
    'matrix.yaml:1:1: the matrix is empty: it needs at least `axes` (see docs/matrix-format.md)',
  ]);
  assert.deepEqual(errorsOf({ 'matrix.yaml': 'name: x\naxes: {}\n', 'scenarios/boot.yaml': BOOT_SCENARIO }), [
    'matrix.yaml:2:1: the matrix has no axes: declare at least one under `axes:`',
  ]);
  assert.deepEqual(errorsOf({ 'matrix.yaml': `${AXES}include:\n  - when: { xen: ">=5" }\n`, 'scenarios/boot.yaml': BOOT_SCENARIO }), [
    'matrix.yaml:5:1: the matrix has no cells: no cell matches any `include` rule',
  ]);
});

test('a conditional axis may only look at axes declared before it', () => {
  const errors = errorsOf({
    'matrix.yaml': `
      axes:
        compression: { values: [gzip], when: { format: bzImage } }
        format: [bzImage]
    `,
    'scenarios/boot.yaml': BOOT_SCENARIO,
  });
  assert.deepEqual(errors, [
    'matrix.yaml:2:40: the `when` of axis compression names format, which is declared after it: move format above compression',
  ]);
});

test('versions: numeric components, pre-releases before releases, ranges inclusive', () => {
  const v = (s: string) => parseVersion(s)!;
  const sorted = ['2.6.30', '2.6.30-rc3', '2.6.9', '3.4', '2.6.30-rc10', '3.4.0', '4.10', '4.1', '2.6.30-pre1'].sort(
    (a, b) => compareVersions(v(a), v(b)) || a.localeCompare(b),
  );
  assert.deepEqual(sorted, ['2.6.9', '2.6.30-pre1', '2.6.30-rc3', '2.6.30-rc10', '2.6.30', '3.4', '3.4.0', '4.1', '4.10']);
  const range = parseRange('2.6.23..2.6.29') as (x: ReturnType<typeof v>) => boolean;
  assert.deepEqual(
    ['2.6.22', '2.6.23', '2.6.27', '2.6.29', '2.6.29.1', '2.6.30'].map((x) => range(v(x))),
    [false, true, true, true, false, false],
  );
  const lt = parseRange('<2.6.27') as (x: ReturnType<typeof v>) => boolean;
  assert.equal(lt(v('2.6.27-rc1')), true);
  assert.equal(lt(v('2.6.27')), false);
  assert.equal(parseRange('3.4'), undefined);
  assert.equal(typeof parseRange('=>3.4'), 'string');
});

test('anchors and merge keys work in profiles; an error inside a merged profile is still placed', () => {
  const spec = load({
    'matrix.yaml': `
      axes:
        xen: [a, b]
        role: [dom0]
      profiles:
        xen:
          a: &base { version: "4.1", cmdline: loglvl=all }
          b: { <<: *base, debug: true }
    `,
    'scenarios/boot.yaml': BOOT_SCENARIO,
  });
  assert.deepEqual(spec.axes[0]!.byId.get('b')!.profile, { version: '4.1', cmdline: 'loglvl=all', debug: true });
  const errors = errorsOf({
    'matrix.yaml': 'axes:\n  xen: [a]\nprofiles:\n  xen:\n    a: { <<: { version: "4.1" }, debug: yes }\n',
    'scenarios/boot.yaml': BOOT_SCENARIO,
  });
  assert.deepEqual(errors, ['matrix.yaml:5:41: expected a boolean, got "yes"']);
});

test('"write it in quotes" only when quotes would fix it; missing keys are named', () => {
  const errors = errorsOf({
    'matrix.yaml': 'axes:\n  role: [dom0]\nexclude:\n  - when: { role: dom0 }\n',
    'scenarios/a.yaml': 'id: a\nsteps:\n  - write: { path: 5, value: 1 }\n',
  });
  assert.deepEqual(errors, [
    'matrix.yaml:4:5: missing key "reason" (a string)',
    'scenarios/a.yaml:3:20: expected an absolute path, got the number 5',
  ]);
});

test('scenario files listed by absolute path are read from there, not below the matrix folder', () => {
  const shared = writeTree({ 'boot.yaml': BOOT_SCENARIO });
  const spec = load({ 'matrix.yaml': `scenarios: [${JSON.stringify(join(shared, 'boot.yaml'))}]\n${AXES}` });
  assert.equal(spec.scenarios.length, 1);
});

test('mayRefuse with refused or a value check is placed at the step, naming what clashes', () => {
  const errors = errorsOf({
    'matrix.yaml': 'axes:\n  role: [dom0]\n',
    'scenarios/a.yaml':
      'id: a\nsteps:\n  - unload-module: { name: xen-blkfront }\n    expect: { mayRefuse: true, refused: true }\n  - read: /sys/block/xvdc\n    expect: { mayRefuse: true, exists: true }\n  - unload-module: { name: xen-netfront }\n    expect: { mayRefuse: true }\n',
  });
  assert.equal(errors.length, 2, errors.join('\n'));
  assert.match(
    errors[0]!,
    /^scenarios\/a\.yaml:4:\d+: mayRefuse accepts either answer, so it cannot be combined with refused; use refused: true when the platform must refuse/,
  );
  assert.match(errors[1]!, /^scenarios\/a\.yaml:6:\d+: mayRefuse accepts either answer, so it cannot be combined with exists;/);
});

test('a ${name} that no earlier step stores is an error at the step that uses it', () => {
  const errors = errorsOf({
    'matrix.yaml': 'axes:\n  role: [dom0]\n',
    'scenarios/a.yaml':
      'id: a\nsteps:\n  - read: /x\n    expect: { equals: "${kb}" }\n  - read: /x\n    as: kb\n  - write: { path: /x, value: "${kb}0" }\n  - read: /y\n    as: y\n    expect: { contains: "${y}" }\n',
  });
  assert.deepEqual(errors, [
    'scenarios/a.yaml:3:5: ${kb} is not defined here: no earlier step stores a value with `as: kb`',
    'scenarios/a.yaml:8:5: ${y} is not defined here: no earlier step stores a value with `as: y` (a step cannot use the value it stores)',
  ]);
});
