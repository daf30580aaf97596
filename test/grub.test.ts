import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { xenDomain } from '../cli/xen-domain.ts';
import { GrubError, kernelFromName, kernelSummary, parseGrub, readGrubFile, xenFromName, xenSummary } from '../tools/grub/index.ts';
import { KernelProfile, XenProfile } from '../domain/profiles.ts';
import { expand } from '../runner/expand/expand.ts';
import { loadSpec } from '../runner/load/load.ts';
import { debianKernel, debianXen, NEED, skipUnless } from './support/artifacts.ts';
import { pvmatrix } from './support/spawn-cli.ts';

const FIXTURES = new URL('./fixtures/grub/', import.meta.url).pathname;
const DEBIAN_CFG = readFileSync(join(FIXTURES, 'debian12-grub.cfg'), 'utf8');
/** The kernel release the recorded grub.cfg names (the ABI installed when it was made). */
const RECORDED = /^\s*linux\s+\/boot\/vmlinuz-(\S+)/m.exec(DEBIAN_CFG)![1]!;
const dir = mkdtempSync(join(tmpdir(), 'pvmatrix-grub-'));

function errorsOf(text: string, file: string): string[] {
  try {
    parseGrub(text, file);
  } catch (e) {
    if (e instanceof GrubError) return e.message.split('\n');
    throw e;
  }
  return [];
}

test("the wiki's VGA console entry: Xen 3.4-unstable with the 2.6.30-rc3 tip kernel", () => {
  const [e, ...rest] = readGrubFile(join(FIXTURES, 'wiki-vga.conf'));
  assert.equal(rest.length, 0);
  assert.equal(e!.kind, 'xen');
  assert.equal(e!.title, 'Xen 3.4-unstable, kernel 2.6.30-rc3-tip');
  assert.equal(e!.root, '(hd0,0)');
  assert.equal(e!.xen!.path, '/boot/xen-3.4-unstable.gz');
  assert.equal(e!.xen!.version, '3.4');
  assert.equal(e!.xen!.flavour, 'unstable');
  assert.equal(e!.xen!.cmdline, 'dom0_mem=512M');
  assert.equal(e!.kernel!.version, '2.6.30-rc3');
  assert.equal(e!.kernel!.tree, 'tip');
  assert.equal(e!.kernel!.format, 'bzImage', 'Xen 3.4 loads a bzImage dom0');
  assert.equal(e!.kernel!.cmdline, 'root=/dev/sda1 ro');
  assert.equal(e!.initrd!.path, '/boot/initrd.img-2.6.30-rc3-tip');
  assert.equal(e!.kernel!.line, 4);
});

test("the wiki's serial console entry: com1 and console=com1 for Xen, hvc0 and earlyprintk=xen for dom0", () => {
  const [e] = readGrubFile(join(FIXTURES, 'wiki-serial.conf'));
  assert.equal(e!.xen!.version, '3.3');
  assert.deepEqual(xenSummary(e!.xen!.options), {
    dom0_mem: '1024M',
    loglvl: 'all',
    guest_loglvl: 'all',
    com1: '19200,8n1',
    console: 'com1',
  });
  assert.deepEqual(kernelSummary(e!.kernel!.options), { console: 'hvc0', earlyprintk: 'xen', root: '/dev/vg00/lv01' });
  assert.equal(e!.kernel!.version, '2.6.29-rc7');
  assert.equal(e!.kernel!.tree, 'tip');
  // Xen 3.3 has no bzImage dom0 loader: the wiki tells 3.3 users to boot a (gzipped) vmlinux.
  assert.equal(e!.kernel!.format, 'vmlinux.gz');
  assert.ok(e!.notes.some((n) => /Xen 3\.3 loads no bzImage dom0/.test(n)));
  assert.equal(e!.initrd!.path, '/initrd-2.6.29-rc7-tip.img');
});

