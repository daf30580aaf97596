import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ARCHES, type Arch } from '../domain/axes.ts';
import { kernelConfig } from '../emulator/kernel/config.ts';
import { parseVersion } from '../emulator/version.ts';
import { KERNEL_TREES } from '../domain/profiles.ts';
import { parseKconfig } from '../emulator/images/kconfig.ts';
import {
  ExprError,
  defaultXenConfig,
  effectiveConfig,
  evalExpr,
  explainMissing,
  exprToString,
  kconfigModel,
  kconfigRules,
  kernelOptions,
  parseExpr,
  symbolsOf,
} from '../emulator/kconfig/index.ts';
import { definitionApplies } from '../emulator/kconfig/model.ts';

import { debianKernel, NEED, skipUnless } from './support/artifacts.ts';

const DEBIAN_CONFIG = debianKernel?.config ?? '/boot/config-6.1.*-amd64 (not installed)';
const on = (m: Map<string, string>, k: string) => m.get(k) === 'y' || m.get(k) === 'm';

test('expressions follow Kconfig precedence and tristate logic', () => {
  const e = parseExpr('X86_64 || (X86_32 && X86_PAE && !X86_VISWS)');
  assert.equal(exprToString(e), 'X86_64 || (X86_32 && X86_PAE && !X86_VISWS)');
  assert.deepEqual([...symbolsOf(e)].sort(), ['X86_32', 'X86_64', 'X86_PAE', 'X86_VISWS']);
  const v = (vals: Record<string, 0 | 1 | 2>) => (s: string) => vals[s] ?? 0;
  assert.equal(evalExpr(e, v({ X86_32: 2, X86_PAE: 2 })), 2);
  assert.equal(evalExpr(e, v({ X86_32: 2 })), 0);
  // && binds tighter than ||; ! applies to the operand only; m && y = m.
  assert.equal(evalExpr(parseExpr('A || B && C'), v({ A: 2 })), 2);
  assert.equal(evalExpr(parseExpr('!A && B'), v({ B: 1 })), 1);
  assert.equal(evalExpr(parseExpr('A != n'), v({ A: 1 })), 2);
  assert.throws(
    () => parseExpr('A && (B || C'),
    (err: unknown) => err instanceof ExprError && /missing \)/.test(err.message),
  );
  assert.throws(
    () => parseExpr('A && && B'),
    (err: unknown) => err instanceof ExprError && /column 6/.test(err.message),
  );
});