test("Debian 12's real grub.cfg: Xen multiboot2 entries in submenus, native entries noted", () => {
  const entries = readGrubFile(join(FIXTURES, 'debian12-grub.cfg'));
  const xen = entries.filter((e) => e.kind === 'xen');
  const native = entries.filter((e) => e.kind === 'native');
  assert.equal(xen.length, 5);
  assert.equal(native.length, 3);
  const first = xen[0]!;
  assert.equal(first.title, 'Debian GNU/Linux, with Xen hypervisor');
  assert.equal(first.loader, 'multiboot2');
  assert.equal(first.xen!.path, '/boot/xen-4.17-amd64.gz');
  assert.equal(first.xen!.version, '4.17');
  assert.equal(first.xen!.cmdline, 'dom0_mem=1024M,max:1024M', '"placeholder" and ${xen_rm_opts} left out');
  assert.equal(first.kernel!.cmdline, 'root=/dev/vda1 ro quiet');
  assert.equal(first.kernel!.tree, 'distro');
  assert.equal(first.kernel!.version, '6.1.0');
  assert.equal(first.initrd!.path, `/boot/initrd.img-${RECORDED}`, 'module2 --nounzip');
  assert.ok(first.notes.some((n) => n.includes('${xen_rm_opts}')));
  assert.deepEqual(xen[1]!.submenus, ['Advanced options for Debian GNU/Linux (with Xen hypervisor)', 'Xen hypervisor, version 4.17-amd64']);
  assert.ok(native.every((e) => e.loader === 'linux' && e.kernel?.path === `/boot/vmlinuz-${RECORDED}`));
});

test('kernel and Xen names: versions, trees and formats', () => {
  assert.deepEqual(kernelFromName('/boot/vmlinuz-2.6.18.8-xen'), {
    release: '2.6.18.8-xen',
    version: '2.6.18.8',
    tree: 'xen',
    format: 'vmlinux.gz',
  });
  assert.deepEqual(kernelFromName('/vmlinux-2.6.31'), { release: '2.6.31', version: '2.6.31', tree: 'mainline', format: 'vmlinux' });
  assert.equal(kernelFromName('/boot/vmlinux-2.6.31.gz').format, 'vmlinux.gz');
  assert.equal(kernelFromName('/boot/vmlinuz-2.6.31.6-pvops').tree, 'xen.git');
  assert.equal(kernelFromName('/boot/vmlinuz-2.6.29.4-167.fc11.x86_64').tree, 'distro');
  assert.deepEqual(xenFromName('/boot/xen-3.3.1.gz'), { version: '3.3.1', flavour: undefined });
  assert.deepEqual(xenFromName('/boot/xen.gz'), {});
});

test('bad GRUB legacy entries are reported as file:line: message', () => {
  const text = [
    'default 0',
    'title no kernel at all',
    'root (hd0,0)',
    'title module first',
    'module /vmlinuz-2.6.30',
    'kernel /xen-3.4.gz',
    'title a typo',
    'kernal /xen-3.4.gz',
    'title xen without dom0',
    'kernel /boot/xen-3.4.gz dom0_mem=512M',
    'title fine',
    'kernel /boot/xen-3.4.gz',
    'module /boot/vmlinuz-2.6.31',
  ].join('\n');
  const errors = errorsOf(text, 'menu.lst');
  assert.deepEqual(errors, [
    'menu.lst:2: entry "no kernel at all" has no kernel line',
    'menu.lst:5: module before the kernel line of entry "module first": the hypervisor must be loaded first',
    'menu.lst:7: entry "a typo" has no kernel line',
    'menu.lst:8: unknown directive "kernal" inside entry "a typo"; allowed: root, rootnoverify, kernel, module, modulenounzip, initrd, chainloader, makeactive, savedefault, lock, map, boot, uppermem, password, hide, unhide, setkey, quiet, find, configfile, pause, halt, reboot, color',
    'menu.lst:10: Xen entry "xen without dom0" has no module line for the dom0 kernel',
  ]);
});