test('rules.yaml: every expression parses and names only symbols the model knows', () => {
  const rules = kconfigRules();
  const known = new Set([
    ...Object.keys(rules.options),
    ...Object.keys(rules.environment),
    ...Object.values(rules.arch).flatMap((a) => Object.keys(a)),
  ]);
  const problems: string[] = [];
  for (const [name, defs] of Object.entries(rules.options)) {
    for (const d of defs) {
      for (const text of [d.depends, d.default, d.visibleIf]) {
        if (text === undefined) continue;
        for (const s of symbolsOf(parseExpr(text))) if (!known.has(s)) problems.push(`${name}: ${s} in "${text}"`);
      }
      if (d.parent && !known.has(d.parent)) problems.push(`${name}: parent ${d.parent}`);
      if (d.choice && !rules.choices[d.choice]) problems.push(`${name}: choice ${d.choice}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('rules.yaml: at most one definition of an option applies to a kernel, and its parent exists there', () => {
  const rules = kconfigRules();
  const boundaries = new Set<string>(['2.6.18']);
  for (const defs of Object.values(rules.options)) for (const d of defs) for (const v of [d.since, d.until]) if (v) boundaries.add(v);
  const problems: string[] = [];
  for (const version of boundaries) {
    for (const tree of KERNEL_TREES) {
      for (const arch of ARCHES) {
        for (const [name, defs] of Object.entries(rules.options)) {
          const applying = defs.filter((d) => definitionApplies(d, version, tree, arch));
          if (applying.length > 1) problems.push(`${name} @ ${version} ${tree} ${arch}: ${applying.length} definitions`);
          const parent = applying[0]?.parent;
          // On ia64 after 3.14 the drivers' menu parent XEN is gone, as in Kconfig: the options are simply off.
          if (parent && arch !== 'ia64' && !(parent in rules.environment) && !kernelOptions(version, tree, arch).has(parent)) {
            problems.push(`${name} @ ${version} ${tree} ${arch}: parent ${parent} does not exist there`);
          }
        }
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('32-bit pv-ops Xen: i386 only before 2.6.27, PAE required from 2.6.26, 32-bit PV gone in 5.9', () => {
  // LF Q1: x86_64 domU from 2.6.27; PAE required from 2.6.26; XEN_PV depends on X86_64 from 5.9.
  assert.equal(on(defaultXenConfig('2.6.26', 'mainline', 'x86_64'), 'XEN'), false);
  assert.equal(on(defaultXenConfig('2.6.27', 'mainline', 'x86_64'), 'XEN'), true);
  assert.equal(on(defaultXenConfig('2.6.25', 'mainline', 'x86_32'), 'XEN'), true);
  assert.equal(on(defaultXenConfig('2.6.26', 'mainline', 'x86_32'), 'XEN'), false);
  assert.equal(on(defaultXenConfig('2.6.26', 'mainline', 'x86_32-pae'), 'XEN'), true);
  assert.equal(on(defaultXenConfig('5.8', 'mainline', 'x86_32-pae'), 'XEN_PV'), true);
  const c59 = defaultXenConfig('5.9', 'mainline', 'x86_32-pae');
  assert.equal(on(c59, 'XEN'), true, '32-bit HVM/PVH guests remain possible');
  assert.equal(on(c59, 'XEN_PV'), false);
  assert.equal(on(c59, 'XEN_DOM0'), false);
});

test('dom0 in the default configs: the 2009 tip/xen.git trees, mainline from 2.6.37', () => {
  assert.equal(kernelOptions('2.6.36', 'mainline', 'x86_64').has('XEN_DOM0'), false);
  assert.equal(on(defaultXenConfig('2.6.37', 'mainline', 'x86_64'), 'XEN_DOM0'), true);
  assert.equal(kernelOptions('2.6.37', 'mainline', 'x86_64').get('XEN_DOM0')?.prompt, undefined, 'def_bool y in 2.6.37');
  const tip = defaultXenConfig('2.6.30-rc3', 'tip', 'x86_64');
  assert.equal(tip.get('XEN_DOM0'), 'y');
  assert.equal(tip.get('XEN_PRIVILEGED_GUEST'), 'y', 'def_bool XEN_DOM0');
  assert.equal(tip.get('XENFS'), 'm', 'xenfs as a module');
  assert.equal(tip.get('KERNEL_GZIP'), 'y');
  // Xen features arrive with their kernel versions.
  assert.equal(kernelOptions('2.6.28', 'mainline', 'x86_64').has('XENFS'), false);
  assert.equal(kernelOptions('2.6.29', 'mainline', 'x86_64').has('XENFS'), true);
  assert.equal(on(defaultXenConfig('2.6.39', 'mainline', 'x86_64'), 'XEN_NETDEV_BACKEND'), true);
  assert.equal(on(defaultXenConfig('2.6.39', 'mainline', 'x86_64'), 'XEN_BLKDEV_BACKEND'), false, 'blkback is 3.0');
});

test('the classic 2.6.18-xen tree has its compile-time dom0 switch and no pv-ops options', () => {
  const c = defaultXenConfig('2.6.18', 'xen', 'x86_32-pae');
  assert.equal(c.get('XEN'), 'y', 'selected by the X86_XEN subarchitecture');
  assert.equal(c.get('XEN_PRIVILEGED_GUEST'), 'y');
  assert.equal(c.get('XEN_UNPRIVILEGED_GUEST'), 'n');
  assert.equal(on(c, 'XEN_BLKDEV_BACKEND'), true);
  assert.equal(c.has('XENFS'), false);
  assert.equal(kernelOptions('2.6.18', 'xen', 'x86_64').has('XEN_DOM0'), false);
});

test('effectiveConfig drops what make oldconfig would drop, with the unmet dependency', () => {
  // A 2.6.26 i386 config without PAE asks for Xen: 2.6.26 made PAE a requirement.
  const r = effectiveConfig(
    new Map([
      ['X86_32', 'y'],
      ['PARAVIRT_GUEST', 'y'],
      ['XEN', 'y'],
      ['XEN_BALLOON', 'y'],
      ['X86_PAE', 'n'],
    ]),
    '2.6.26',
    'mainline',
    'x86_32',
  );
  const xen = r.dropped.find((d) => d.option === 'XEN');
  assert.ok(xen, 'XEN dropped');
  assert.deepEqual(xen.missing, ['X86_PAE']);
  assert.match(xen.fact.source, /v2\.6\.26/);
  assert.equal(r.config.get('XEN'), 'n');
  assert.ok(r.dropped.some((d) => d.option === 'XEN_BALLOON' && d.missing.includes('XEN')));
  // An option from a later version is dropped because of the version.
  const old = effectiveConfig(
    new Map([
      ['X86_64', 'y'],
      ['XEN', 'y'],
      ['PARAVIRT_GUEST', 'y'],
      ['XENFS', 'm'],
      ['KERNEL_ZSTD', 'y'],
    ]),
    '2.6.28',
    'mainline',
    'x86_64',
  );
  const xenfs = old.dropped.find((d) => d.option === 'XENFS');
  assert.match(xenfs?.missing[0] ?? '', /first appears in 2\.6\.29/);
  assert.equal(old.config.has('XENFS'), false);
  // A compression the version lacks falls back to the choice's default.
  const z58 = effectiveConfig(new Map([['KERNEL_ZSTD', 'y']]), '5.8', 'mainline', 'x86_64');
  assert.equal(z58.config.get('KERNEL_GZIP'), 'y');
  assert.ok(z58.dropped.some((d) => d.option === 'KERNEL_ZSTD'));
  const z59 = effectiveConfig(new Map([['KERNEL_ZSTD', 'y']]), '5.9', 'mainline', 'x86_64');
  assert.equal(z59.config.get('KERNEL_ZSTD'), 'y');
  assert.equal(z59.config.get('KERNEL_GZIP'), 'n');
});

test('explainMissing: XEN_DOM0 in the 2009 tree needs PARAVIRT_GUEST, XEN, X86_IO_APIC, ACPI, and PAE via HIGHMEM64G on 32-bit', () => {
  const ex = explainMissing('XEN_DOM0', new Map([['X86_32', 'y']]), '2.6.30-rc3', 'tip', 'x86_32-pae', { asWritten: true });
  assert.equal(ex.possible, true);
  const names = ex.chain.map((s) => s.option);
  for (const n of ['PARAVIRT_GUEST', 'XEN', 'X86_IO_APIC', 'ACPI', 'X86_PAE']) assert.ok(names.includes(n), `${n} in ${names.join(' ')}`);
  assert.equal(names.at(-1), 'XEN_DOM0', 'the option itself comes last');
  assert.ok(names.indexOf('PARAVIRT_GUEST') < names.indexOf('XEN'), 'dependencies first');
  const pae = ex.chain.find((s) => s.option === 'X86_PAE')!;
  assert.ok(pae.selectedBy?.some((s) => s.option === 'HIGHMEM64G'));
  assert.match(pae.location ?? '', /High Memory Support/);
  const dom0 = ex.chain.at(-1)!;
  assert.equal(dom0.prompt, 'Enable Xen privileged domain support');
  assert.match(dom0.location ?? '', /Paravirtualized guest support -> Xen guest support/);
  assert.ok(ex.todo.every((s) => !s.ok));
  assert.ok(!ex.todo.some((s) => s.option === 'X86_32'));
});

test('explainMissing says when the architecture or the version rules an option out', () => {
  const pv = explainMissing('XEN_PV', new Map(), '6.1', 'mainline', 'x86_32-pae');
  assert.equal(pv.possible, false);
  assert.ok(pv.chain.some((s) => s.option === 'X86_64' && s.action === 'fixed' && !s.ok));
  const fs = explainMissing('XENFS', new Map(), '2.6.28', 'mainline', 'x86_64');
  assert.equal(fs.exists, false);
  assert.match(fs.reason ?? '', /2\.6\.29/);
});

test("Debian's real 6.1 config agrees with the 6.1 model", {
  skip: skipUnless(NEED.kernelConfig),
}, async () => {
  const parsed = parseKconfig(readFileSync(DEBIAN_CONFIG, 'latin1'));
  const cfg = new Map(Object.entries(parsed.values));
  const version = parsed.version!;
  const r = effectiveConfig(cfg, version, 'distro', 'x86_64');
  assert.deepEqual(r.dropped, [], 'make oldconfig keeps a config made for this kernel');
  for (const o of ['XEN', 'XEN_PV', 'XEN_DOM0', 'HVC_XEN', 'XEN_BALLOON', 'XEN_COMPAT_XENFS']) assert.equal(r.config.get(o), 'y', o);
  assert.equal(r.config.get('XENFS'), 'm');
  // Every option the model says exists in 6.1 and is on appears in the real file, and
  // every option it says is gone (PARAVIRT_GUEST, XEN_PRIVILEGED_GUEST...) does not.
  const model = kconfigModel(version, 'distro', 'x86_64');
  const problems: string[] = [];
  for (const name of Object.keys(kconfigRules().options)) {
    const exists = model.options.has(name);
    const value = r.config.get(name);
    if (exists && (value === 'y' || value === 'm') && !cfg.has(name)) problems.push(`${name}: modelled on, absent from the real config`);
    if (!exists && cfg.has(name)) problems.push(`${name}: modelled absent in ${version}, present in the real config`);
  }
  assert.deepEqual(problems, []);
  const view = kernelConfig({ version: parseVersion(version), tree: 'distro', arch: 'x86_64' }, Object.fromEntries(cfg), {}, DEBIAN_CONFIG);
  assert.equal(view.on('XEN_DOM0'), true);
  assert.equal(view.value('XENFS'), 'm');
  assert.equal(view.defined('PARAVIRT_GUEST'), false);
});

test("the emulator's kernel config says what is on and why not", () => {
  const modelled = (k: { version: string; tree: string; arch: Arch }, overrides?: Record<string, string>) =>
    kernelConfig({ ...k, version: parseVersion(k.version) }, undefined, overrides);
  // Modelled 2.6.26 non-PAE 32-bit build: Xen cannot be enabled, and the reason says PAE.
  const nopae = modelled({ version: '2.6.26', tree: 'mainline', arch: 'x86_32' });
  assert.equal(nopae.on('XEN'), false);
  assert.match(nopae.whyOff('XEN').reason, /X86_PAE is not set/);
  assert.match(nopae.whyOff('XEN').facts[0]!.source, /v2\.6\.26/);
  // An option of a later version is not defined, and says since when it is.
  const v2628 = modelled({ version: '2.6.28', tree: 'mainline', arch: 'x86_64' });
  assert.equal(v2628.defined('XENFS'), false);
  assert.match(v2628.whyOff('XENFS').reason, /first appears in 2\.6\.29/);
  // Overrides switch an option off, and whyOff names them.
  const noxenfs = modelled({ version: '2.6.30', tree: 'mainline', arch: 'x86_64' }, { XENFS: 'n' });
  assert.equal(noxenfs.on('XENFS'), false);
  assert.equal(noxenfs.on('XEN_COMPAT_XENFS'), false, 'its dependant goes with it');
  assert.match(noxenfs.whyOff('XENFS').reason, /configOverrides set CONFIG_XENFS=n/);
  assert.match(noxenfs.whyOff('XEN_COMPAT_XENFS').reason, /depends on XENFS/);
  assert.equal(noxenfs.value('XEN_BALLOON'), 'y');
});