test('bad GRUB 2 entries: unterminated menuentry, unknown command, stray brace', () => {
  const unterminated = "menuentry 'Xen' {\n\tmultiboot2 /boot/xen.gz\n\tmodule2 /boot/vmlinuz-6.1.0\n";
  assert.deepEqual(errorsOf(unterminated, 'grub.cfg'), ['grub.cfg:1: unterminated menuentry "Xen": no closing }']);
  const unknown = "menuentry 'Xen' {\n\tmultiboot2 /boot/xen.gz\n\tmodul2 /boot/vmlinuz-6.1.0\n}\n}\n";
  assert.deepEqual(errorsOf(unknown, 'grub.cfg'), [
    'grub.cfg:2: Xen entry "Xen" has no module line for the dom0 kernel',
    'grub.cfg:3: unknown command "modul2" inside menuentry "Xen"',
    'grub.cfg:5: } without an open menuentry or submenu',
  ]);
  assert.deepEqual(errorsOf("menuentry 'x' {\n\tlinux /boot/vmlinuz-6.1.0\n\tinitrd /boot/initrd.img\n}\n", 'grub.cfg'), []);
});

test('the wiki entries become a matrix that the runner loads: profiles with command lines, role dom0', () => {
  const conf = join(dir, 'grub.conf');
  writeFileSync(
    conf,
    [
      'default 0',
      'timeout 5',
      '',
      readFileSync(join(FIXTURES, 'wiki-vga.conf'), 'utf8'),
      readFileSync(join(FIXTURES, 'wiki-serial.conf'), 'utf8'),
    ].join('\n'),
  );
  const out = join(dir, 'sub', 'matrix.yaml');
  const mk = pvmatrix(['grub', conf, '--matrix-out', out], dir);
  assert.equal(mk.code, 2, 'the folder does not exist yet: a clear error, no half-written file');
  assert.match(mk.stderr, /cannot write/);
  const target = join(dir, 'matrix.yaml');
  const r = pvmatrix(['grub', conf, '--matrix-out', target], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /grub\.conf:4: Xen 3\.4-unstable, kernel 2\.6\.30-rc3-tip/);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.includes('.tmp')),
    [],
    'no temp file left',
  );
  const m = parse(readFileSync(target, 'utf8'));
  assert.deepEqual(m.axes.role, ['dom0']);
  const x34 = XenProfile.parse(m.profiles.xen['xen-3.4-unstable']);
  assert.equal(x34.version, '3.4');
  assert.equal(x34.cmdline, 'dom0_mem=512M');
  assert.equal(
    XenProfile.parse(m.profiles.xen['xen-3.3']).cmdline,
    'dom0_mem=1024M loglvl=all guest_loglvl=all com1=19200,8n1 console=com1',
  );
  const tip = KernelProfile.parse(m.profiles.kernel['2.6.29-rc7-tip']);
  assert.deepEqual([tip.version, tip.tree, tip.cmdline], ['2.6.29-rc7', 'tip', 'ro root=/dev/vg00/lv01 console=hvc0 earlyprintk=xen']);
  // The runner's own loader accepts it, and the cells are exactly the two entries.
  const spec = loadSpec(target, xenDomain);
  const cells = [...expand(spec)].filter((p) => !p.excluded);
  const pairs = new Set(
    cells
      .map((c) => JSON.stringify(c.cell.axes))
      .map((a) => JSON.parse(a))
      .map((a: Record<string, string>) => `${a.xen}+${a.kernel}+${a.format}`),
  );
  assert.deepEqual([...pairs].sort(), ['xen-3.3+2.6.29-rc7-tip+vmlinux.gz', 'xen-3.4-unstable+2.6.30-rc3-tip+bzImage']);
  assert.equal(pvmatrix(['validate', '--matrix', target], dir).code, 0);
});

test("Debian's grub.cfg, naming the installed kernel and Xen, becomes a matrix of those files", {
  skip: skipUnless(NEED.kernel, NEED.kernelConfig, NEED.xen),
}, () => {
  // The recorded file, as Debian's generators would write it today: the same entries for the
  // kernel and hypervisor installed now (the generators derive every path from those names).
  const conf = join(dir, 'grub-installed.cfg');
  const xenName = basename(debianXen!.image);
  writeFileSync(conf, DEBIAN_CFG.replaceAll(RECORDED, debianKernel!.release).replaceAll('xen-4.17-amd64.gz', xenName));
  const target = join(dir, 'debian.yaml');
  const r = pvmatrix(['grub', conf, '--matrix-out', target, '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).entries.length, 8);
  const m = parse(readFileSync(target, 'utf8'));
  assert.equal(m.profiles.xen[xenName.replace(/\.gz$/, '')].image, debianXen!.image);
  assert.equal(m.profiles.kernel[debianKernel!.release].config, debianKernel!.config);
  assert.deepEqual(m.axes.compression.values, ['xz'], "from the kernel's own config (CONFIG_KERNEL_XZ)");
  assert.equal(pvmatrix(['validate', '--matrix', target], dir).code, 0);
});

test('pvmatrix grub: errors exit 2 with file:line, never a stack trace', () => {
  const bad = join(dir, 'bad.conf');
  writeFileSync(bad, 'title x\nmodule /vmlinuz\nkernel /xen-3.4.gz\n');
  const r = pvmatrix(['grub', bad], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /bad\.conf:2: module before the kernel line/);
  assert.doesNotMatch(r.stderr, /\.ts:\d+:\d+/);
  assert.match(pvmatrix(['grub', join(dir, 'missing.conf')], dir).stderr, /missing\.conf: no such file/);
  assert.match(pvmatrix(['grub', bad, '--arch', 'amd64'], dir).stderr, /allowed: x86_32, x86_32-pae, x86_64, ia64/);
  const native = join(dir, 'native.cfg');
  writeFileSync(native, "menuentry 'Linux' {\n\tlinux /boot/vmlinuz-6.1.0 root=/dev/sda1\n\tinitrd /boot/initrd.img-6.1.0\n}\n");
  const n = pvmatrix(['grub', native, '--matrix-out', join(dir, 'native.yaml')], dir);
  assert.equal(n.code, 2);
  assert.match(n.stderr, /no Xen entry to make a matrix of/);
  assert.equal(existsSync(join(dir, 'native.yaml')), false);
});

test('damaged boot files give GrubError diagnostics, never a crash', () => {
  // A fixed-seed generator, so that a failure reproduces.
  let seed = 0x9e3779b9;
  const rand = (n: number) => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return seed % n;
  };
  const sources = ['wiki-vga.conf', 'wiki-serial.conf', 'debian12-grub.cfg'].map((f) => readFileSync(join(FIXTURES, f), 'utf8'));
  let errors = 0;
  for (let i = 0; i < 300; i++) {
    const text = sources[i % sources.length]!;
    const lines = text.split('\n');
    // Drop, duplicate or cut a few lines, or insert a stray quote or brace.
    for (let k = 0; k < 1 + rand(3); k++) {
      const at = rand(lines.length);
      const op = rand(4);
      if (op === 0) lines.splice(at, 1);
      else if (op === 1) lines.splice(at, 0, lines[rand(lines.length)]!);
      else if (op === 2) lines[at] = lines[at]!.slice(0, rand(lines[at]!.length + 1));
      else lines[at] = `${lines[at]}${['"', "'", '{', '}', ';', '\\'][rand(6)]}`;
    }
    try {
      const entries = parseGrub(lines.join('\n'), `damaged-${i}.cfg`);
      for (const e of entries) assert.ok(e.kind === 'xen' || e.kind === 'native' || e.kind === 'other');
    } catch (e) {
      assert.ok(e instanceof GrubError, `input ${i}: ${(e as Error).stack}`);
      assert.match(e.message, /^damaged-\d+\.cfg:\d+: /m);
      errors++;
    }
  }
  assert.ok(errors > 0, 'some damage is detected');
});
